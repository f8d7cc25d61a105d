"""The `CertificateRepository` contract: roots per key (the first kept), certificates by serial, fingerprint and
charger, the Active ones expiring, conditional status changes and renewal claims."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from csms.pki.models import CaCertificate, CertificateRecord, CertificateStatus
from csms.pki.ports import CertificateRepository

T0 = datetime(2026, 11, 23, 9, 0, 0, tzinfo=UTC)
DAY = timedelta(days=1)


def record(serial: str, charge_point_id: str = "CP-1", not_before: datetime = T0, days: int = 365) -> CertificateRecord:
    return CertificateRecord(
        serial=serial,
        charge_point_id=charge_point_id,
        subject=f"CN={charge_point_id},O=CSMS",
        issuer="CN=Charging Station CA,O=CSMS",
        not_before=not_before,
        not_after=not_before + days * DAY,
        sha256_fingerprint=f"{serial:0>64}",
        status=CertificateStatus.ACTIVE,
        pem=f"-----BEGIN CERTIFICATE-----\n{serial}\n-----END CERTIFICATE-----\n",
    )


def test_the_first_root_of_a_key_is_kept(certificates: CertificateRepository) -> None:
    first = CaCertificate("key-1", "PEM 1", T0)

    assert certificates.ca_certificate("key-1") is None
    assert certificates.add_ca_certificate(first) == first
    assert certificates.add_ca_certificate(CaCertificate("key-1", "PEM 2", T0 + DAY)) == first
    assert certificates.ca_certificate("key-1") == first
    assert certificates.ca_certificate("key-2") is None


def test_a_certificate_is_found_by_serial_and_fingerprint(certificates: CertificateRepository) -> None:
    certificates.add(record("0a1b"))

    assert certificates.get("0a1b") == record("0a1b")
    assert certificates.find_by_fingerprint(record("0a1b").sha256_fingerprint) == record("0a1b")
    assert certificates.get("ffff") is None
    assert certificates.find_by_fingerprint("0" * 64) is None


def test_a_charger_s_certificates_are_listed_newest_first(certificates: CertificateRepository) -> None:
    certificates.add(record("01", not_before=T0))
    certificates.add(record("02", not_before=T0 + DAY))
    certificates.add(record("03", charge_point_id="CP-2"))

    assert [r.serial for r in certificates.list_for_charge_point("CP-1")] == ["02", "01"]
    assert certificates.list_for_charge_point("CP-9") == []


def test_active_certificates_expiring_before_a_moment_soonest_first(certificates: CertificateRepository) -> None:
    certificates.add(record("01", days=40))
    certificates.add(record("02", days=10))
    certificates.add(record("03", days=400))
    certificates.add(record("04", days=5))
    certificates.set_status("04", CertificateStatus.REVOKED)

    assert [r.serial for r in certificates.list_active_expiring_before(T0 + 60 * DAY)] == ["02", "01"]


def test_a_status_changes_only_from_the_status_named(certificates: CertificateRepository) -> None:
    certificates.add(record("01"))

    assert certificates.set_status("01", CertificateStatus.SUPERSEDED, only_if=CertificateStatus.REVOKED) is None
    changed = certificates.set_status("01", CertificateStatus.SUPERSEDED, only_if=CertificateStatus.ACTIVE)
    assert changed == replace(record("01"), status=CertificateStatus.SUPERSEDED)
    assert certificates.set_status("01", CertificateStatus.REVOKED) == replace(
        record("01"), status=CertificateStatus.REVOKED
    )
    assert certificates.set_status("ffff", CertificateStatus.REVOKED) is None


def test_renewal_is_claimed_once_per_period(certificates: CertificateRepository) -> None:
    certificates.add(record("01"))

    assert certificates.claim_renewal("01", T0, not_since=T0 - DAY)
    assert not certificates.claim_renewal("01", T0 + DAY / 2, not_since=T0 - DAY / 2)
    assert certificates.claim_renewal("01", T0 + 2 * DAY, not_since=T0 + DAY)
    assert certificates.get("01").renewal_requested_at == T0 + 2 * DAY  # type: ignore[union-attr]
    assert not certificates.claim_renewal("ffff", T0, not_since=T0 - DAY)


def test_a_root_is_not_a_certificate(certificates: CertificateRepository) -> None:
    certificates.add_ca_certificate(CaCertificate("key-1", "PEM", T0))

    assert certificates.get("CA#key-1") is None
    assert certificates.set_status("CA#key-1", CertificateStatus.REVOKED) is None
