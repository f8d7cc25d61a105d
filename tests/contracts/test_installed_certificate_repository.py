"""The `InstalledCertificateRepository` contract: one set per charge point, changed atomically, kept with the charge
point (deleting it deletes the set) and never read as part of it."""

from datetime import UTC, datetime

from csms.domain.ports import ChargePointRepository
from csms.pki.installed import CertificateHashData, HashAlgorithm, InstalledCertificate, InstalledCertificates
from csms.pki.ports import InstalledCertificateRepository

T0 = datetime(2026, 11, 23, 9, 0, 15, 250000, tzinfo=UTC)
ROOT = InstalledCertificate(
    "CSMSRootCertificate", CertificateHashData(HashAlgorithm.SHA256, "ab" * 32, "CD" * 32, "0abc"), T0
)
OTHER = InstalledCertificate(
    "ManufacturerRootCertificate", CertificateHashData(HashAlgorithm.SHA512, "01" * 64, "02" * 64, "ff"), T0
)


def test_a_charge_point_without_a_set_has_none_installed(
    installed_certificates: InstalledCertificateRepository,
) -> None:
    assert installed_certificates.get("CP-1") == InstalledCertificates()


def test_every_field_is_kept_as_written(installed_certificates: InstalledCertificateRepository) -> None:
    installed_certificates.update("CP-1", lambda installed: installed.installed(ROOT).installed(OTHER))

    assert installed_certificates.get("CP-1") == InstalledCertificates((ROOT, OTHER))
    assert installed_certificates.get("CP-2") == InstalledCertificates()


def test_each_update_starts_from_what_the_last_one_left(installed_certificates: InstalledCertificateRepository) -> None:
    installed_certificates.update("CP-1", lambda installed: installed.installed(ROOT))
    installed_certificates.update("CP-1", lambda installed: installed.installed(OTHER))
    left = installed_certificates.update("CP-1", lambda installed: installed.without(ROOT.hash_data))

    assert left == installed_certificates.get("CP-1") == InstalledCertificates((OTHER,))


def test_an_update_made_from_a_set_that_changed_meanwhile_is_made_again(
    installed_certificates: InstalledCertificateRepository,
) -> None:
    seen: list[InstalledCertificates] = []

    def racing(installed: InstalledCertificates) -> InstalledCertificates:
        seen.append(installed)
        if len(seen) == 1:  # another writer gets in between this read and this write
            installed_certificates.update("CP-1", lambda other: other.installed(OTHER))
        return installed.installed(ROOT)

    installed_certificates.update("CP-1", racing)

    assert installed_certificates.get("CP-1") == InstalledCertificates((OTHER, ROOT))


def test_the_set_goes_with_its_charge_point_and_is_not_read_as_part_of_it(
    installed_certificates: InstalledCertificateRepository, charge_points: ChargePointRepository
) -> None:
    charge_points.register("CP-1", None, T0)
    installed_certificates.update("CP-1", lambda installed: installed.installed(ROOT))

    charge_point = charge_points.get("CP-1")
    assert charge_point is not None
    assert charge_point.connectors == []
    charge_points.delete("CP-1")
    assert installed_certificates.get("CP-1") == InstalledCertificates()
