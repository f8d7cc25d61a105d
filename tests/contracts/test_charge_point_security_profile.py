"""ChargePointRepository's security profile and the credentials read that carries it, alike on the fake and on
DynamoDB."""

from datetime import UTC, datetime

from csms.domain.models import StoredCredentials
from csms.domain.ports import ChargePointRepository

AT = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def test_a_registered_charge_point_has_no_security_profile_until_one_is_set(
    charge_points: ChargePointRepository,
) -> None:
    charge_points.register("CP-1", "hash", AT)

    assert charge_points.get_credentials("CP-1") == StoredCredentials(True, None, "hash")
    assert charge_points.get_credentials("CP-2") == StoredCredentials(False, None, None)


def test_a_security_profile_set_is_read_and_shown_with_the_charge_point(charge_points: ChargePointRepository) -> None:
    charge_points.register("CP-1", "hash", AT)

    charge_points.set_security_profile("CP-1", 3)

    assert charge_points.get_credentials("CP-1") == StoredCredentials(True, 3, "hash")
    charge_point = charge_points.get("CP-1")
    assert charge_point is not None
    assert charge_point.security_profile == 3
    assert charge_point.password_hash == "hash"


def test_a_charge_point_registered_without_a_password_has_credentials_without_a_hash(
    charge_points: ChargePointRepository,
) -> None:
    charge_points.register("CP-1", None, AT)

    assert charge_points.get_credentials("CP-1") == StoredCredentials(True, None, None)
