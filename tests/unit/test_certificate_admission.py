"""Admission at security profile 3 and with client certificates, through the composed services over fakes: the
certificate the TLS terminator verified admits its own charge point, bad ones are refused and recorded, and a
profile-3 charger is never admitted with a password."""

import base64
from collections.abc import Callable
from datetime import timedelta

import pytest
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from csms.domain.admission import (
    DOWNGRADE_EVENT,
    INVALID_CERTIFICATE_EVENT,
    REVOKED_CERTIFICATE_EVENT,
    ConnectionRefusedError,
    RefusalReason,
    admitted_with_certificate,
)
from csms.domain.identity import hash_password
from csms.domain.security_events import SecurityEventFilter
from csms.pki.authority import CertificateAuthority, CertificateProfile
from csms.pki.models import CertificateStatus
from csms.wire.versions import OcppVersion
from tests.fakes import InMemoryCertificates, LocalKeySigner
from tests.pki_requests import csr_pem, p256_key
from tests.wired import WiredServices

CP = "CP-1"
PASSWORD = "correct-horse-battery"
PASSWORD_HASH = hash_password(PASSWORD)
SUBPROTOCOL = "ocpp2.0.1"


def basic(username: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()


@pytest.fixture
def services(fake_services: WiredServices) -> WiredServices:
    for charge_point_id in (CP, "CP-2"):
        fake_services.repositories.charge_points.register(charge_point_id, PASSWORD_HASH, fake_services.clock.now())
        fake_services.charge_points.connected(charge_point_id, f"conn-{charge_point_id}", OcppVersion.V201)
    return fake_services


def certificate_of(services: WiredServices, charge_point_id: str = CP) -> str:
    """A certificate the CA issued to `charge_point_id` (through SignCertificate), as PEM."""
    assert services.certificates.sign_requested(charge_point_id, OcppVersion.V201, csr_pem(charge_point_id)).accepted
    return services.certificates.list_for_charge_point(charge_point_id)[0].pem


def another_ca_certificate(services: WiredServices) -> str:
    """A certificate for CP-1 from a CA of the same organization with another key."""
    other = CertificateAuthority(
        LocalKeySigner("other"), InMemoryCertificates(), services.clock, CertificateProfile("CSMS", timedelta(days=365))
    )
    key = p256_key().public_key().public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
    return other.issue(CP, key).pem


def event_types(services: WiredServices) -> list[tuple[str, bool]]:
    events = services.security_events.page(SecurityEventFilter(charge_point_id=CP), 50).items
    return [(event.type, event.critical) for event in events]


def refused(services: WiredServices, authorization: str | None, certificate: str | None) -> RefusalReason:
    with pytest.raises(ConnectionRefusedError) as refusal:
        services.admission.admit(CP, SUBPROTOCOL, authorization, certificate)
    return refusal.value.reason


def test_a_charger_s_own_valid_certificate_admits_it_at_profile_3(services: WiredServices) -> None:
    services.repositories.charge_points.set_security_profile(CP, 3)
    pem = certificate_of(services)

    admission = services.admission.admit(CP, SUBPROTOCOL, None, pem)

    assert admission.charge_point_id == CP
    assert admitted_with_certificate(admission.credentials)
    assert services.admission.still_admitted(CP, admission.credentials)
    assert event_types(services) == []


def test_a_profile_3_charger_trying_basic_auth_is_refused_and_the_attempt_recorded(services: WiredServices) -> None:
    services.repositories.charge_points.set_security_profile(CP, 3)

    assert refused(services, basic(CP, PASSWORD), None) is RefusalReason.CERTIFICATE_REQUIRED
    assert event_types(services) == [(DOWNGRADE_EVENT, True)]


def test_a_profile_3_charger_without_any_credentials_is_refused_and_nothing_recorded(services: WiredServices) -> None:
    services.repositories.charge_points.set_security_profile(CP, 3)

    assert refused(services, None, None) is RefusalReason.CERTIFICATE_REQUIRED
    assert event_types(services) == []


@pytest.mark.parametrize("profile", [None, 2])
def test_a_profile_2_charger_is_admitted_with_its_password_or_its_certificate(
    services: WiredServices, profile: int | None
) -> None:
    if profile is not None:
        services.repositories.charge_points.set_security_profile(CP, profile)
    pem = certificate_of(services)

    by_password = services.admission.admit(CP, SUBPROTOCOL, basic(CP, PASSWORD))
    by_certificate = services.admission.admit(CP, SUBPROTOCOL, None, pem)

    assert not admitted_with_certificate(by_password.credentials)
    assert admitted_with_certificate(by_certificate.credentials)


# (case, the certificate presented, the event recorded and whether it is critical)
BAD_CERTIFICATES: list[tuple[str, Callable[[WiredServices], str], tuple[str, bool]]] = [
    ("another charge point's", lambda s: certificate_of(s, "CP-2"), (INVALID_CERTIFICATE_EVENT, True)),
    ("another CA's", another_ca_certificate, (INVALID_CERTIFICATE_EVENT, True)),
    (
        "garbage",
        lambda s: "-----BEGIN CERTIFICATE-----\nbm90\n-----END CERTIFICATE-----\n",
        (INVALID_CERTIFICATE_EVENT, False),
    ),
]


@pytest.mark.parametrize("profile", [2, 3])
@pytest.mark.parametrize(("case", "certificate", "event"), BAD_CERTIFICATES, ids=[c[0] for c in BAD_CERTIFICATES])
def test_a_bad_certificate_is_refused_and_recorded_whatever_the_profile(
    services: WiredServices,
    profile: int,
    case: str,
    certificate: Callable[[WiredServices], str],
    event: tuple[str, bool],
) -> None:
    services.repositories.charge_points.set_security_profile(CP, profile)

    assert refused(services, basic(CP, PASSWORD), certificate(services)) is RefusalReason.BAD_CERTIFICATE
    assert event_types(services) == [event]


def test_a_revoked_certificate_is_refused_at_once_and_recorded_as_used(services: WiredServices) -> None:
    services.repositories.charge_points.set_security_profile(CP, 3)
    pem = certificate_of(services)
    admission = services.admission.admit(CP, SUBPROTOCOL, None, pem)

    services.certificates.revoke(services.certificates.list_for_charge_point(CP)[0].serial)

    assert not services.admission.still_admitted(CP, admission.credentials)
    assert refused(services, None, pem) is RefusalReason.BAD_CERTIFICATE
    assert event_types(services) == [(REVOKED_CERTIFICATE_EVENT, True)]


def test_an_expired_certificate_is_refused_and_recorded_not_critical(services: WiredServices) -> None:
    pem = certificate_of(services)
    services.clock.advance(days=366)

    assert refused(services, None, pem) is RefusalReason.BAD_CERTIFICATE
    assert event_types(services) == [(INVALID_CERTIFICATE_EVENT, False)]
    assert services.certificates.list_for_charge_point(CP)[0].status is CertificateStatus.EXPIRED


def test_a_certificate_of_a_charge_point_no_longer_registered_is_refused(services: WiredServices) -> None:
    pem = certificate_of(services)
    services.repositories.charge_points.delete(CP)

    assert refused(services, None, pem) is RefusalReason.UNKNOWN_CHARGE_POINT
