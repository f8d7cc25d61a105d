"""The `PendingPasswordRepository` contract: one pending hash per charge point, cleared only while it is the one
named, promoted to the charge point's password and removed in one step, and kept with the charge point."""

from datetime import UTC, datetime

from csms.domain.models import StoredCredentials
from csms.domain.pending_passwords import PendingPasswordRepository
from csms.domain.ports import ChargePointRepository

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
CURRENT, NEXT, LATER = "scrypt$current", "scrypt$next", "scrypt$later"


def test_a_pending_hash_is_read_back_and_a_newer_one_replaces_it(pending_passwords: PendingPasswordRepository) -> None:
    assert pending_passwords.get("CP-1") is None
    pending_passwords.put("CP-1", NEXT, T0)
    pending_passwords.put("CP-1", LATER, T0)

    assert pending_passwords.get("CP-1") == LATER
    assert pending_passwords.get("CP-2") is None


def test_clearing_a_hash_leaves_another_pending_one(pending_passwords: PendingPasswordRepository) -> None:
    pending_passwords.put("CP-1", LATER, T0)

    pending_passwords.clear("CP-1", NEXT)
    assert pending_passwords.get("CP-1") == LATER
    pending_passwords.clear("CP-1", LATER)
    assert pending_passwords.get("CP-1") is None
    pending_passwords.clear("CP-1", LATER)  # none pending: nothing to do


def test_clearing_without_a_hash_clears_whatever_is_pending(pending_passwords: PendingPasswordRepository) -> None:
    pending_passwords.put("CP-1", NEXT, T0)

    pending_passwords.clear("CP-1")

    assert pending_passwords.get("CP-1") is None


def test_promoting_the_pending_hash_makes_it_the_charge_points_password_and_removes_it(
    pending_passwords: PendingPasswordRepository, charge_points: ChargePointRepository
) -> None:
    charge_points.register("CP-1", CURRENT, T0)
    pending_passwords.put("CP-1", NEXT, T0)

    assert pending_passwords.promote("CP-1", NEXT)

    assert charge_points.get_credentials("CP-1") == StoredCredentials(True, None, NEXT)
    assert pending_passwords.get("CP-1") is None


def test_a_hash_no_longer_pending_is_not_promoted(
    pending_passwords: PendingPasswordRepository, charge_points: ChargePointRepository
) -> None:
    charge_points.register("CP-1", CURRENT, T0)
    pending_passwords.put("CP-1", LATER, T0)

    assert not pending_passwords.promote("CP-1", NEXT)
    assert not pending_passwords.promote("CP-2", NEXT)  # not registered, nothing pending

    assert charge_points.get_credentials("CP-1") == StoredCredentials(True, None, CURRENT)
    assert pending_passwords.get("CP-1") == LATER


def test_the_pending_hash_goes_with_its_charge_point_and_is_not_read_as_part_of_it(
    pending_passwords: PendingPasswordRepository, charge_points: ChargePointRepository
) -> None:
    charge_points.register("CP-1", CURRENT, T0)
    pending_passwords.put("CP-1", NEXT, T0)

    charge_point = charge_points.get("CP-1")
    assert charge_point is not None
    assert charge_point.password_hash == CURRENT
    charge_points.delete("CP-1")
    assert pending_passwords.get("CP-1") is None
