"""Certificate renewal from the schedule, end to end on the embedded runtime: a charge point of each version holds a
certificate that expires within the renewal window; when csms local's schedule runs the renewal function, the CSMS
asks it for a new one (2.0.1 TriggerMessage SignChargingStationCertificate, 1.6 ExtendedTriggerMessage
SignChargePointCertificate), the charge point signs a new CSR, receives CertificateSigned, and its old certificate
becomes Superseded."""

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
from cryptography import x509
from ocpp.routing import after, on
from ocpp.v16 import call as call16
from ocpp.v16 import call_result as result16
from ocpp.v201 import call as call201
from ocpp.v201 import call_result as result201

from csms.local.runtime import LocalRuntime, running_runtime
from tests.e2e.charge_points import connected
from tests.e2e.conftest import OperatorApi
from tests.e2e.test_certificates import Station16, Station201, certificates_of, issued_days_ago
from tests.pki_requests import csr_pem, p256_key

pytestmark = pytest.mark.e2e

WAIT_SECONDS = 30
# Issued 340 days ago for 365: it expires in 25 days, within the default window of 30.
DAYS_AGO = 340
RENEWAL_INTERVAL_SECONDS = 1.0


class Renewing16(Station16):
    """A 1.6 charge point that signs a new CSR when asked by ExtendedTriggerMessage SignChargePointCertificate."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.triggers: list[str] = []
        self.key = p256_key()

    @on("ExtendedTriggerMessage")
    def on_extended_trigger(self, requested_message: str, **_: Any) -> result16.ExtendedTriggerMessage:
        self.triggers.append(requested_message)
        return result16.ExtendedTriggerMessage(status="Accepted")

    @after("ExtendedTriggerMessage")
    async def sign_again(self, requested_message: str, **_: Any) -> None:
        if requested_message == "SignChargePointCertificate":
            await self.call(call16.SignCertificate(csr=csr_pem(self.id, key=self.key)))


class Renewing201(Station201):
    """A 2.0.1 station that signs a new CSR when asked by TriggerMessage SignChargingStationCertificate."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.triggers: list[str] = []
        self.key = p256_key()

    @on("TriggerMessage")
    def on_trigger(self, requested_message: str, **_: Any) -> result201.TriggerMessage:
        self.triggers.append(requested_message)
        return result201.TriggerMessage(status="Accepted")

    @after("TriggerMessage")
    async def sign_again(self, requested_message: str, **_: Any) -> None:
        if requested_message == "SignChargingStationCertificate":
            csr = csr_pem(self.id, key=self.key)
            await self.call(call201.SignCertificate(csr=csr, certificate_type="ChargingStationCertificate"))


@pytest.fixture
async def runtime() -> AsyncIterator[LocalRuntime]:
    """csms local with its renewal schedule firing every second (`certificate_renewal_interval_seconds`)."""
    async with running_runtime(
        port=0,
        certificate_renewal_interval_seconds=RENEWAL_INTERVAL_SECONDS,
        extra_env={"POWERTOOLS_METRICS_DISABLED": "true"},
    ) as started:
        yield started


async def renewed(api: OperatorApi, charger_id: str, old_serial: str) -> list[dict[str, Any]]:
    """The charger's certificates once the old one is Superseded."""
    for _ in range(WAIT_SECONDS * 4):
        certificates = await certificates_of(api, charger_id)
        if any(c["serial"] == old_serial and c["status"] == "Superseded" for c in certificates):
            return certificates
        await asyncio.sleep(0.25)
    raise AssertionError(f"{old_serial} of {charger_id} not superseded in time: {certificates}")


@pytest.mark.parametrize(
    ("subprotocol", "station", "trigger", "requested"),
    [
        ("ocpp1.6", Renewing16, "ExtendedTriggerMessage", "SignChargePointCertificate"),
        ("ocpp2.0.1", Renewing201, "TriggerMessage", "SignChargingStationCertificate"),
    ],
    ids=["1.6", "2.0.1"],
)
async def test_a_certificate_expiring_within_the_window_is_renewed_when_the_schedule_runs(
    runtime: LocalRuntime, api: OperatorApi, subprotocol: str, station: type, trigger: str, requested: str
) -> None:
    charger_id = f"RENEW-{subprotocol[-3:].replace('.', '')}"
    await api.register_charger(charger_id)
    old = await asyncio.to_thread(issued_days_ago, charger_id, p256_key(), DAYS_AGO)

    async with connected(runtime, charger_id, subprotocol, charge_point_class=station) as charge_point:
        chain = await asyncio.wait_for(charge_point.chains.get(), WAIT_SECONDS)
        certificates = await renewed(api, charger_id, old.serial)
        triggers = list(charge_point.triggers)

    new = x509.load_pem_x509_certificate(chain.encode())
    assert new.public_key() == charge_point.key.public_key()
    statuses = {c["serial"]: c["status"] for c in certificates}
    assert statuses == {old.serial: "Superseded", f"{new.serial_number:x}": "Active"}
    assert [c["renewalRequestedAt"] is not None for c in certificates if c["serial"] == old.serial] == [True]
    # The new certificate is valid for a year: not within the window, so nobody asks again.
    assert triggers == [requested]
    commands = (await api.request("GET", f"/chargers/{charger_id}/commands")).body["items"]
    assert sorted((c["action"], c["status"]) for c in commands) == [
        ("CertificateSigned", "Accepted"),
        (trigger, "Accepted"),
    ]
