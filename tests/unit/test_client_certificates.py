"""The client-certificate check of security profile 3, case by case: which presented certificate admits which
charge point, and why the others do not."""

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from csms.domain.certificate_checks import CertificateRefusal
from csms.pki.authority import CertificateAuthority, CertificateProfile
from csms.pki.client_certificates import (
    SUPERSEDED_GRACE,
    PresentedCertificate,
    UnreadableCertificateError,
    certificate_refusal,
)
from csms.pki.models import CertificateRecord, CertificateStatus
from tests.fakes import FixedClock, InMemoryCertificates, LocalKeySigner
from tests.pki_requests import p256_key

CP = "CP-1"
ISSUED_AT = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
VALIDITY = timedelta(days=365)


def authority(key_id: str = "csms") -> CertificateAuthority:
    return CertificateAuthority(
        LocalKeySigner(key_id), InMemoryCertificates(), FixedClock(ISSUED_AT), CertificateProfile("CSMS", VALIDITY)
    )


CA = authority()
ROOT = x509.load_pem_x509_certificate(CA.root().pem.encode())
OTHER_CA = authority("someone-else")


def issued(by: CertificateAuthority = CA, charge_point_id: str = CP) -> CertificateRecord:
    public_key = p256_key().public_key().public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
    return by.issue(charge_point_id, public_key)


def presented(record: CertificateRecord) -> PresentedCertificate:
    return PresentedCertificate.from_pem(record.pem)


# (case, the presented certificate's record, the inventory's record of it (None: unknown), now, superseded_at, refusal)
Case = tuple[str, Callable[[], tuple[CertificateRecord, CertificateRecord | None]], datetime, datetime | None, object]
GOOD = issued()
CASES: list[Case] = [
    ("issued by the CSMS, valid", lambda: (GOOD, GOOD), ISSUED_AT + timedelta(days=1), None, None),
    ("the first second of its validity", lambda: (GOOD, GOOD), ISSUED_AT, None, None),
    (
        "expired",
        lambda: (GOOD, GOOD),
        ISSUED_AT + VALIDITY,
        None,
        CertificateRefusal.EXPIRED,
    ),
    (
        "marked Expired by the renewal run",
        lambda: (GOOD, replace(GOOD, status=CertificateStatus.EXPIRED)),
        ISSUED_AT + timedelta(days=1),
        None,
        CertificateRefusal.EXPIRED,
    ),
    ("not yet valid", lambda: (GOOD, GOOD), ISSUED_AT - timedelta(seconds=1), None, CertificateRefusal.NOT_YET_VALID),
    (
        "revoked",
        lambda: (GOOD, replace(GOOD, status=CertificateStatus.REVOKED)),
        ISSUED_AT + timedelta(days=1),
        None,
        CertificateRefusal.REVOKED,
    ),
    (
        "superseded a moment ago (grace)",
        lambda: (GOOD, replace(GOOD, status=CertificateStatus.SUPERSEDED)),
        ISSUED_AT + timedelta(days=10, minutes=5),
        ISSUED_AT + timedelta(days=10),
        None,
    ),
    (
        "superseded longer ago than the grace",
        lambda: (GOOD, replace(GOOD, status=CertificateStatus.SUPERSEDED)),
        ISSUED_AT + timedelta(days=10) + SUPERSEDED_GRACE,
        ISSUED_AT + timedelta(days=10),
        CertificateRefusal.SUPERSEDED,
    ),
    (
        "superseded, by a certificate no longer known",
        lambda: (GOOD, replace(GOOD, status=CertificateStatus.SUPERSEDED)),
        ISSUED_AT + timedelta(days=1),
        None,
        CertificateRefusal.SUPERSEDED,
    ),
    (
        "CN of another charge point",
        lambda: (other := issued(charge_point_id="CP-2"), other),
        ISSUED_AT + timedelta(days=1),
        None,
        CertificateRefusal.OTHER_CHARGE_POINT,
    ),
    (
        "another CA's, unknown to the inventory",
        lambda: (issued(OTHER_CA), None),
        ISSUED_AT + timedelta(days=1),
        None,
        CertificateRefusal.OTHER_ISSUER,
    ),
    (
        "another CA's, its fingerprint not the inventory's",
        lambda: (issued(OTHER_CA), GOOD),
        ISSUED_AT + timedelta(days=1),
        None,
        CertificateRefusal.OTHER_ISSUER,
    ),
    (
        "the CSMS's, missing from the inventory",
        lambda: (issued(), None),
        ISSUED_AT + timedelta(days=1),
        None,
        CertificateRefusal.OTHER_ISSUER,
    ),
]


@pytest.mark.parametrize(("case", "certificates", "now", "superseded_at", "refusal"), CASES, ids=[c[0] for c in CASES])
def test_a_presented_certificate_admits_only_its_own_charge_point_while_valid_and_not_revoked(
    case: str,
    certificates: Callable[[], tuple[CertificateRecord, CertificateRecord | None]],
    now: datetime,
    superseded_at: datetime | None,
    refusal: CertificateRefusal | None,
) -> None:
    shown, record = certificates()

    assert certificate_refusal(presented(shown), CP, ROOT, record, now, superseded_at) == refusal


def test_a_certificate_a_charge_point_shows_under_another_id_does_not_admit_it() -> None:
    assert (
        certificate_refusal(presented(GOOD), "CP-2", ROOT, GOOD, ISSUED_AT + timedelta(days=1))
        is CertificateRefusal.OTHER_CHARGE_POINT
    )


def test_garbage_is_not_a_certificate() -> None:
    with pytest.raises(UnreadableCertificateError):
        PresentedCertificate.from_pem("-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n")


def test_the_presented_certificate_is_found_by_its_fingerprint_and_serial() -> None:
    shown = presented(GOOD)

    assert (shown.sha256_fingerprint, shown.serial) == (GOOD.sha256_fingerprint, GOOD.serial)
