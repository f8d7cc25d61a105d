"""`ChargePointRepository` contract: which connection of a charge point is current.

Simultaneous connects with one id race: whatever order their writes land in, the connection
opened last (by time, to the millisecond, then by connection id) must end up current.
"""

import contextlib
from datetime import UTC, datetime, timedelta

import pytest

from csms.domain.ports import ChargePointRepository, SupersededConnectionError
from csms.wire.versions import OcppVersion

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
T1 = T0 + timedelta(seconds=1)
V16, V201 = OcppVersion.V16, OcppVersion.V201


def test_a_connection_opened_later_replaces_the_current_one(charge_points: ChargePointRepository) -> None:
    assert charge_points.record_connected("CP-1", "conn-1", V16, T0) is None

    assert charge_points.record_connected("CP-1", "conn-2", V201, T1) == "conn-1"

    assert charge_points.current_connection_id("CP-1") == "conn-2"


def test_a_connection_opened_earlier_is_superseded_and_changes_nothing(charge_points: ChargePointRepository) -> None:
    # Given a charge point connected on the connection it opened last
    charge_points.record_connected("CP-1", "conn-late", V201, T1)

    # When the write of a connection it opened earlier lands after it
    with pytest.raises(SupersededConnectionError):
        charge_points.record_connected("CP-1", "conn-early", V16, T0)

    # Then the later connection stays current, with its version
    charge_point = charge_points.get("CP-1")
    assert charge_point is not None
    assert (charge_point.connection_id, charge_point.ocpp_version, charge_point.connected) == ("conn-late", V201, True)


@pytest.mark.parametrize("arrival", [("conn-a", "conn-b"), ("conn-b", "conn-a")])
def test_connections_opened_in_the_same_millisecond_are_ordered_by_id(
    charge_points: ChargePointRepository, arrival: tuple[str, str]
) -> None:
    # When two connections opened in the same millisecond are recorded, in either order
    for microseconds, connection_id in zip((100, 200), arrival, strict=True):
        with contextlib.suppress(SupersededConnectionError):
            charge_points.record_connected("CP-1", connection_id, V16, T0 + timedelta(microseconds=microseconds))

    # Then the one with the greater id is current, whichever came last
    assert charge_points.current_connection_id("CP-1") == "conn-b"


def test_a_connection_opened_earlier_is_taken_when_none_is_current(charge_points: ChargePointRepository) -> None:
    # Given a charge point whose later connection has already gone
    charge_points.record_connected("CP-1", "conn-late", V16, T1)
    charge_points.record_disconnected("CP-1", "conn-late", T1)

    # When an earlier-opened connection's write lands: it is the only live one
    previous = charge_points.record_connected("CP-1", "conn-early", V16, T0)

    assert (previous, charge_points.current_connection_id("CP-1")) == (None, "conn-early")


def test_the_current_connection_of_a_charge_point(charge_points: ChargePointRepository) -> None:
    assert charge_points.current_connection_id("CP-UNKNOWN") is None
    charge_points.register("CP-1", None, T0)
    assert charge_points.current_connection_id("CP-1") is None

    charge_points.record_connected("CP-1", "conn-1", V16, T0)
    assert charge_points.current_connection_id("CP-1") == "conn-1"

    charge_points.record_disconnected("CP-1", "conn-1", T1)
    assert charge_points.current_connection_id("CP-1") is None
