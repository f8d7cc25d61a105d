"""Numbering local lists on moto."""

from datetime import UTC, datetime

import pytest

from csms.services import Repositories

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def test_local_list_versions_count_up_per_charge_point(repositories: Repositories) -> None:
    charge_points = repositories.charge_points
    charge_points.register("CP-1", None, T0)
    charge_points.register("CP-2", None, T0)

    assert [charge_points.next_local_list_version("CP-1") for _ in range(3)] == [1, 2, 3]
    assert charge_points.next_local_list_version("CP-2") == 1
    charge_point = charge_points.get("CP-1")
    assert charge_point is not None
    assert charge_point.local_list_version == 3


def test_no_local_list_version_for_an_unregistered_charge_point(repositories: Repositories) -> None:
    with pytest.raises(LookupError):
        repositories.charge_points.next_local_list_version("CP-UNKNOWN")

    assert repositories.charge_points.get("CP-UNKNOWN") is None  # no profile was made up
