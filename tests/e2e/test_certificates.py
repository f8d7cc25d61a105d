"""The CSMS's CA end to end: a real charge point of each version asks for a certificate (SignCertificate),
is answered Accepted, receives CertificateSigned through the command workflow, and the chain verifies against the root
that GET /api/pki/ca serves (signed by moto's KMS key)."""

import asyncio
import os
from datetime import timedelta
from typing import Any
from urllib.request import Request, urlopen

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from ocpp.routing import on
from ocpp.v16 import ChargePoint as ChargePoint16
from ocpp.v16 import call as call16
from ocpp.v16 import call_result as result16
from ocpp.v201 import ChargePoint as ChargePoint201
from ocpp.v201 import call as call201
from ocpp.v201 import call_result as result201

from csms import constants
from csms.adapters.kms_signer import KmsCertificateSigner
from csms.local.runtime import LocalRuntime
from csms.pki.authority import CertificateAuthority, CertificateProfile
from csms.pki.models import CertificateRecord
from tests.e2e.charge_points import connected
from tests.e2e.conftest import OperatorApi
from tests.fakes import FixedClock
from tests.pki_requests import ORGANIZATION, csr_pem, p256_key
from tests.wired import handler_services

pytestmark = pytest.mark.e2e

WAIT_SECONDS = 30


class Station16(ChargePoint16):  # type: ignore[misc]
    """A 1.6 charge point with the security extension: keeps the certificate chain it is sent."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.chains: asyncio.Queue[str] = asyncio.Queue()

    @on("CertificateSigned")
    async def on_certificate_signed(self, certificate_chain: str, **_: Any) -> result16.CertificateSigned:
        await self.chains.put(certificate_chain)
        return result16.CertificateSigned(status="Accepted")


class Station201(ChargePoint201):  # type: ignore[misc]
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.chains: asyncio.Queue[str] = asyncio.Queue()

    @on("CertificateSigned")
    async def on_certificate_signed(self, certificate_chain: str, **_: Any) -> result201.CertificateSigned:
        await self.chains.put(certificate_chain)
        return result201.CertificateSigned(status="Accepted")


def root_certificate(runtime: LocalRuntime) -> tuple[str, str]:
    request = Request(  # noqa: S310 - loopback
        f"{runtime.api_url}/pki/ca", headers={"Authorization": f"Bearer {runtime.token}"}
    )
    with urlopen(request, timeout=30) as response:  # noqa: S310 - loopback
        return response.headers["Content-Type"], response.read().decode()


def issued_days_ago(
    charger_id: str, key: ec.EllipticCurvePrivateKey, days_ago: int, validity_days: int = 365
) -> CertificateRecord:
    """A certificate the running CSMS's CA (moto's KMS key) issued to `charger_id` `days_ago`, in its inventory."""
    services = handler_services()
    then = FixedClock(services.clock.now() - timedelta(days=days_ago))
    authority = CertificateAuthority(
        KmsCertificateSigner(os.environ[constants.ENV_CA_KEY_ID]),
        services.repositories.certificates,
        then,
        CertificateProfile(ORGANIZATION, timedelta(days=validity_days)),
    )
    record = authority.issue(charger_id, key.public_key().public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo))
    services.repositories.certificates.add(record)
    return record


async def certificates_of(api: OperatorApi, charger_id: str) -> list[dict[str, Any]]:
    response = await api.request("GET", f"/chargers/{charger_id}/certificates")
    assert response.status == 200, response.body
    items: list[dict[str, Any]] = response.body["items"]
    return items


async def eventually_active(api: OperatorApi, charger_id: str) -> list[dict[str, Any]]:
    """The charger's certificates once the answer to CertificateSigned is recorded (its command Accepted)."""
    for _ in range(WAIT_SECONDS * 4):
        commands = (await api.request("GET", f"/chargers/{charger_id}/commands")).body["items"]
        if [c["status"] for c in commands if c["action"] == "CertificateSigned"] == ["Accepted"]:
            return await certificates_of(api, charger_id)
        await asyncio.sleep(0.25)
    raise AssertionError(f"CertificateSigned to {charger_id} not answered Accepted in time: {commands}")


@pytest.mark.parametrize(
    ("subprotocol", "station", "sign_certificate"),
    [
        ("ocpp1.6", Station16, lambda csr: call16.SignCertificate(csr=csr)),
        (
            "ocpp2.0.1",
            Station201,
            lambda csr: call201.SignCertificate(csr=csr, certificate_type="ChargingStationCertificate"),
        ),
    ],
    ids=["1.6", "2.0.1"],
)
async def test_a_charge_point_gets_a_certificate_that_verifies_against_the_ca(
    runtime: LocalRuntime, api: OperatorApi, subprotocol: str, station: type, sign_certificate: Any
) -> None:
    charger_id = f"CERT-{subprotocol[-3:].replace('.', '')}"
    await api.register_charger(charger_id)
    key = p256_key()

    async with connected(runtime, charger_id, subprotocol, charge_point_class=station) as charge_point:
        answer = await charge_point.call(sign_certificate(csr_pem(charger_id, key=key)))
        chain = await asyncio.wait_for(charge_point.chains.get(), WAIT_SECONDS)
        certificates = await eventually_active(api, charger_id)

    assert answer.status == "Accepted"
    content_type, root_pem = await asyncio.to_thread(root_certificate, runtime)
    assert content_type == "application/x-pem-file"
    root = x509.load_pem_x509_certificate(root_pem.encode())
    certificate = x509.load_pem_x509_certificate(chain.encode())
    certificate.verify_directly_issued_by(root)
    assert certificate.public_key() == key.public_key()
    assert [(c["serial"], c["status"]) for c in certificates] == [(f"{certificate.serial_number:x}", "Active")]


async def test_a_refused_request_is_rejected_and_recorded_as_a_security_event(
    runtime: LocalRuntime, api: OperatorApi
) -> None:
    await api.register_charger("CERT-BAD")

    async with connected(runtime, "CERT-BAD", "ocpp2.0.1") as charge_point:
        answer = await charge_point.call(call201.SignCertificate(csr=csr_pem("SOMEONE-ELSE")))

    assert answer.status == "Rejected"
    assert answer.status_info["reason_code"] == "InvalidCSR"
    assert await certificates_of(api, "CERT-BAD") == []
    events = (await api.request("GET", "/security-events?chargerId=CERT-BAD")).body["items"]
    assert [event["type"] for event in events] == ["InvalidCertificateSigningRequest"]
