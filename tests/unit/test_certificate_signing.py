"""SignCertificate through the dispatcher: the CSR checks, the answer, the certificate issued and its profile."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from csms.domain.security_events import SecurityEventFilter
from csms.pki.models import CertificateStatus
from csms.pki.service import INVALID_CSR_EVENT
from csms.wire.versions import OcppVersion
from tests.pki_requests import ORGANIZATION, csr_pem, p256_key, rsa_key, with_bad_signature
from tests.unit.stations import Station
from tests.wired import WiredServices

CP = "CP-1"

# (what is wrong, the CSR, what the reason names)
INVALID_REQUESTS: list[tuple[str, Callable[[], str], str]] = [
    ("wrong CN", lambda: csr_pem("CP-2"), "CN must be the charge point id"),
    ("no CN", lambda: csr_pem(None), "one CN"),
    ("wrong organization", lambda: csr_pem(CP, "Someone Else"), "O must be"),
    ("no organization", lambda: csr_pem(CP, None), "one O"),
    ("weak RSA 1024", lambda: csr_pem(CP, key=rsa_key(1024)), "RSA key of 1024 bits"),
    ("P-192", lambda: csr_pem(CP, key=ec.generate_private_key(ec.SECP192R1())), "secp192r1"),
    ("secp256k1", lambda: csr_pem(CP, key=ec.generate_private_key(ec.SECP256K1())), "secp256k1"),
    ("P-521", lambda: csr_pem(CP, key=ec.generate_private_key(ec.SECP521R1())), "secp521r1"),
    ("bad signature", lambda: with_bad_signature(csr_pem(CP)), "signature does not verify"),
    (
        "garbage PEM",
        lambda: "-----BEGIN CERTIFICATE REQUEST-----\nbm90IGEgQ1NS\n-----END CERTIFICATE REQUEST-----\n",
        "not a PEM",
    ),
    ("not PEM at all", lambda: "hello", "not a PEM"),
]
VALID_REQUESTS: list[tuple[str, Callable[[], str]]] = [
    ("RSA 2048", lambda: csr_pem(CP, key=rsa_key(2048))),
    ("P-256", lambda: csr_pem(CP, key=p256_key())),
    ("P-384", lambda: csr_pem(CP, key=ec.generate_private_key(ec.SECP384R1()))),
]


@pytest.fixture(params=[OcppVersion.V16, OcppVersion.V201], ids=["1.6", "2.0.1"])
def station(request: pytest.FixtureRequest, fake_services: WiredServices) -> Station:
    fake_services.repositories.charge_points.register(CP, None, fake_services.clock.now())
    fake_services.repositories.charge_points.record_connected(CP, "conn-1", request.param, fake_services.clock.now())
    return Station(fake_services, request.param, CP, "conn-1")


def sign_certificate(station: Station, csr: str) -> dict[str, object]:
    return station.call("SignCertificate", {"csr": csr})


@pytest.mark.parametrize(("wrong", "csr", "reason"), INVALID_REQUESTS, ids=[case[0] for case in INVALID_REQUESTS])
def test_an_invalid_request_is_rejected_with_its_reason_recorded_and_nothing_stored(
    station: Station, fake_services: WiredServices, wrong: str, csr: Callable[[], str], reason: str
) -> None:
    answer = sign_certificate(station, csr())

    assert answer["status"] == "Rejected"
    if station.version is OcppVersion.V201:
        assert answer["statusInfo"]["reasonCode"] == "InvalidCSR"  # type: ignore[index]
        assert reason in answer["statusInfo"]["additionalInfo"]  # type: ignore[index]
    events = fake_services.security_events.page(where=SecurityEventFilter(), limit=10).items
    assert [(event.charge_point_id, event.type) for event in events] == [(CP, INVALID_CSR_EVENT)]
    assert reason in str(events[0].detail["reason"])
    assert fake_services.repositories.certificates.records == {}
    assert fake_services.repositories.commands.commands == {}


@pytest.mark.parametrize(("kind", "csr"), VALID_REQUESTS, ids=[case[0] for case in VALID_REQUESTS])
def test_a_valid_request_is_accepted_and_its_certificate_sent_with_certificate_signed(
    station: Station, fake_services: WiredServices, kind: str, csr: Callable[[], str]
) -> None:
    answer = sign_certificate(station, csr())

    assert answer == {"status": "Accepted"}
    [record] = fake_services.repositories.certificates.records.values()
    assert record.status is CertificateStatus.ACTIVE
    [command] = fake_services.repositories.commands.commands.values()
    assert command.action == "CertificateSigned"
    assert command.request["certificateChain"] == record.pem
    if station.version is OcppVersion.V201:
        assert command.request["certificateType"] == "ChargingStationCertificate"
    else:
        assert set(command.request) == {"certificateChain"}
    assert fake_services.security_events.page(where=SecurityEventFilter(), limit=10).items == []


def test_the_certificate_verifies_against_the_root_and_has_the_station_profile(
    station: Station, fake_services: WiredServices
) -> None:
    key = p256_key()
    sign_certificate(station, csr_pem(CP, key=key))

    [record] = fake_services.repositories.certificates.records.values()
    certificate = x509.load_pem_x509_certificate(record.pem.encode())
    root = x509.load_pem_x509_certificate(fake_services.certificates.root_pem().encode())
    certificate.verify_directly_issued_by(root)  # raises if the signature or the issuer name do not match
    assert certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == CP
    assert certificate.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value == ORGANIZATION
    assert certificate.public_key() == key.public_key()
    usage = certificate.extensions.get_extension_for_class(x509.KeyUsage)
    assert usage.critical
    assert usage.value.digital_signature
    assert usage.value.key_agreement
    assert not usage.value.key_cert_sign
    extended = certificate.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert list(extended) == [ExtendedKeyUsageOID.CLIENT_AUTH]
    assert not certificate.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    now = fake_services.clock.now().replace(microsecond=0)
    assert certificate.not_valid_before_utc == now
    assert certificate.not_valid_after_utc == now + timedelta(days=365)
    assert record.serial == f"{certificate.serial_number:x}"
    assert record.subject == f"CN={CP},O={ORGANIZATION}"
    assert record.issuer == root.subject.rfc4514_string()


def test_an_rsa_certificate_is_for_key_encipherment(station: Station, fake_services: WiredServices) -> None:
    sign_certificate(station, csr_pem(CP, key=rsa_key(2048)))

    [record] = fake_services.repositories.certificates.records.values()
    usage = x509.load_pem_x509_certificate(record.pem.encode()).extensions.get_extension_for_class(x509.KeyUsage)
    assert usage.value.digital_signature
    assert usage.value.key_encipherment
    assert not usage.value.key_agreement


def test_the_root_is_a_self_signed_ca_made_once(fake_services: WiredServices) -> None:
    first = fake_services.certificates.root_pem()

    root = x509.load_pem_x509_certificate(first.encode())
    root.verify_directly_issued_by(root)
    assert root.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert root.extensions.get_extension_for_class(x509.KeyUsage).value.key_cert_sign
    assert root.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value == ORGANIZATION
    assert fake_services.certificates.root_pem() == first
    assert len(fake_services.repositories.certificates.roots) == 1


def test_a_v2g_certificate_is_rejected(fake_services: WiredServices) -> None:
    fake_services.repositories.charge_points.register(CP, None, fake_services.clock.now())
    fake_services.repositories.charge_points.record_connected(CP, "conn-1", OcppVersion.V201, fake_services.clock.now())
    station = Station(fake_services, OcppVersion.V201, CP, "conn-1")

    answer = station.call("SignCertificate", {"csr": csr_pem(CP), "certificateType": "V2GCertificate"})

    assert answer["status"] == "Rejected"
    assert fake_services.repositories.certificates.records == {}
    assert fake_services.repositories.commands.commands == {}
