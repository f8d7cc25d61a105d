"""Security profile 3 end to end on the embedded runtime, over real TLS (`csms local --tls-port`): a charge point
(2.0.1, or 1.6 with the security extension) connects with its password, asks for a certificate (SignCertificate),
receives it (CertificateSigned), and is then admitted at profile 3 with that client certificate alone; a certificate
for another id, an expired one, a revoked one, or none at all is refused, and a profile-3 charger's password no longer
admits it. An operator's own CA (`--ca-cert`, `--ca-key`) issues certificates that admit alike."""

import asyncio
import contextlib
import ssl
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import websockets
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat
from ocpp.v16 import call as call16
from ocpp.v201 import call as call201

from csms.local.ca_key import ImportedCa
from csms.local.runtime import LocalRuntime, running_runtime
from csms.local.tls import TlsOptions
from tests.e2e.conftest import PASSWORD, OperatorApi, basic_auth
from tests.e2e.test_certificates import Station16, Station201, eventually_active, issued_days_ago, root_certificate
from tests.pki_requests import ca_certificate_pem, csr_pem, p256_key

pytestmark = pytest.mark.e2e

WAIT_SECONDS = 30
QUIET = {"POWERTOOLS_METRICS_DISABLED": "true"}


@dataclass(frozen=True)
class Version:
    """How a station of one OCPP version connects, asks for a certificate and boots."""

    subprotocol: str
    station: Callable[..., Any]
    sign_certificate: Callable[[str], Any]
    boot_notification: Callable[[], Any]


V201 = Version(
    "ocpp2.0.1",
    Station201,
    lambda csr: call201.SignCertificate(csr=csr, certificate_type="ChargingStationCertificate"),
    lambda: call201.BootNotification(charging_station={"model": "M", "vendor_name": "V"}, reason="PowerUp"),
)
# The 1.6 security extension (OCPP 1.6 security whitepaper): SignCertificate, CertificateSigned.
V16 = Version(
    "ocpp1.6",
    Station16,
    lambda csr: call16.SignCertificate(csr=csr),
    lambda: call16.BootNotification(charge_point_model="M", charge_point_vendor="V"),
)


@pytest.fixture
async def runtime() -> AsyncIterator[LocalRuntime]:
    async with running_runtime(port=0, tls=TlsOptions(port=0), extra_env=QUIET) as started:
        yield started


@pytest.fixture
def api(runtime: LocalRuntime) -> OperatorApi:
    return OperatorApi(runtime)


class Credentials:
    """A station's key and certificate as files, for its TLS context."""

    def __init__(self, directory: Path, name: str, key: ec.EllipticCurvePrivateKey, certificate_pem: str) -> None:
        self.key_file = directory / f"{name}.key"
        self.certificate_file = directory / f"{name}.pem"
        self.key_file.write_bytes(key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()))
        self.certificate_file.write_text(certificate_pem)


def tls_context(runtime: LocalRuntime, credentials: Credentials | None) -> ssl.SSLContext:
    """A station's TLS: it trusts the CSMS root (the server's certificate is issued by it) and shows `credentials`."""
    _, root_pem = root_certificate(runtime)
    context = ssl.create_default_context(cadata=root_pem)
    if credentials is not None:
        context.load_cert_chain(credentials.certificate_file, credentials.key_file)
    return context


@contextlib.asynccontextmanager
async def connected_over_tls(
    runtime: LocalRuntime,
    charger_id: str,
    credentials: Credentials | None,
    password: str | None = None,
    version: Version = V201,
) -> AsyncIterator[Any]:
    context = await asyncio.to_thread(tls_context, runtime, credentials)
    headers = basic_auth(charger_id, password) if password else {}
    async with websockets.connect(
        f"{runtime.tls_ws_url}/{charger_id}",
        subprotocols=[version.subprotocol],
        additional_headers=headers,
        ssl=context,
    ) as connection:
        station = version.station(charger_id, connection, response_timeout=10)
        station.version = version
        listener = asyncio.create_task(station.start())
        try:
            yield station
        finally:
            listener.cancel()
            with contextlib.suppress(asyncio.CancelledError, websockets.ConnectionClosed):
                await listener


async def refused_status(runtime: LocalRuntime, charger_id: str, credentials: Credentials | None, **kwargs: Any) -> int:
    """The HTTP status the upgrade is refused with."""
    with pytest.raises(websockets.InvalidStatus) as refusal:
        async with connected_over_tls(runtime, charger_id, credentials, **kwargs):
            pass
    return refusal.value.response.status_code


async def signed_credentials(
    runtime: LocalRuntime, api: OperatorApi, charger_id: str, directory: Path, version: Version = V201
) -> Credentials:
    """The charger connects over TLS with its password (profile 2), asks for a certificate and gets it."""
    key = p256_key()
    async with connected_over_tls(runtime, charger_id, None, password=PASSWORD, version=version) as station:
        answer = await station.call(version.sign_certificate(csr_pem(charger_id, key=key)))
        assert answer.status == "Accepted"
        chain = await asyncio.wait_for(station.chains.get(), WAIT_SECONDS)
        await eventually_active(api, charger_id)
    return Credentials(directory, charger_id, key, chain)


async def boots(station: Any) -> str:
    answer = await station.call(station.version.boot_notification())
    return str(answer.status)


async def security_events(api: OperatorApi, charger_id: str) -> list[str]:
    response = await api.request("GET", f"/security-events?chargerId={charger_id}")
    return [event["type"] for event in response.body["items"]]


@pytest.mark.parametrize("version", [V201, V16], ids=["2.0.1", "1.6"])
async def test_a_charger_with_a_csms_certificate_is_admitted_at_profile_3_and_its_password_no_longer(
    runtime: LocalRuntime, api: OperatorApi, tmp_path: Path, version: Version
) -> None:
    charger_id = f"TLS-{version.subprotocol[-3:].replace('.', '')}"
    await api.register_charger(charger_id)
    credentials = await signed_credentials(runtime, api, charger_id, tmp_path, version)

    assert (await api.request("PUT", f"/chargers/{charger_id}", {"securityProfile": 3})).body["securityProfile"] == 3
    async with connected_over_tls(runtime, charger_id, credentials, version=version) as station:
        assert await boots(station) == "Accepted"

    assert await refused_status(runtime, charger_id, None, password=PASSWORD, version=version) == 401
    assert await refused_status(runtime, charger_id, None, version=version) == 401
    assert await security_events(api, charger_id) == ["SecurityProfileDowngradeAttempt"]


async def test_a_certificate_for_another_id_a_revoked_one_or_an_expired_one_is_refused(
    runtime: LocalRuntime, api: OperatorApi, tmp_path: Path
) -> None:
    signed = {}
    for charger_id in ("TLS-A", "TLS-B"):
        await api.register_charger(charger_id)
        signed[charger_id] = await signed_credentials(runtime, api, charger_id, tmp_path)
        await api.request("PUT", f"/chargers/{charger_id}", {"securityProfile": 3})
    credentials_a, credentials_b = signed["TLS-A"], signed["TLS-B"]

    assert await refused_status(runtime, "TLS-A", credentials_b) == 401
    assert await security_events(api, "TLS-A") == ["InvalidChargingStationCertificate"]

    [certificate_b] = (await api.request("GET", "/chargers/TLS-B/certificates")).body["items"]
    assert (await api.request("POST", f"/certificates/{certificate_b['serial']}/revoke")).status == 200
    assert await refused_status(runtime, "TLS-B", credentials_b) == 401
    assert await security_events(api, "TLS-B") == ["RevokedCertificateUsed"]

    expired = await asyncio.to_thread(expired_credentials, "TLS-A", tmp_path)
    with pytest.raises((ssl.SSLError, OSError, websockets.InvalidHandshake, websockets.ConnectionClosed)):
        async with connected_over_tls(runtime, "TLS-A", expired) as station:
            await boots(station)  # TLS 1.3: the server's verdict on the certificate comes after the handshake

    async with connected_over_tls(runtime, "TLS-A", credentials_a) as station:
        assert await boots(station) == "Accepted"


def expired_credentials(charger_id: str, directory: Path) -> Credentials:
    """A certificate the CSMS CA (moto's KMS key) issued to `charger_id` two years ago, valid for one year."""
    key = p256_key()
    record = issued_days_ago(charger_id, key, days_ago=730)
    return Credentials(directory, f"{charger_id}-expired", key, record.pem)


async def test_a_certificate_issued_before_a_restart_still_admits_its_charger(tmp_path: Path) -> None:
    """`csms local` with a data directory keeps the CA's key (moto's KMS is in memory): the same root after a
    restart, and a certificate it issued before still admits its charger at profile 3."""
    options: dict[str, Any] = {"tls": TlsOptions(port=0), "data_dir": tmp_path / "data", "extra_env": QUIET}
    async with running_runtime(port=0, **options) as first:
        api = OperatorApi(first)
        await api.register_charger("TLS-KEPT")
        credentials = await signed_credentials(first, api, "TLS-KEPT", tmp_path)
        await api.request("PUT", "/chargers/TLS-KEPT", {"securityProfile": 3})
        _, root_before = await asyncio.to_thread(root_certificate, first)

    async with running_runtime(port=0, **options) as second:
        _, root_after = await asyncio.to_thread(root_certificate, second)
        async with connected_over_tls(second, "TLS-KEPT", credentials) as station:
            assert await boots(station) == "Accepted"

    assert root_after == root_before


async def test_an_imported_ca_signs_the_station_certificates_and_they_admit_their_chargers(tmp_path: Path) -> None:
    """`csms local --ca-cert --ca-key`: the operator's CA is the root (its key in moto's KMS), the issuer of the
    certificates signed, and the root the profile-3 check compares against."""
    key = p256_key()
    ca_pem = ca_certificate_pem(key, common_name="Operator Charging CA")
    imported = ImportedCa.from_pem(ca_pem, key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()))
    async with running_runtime(port=0, tls=TlsOptions(port=0), imported_ca=imported, extra_env=QUIET) as runtime:
        api = OperatorApi(runtime)
        _, root = await asyncio.to_thread(root_certificate, runtime)
        await api.register_charger("TLS-OWN-CA")
        credentials = await signed_credentials(runtime, api, "TLS-OWN-CA", tmp_path)
        await api.request("PUT", "/chargers/TLS-OWN-CA", {"securityProfile": 3})
        async with connected_over_tls(runtime, "TLS-OWN-CA", credentials) as station:
            assert await boots(station) == "Accepted"
        assert await refused_status(runtime, "TLS-OWN-CA", None, password=PASSWORD) == 401

    assert root == ca_pem
    station_certificate = x509.load_pem_x509_certificate(credentials.certificate_file.read_bytes())
    station_certificate.verify_directly_issued_by(x509.load_pem_x509_certificate(ca_pem.encode()))
    assert station_certificate.issuer.rfc4514_string() == "CN=Operator Charging CA"
