"""`ChargePointRepository.count_fleet`: how many charge points are known, connected, and faulted."""

from datetime import UTC, datetime, timedelta

from csms.domain.models import BootInfo, ConnectorStatus, FleetCounts
from csms.domain.ports import ChargePointRepository
from csms.wire.versions import OcppVersion

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def test_an_empty_fleet_counts_nothing(charge_points: ChargePointRepository) -> None:
    assert charge_points.count_fleet() == FleetCounts(total=0, connected=0, faulted=0)


def test_the_fleet_counts_charge_points_connected_ones_and_those_with_a_faulted_connector(
    charge_points: ChargePointRepository,
) -> None:
    # Given CP-1 connected with two faulted connectors, CP-2 connected after a replaced connection,
    # CP-3 booted then gone, CP-4 only registered, and notifications (no charge points)
    charge_points.register("CP-4", None, T0)
    charge_points.record_connected("CP-1", "c-1", OcppVersion.V16, T0)
    charge_points.record_status("CP-1", ConnectorStatus(1, "Faulted", T0, error_code="GroundFailure"))
    charge_points.record_status("CP-1", ConnectorStatus(2, "Faulted", T0))
    charge_points.record_connected("CP-2", "c-2", OcppVersion.V201, T0)
    charge_points.record_connected("CP-2", "c-2b", OcppVersion.V201, at(1))
    charge_points.record_status("CP-2", ConnectorStatus(1, "Available", T0, evse_id=1))
    charge_points.record_connected("CP-3", "c-3", OcppVersion.V16, T0)
    charge_points.record_boot("CP-3", BootInfo("Acme", "AC-22"), T0)
    charge_points.record_disconnected("CP-3", "c-3", at(2))
    charge_points.record_notification("CP-1", "StatusNotification", "m-1", T0, {"status": "Faulted"})

    # Then
    assert charge_points.count_fleet() == FleetCounts(total=4, connected=2, faulted=1)


def test_counts_follow_faults_that_clear_and_chargers_that_leave(charge_points: ChargePointRepository) -> None:
    charge_points.record_connected("CP-1", "c-1", OcppVersion.V16, T0)
    charge_points.record_status("CP-1", ConnectorStatus(1, "Faulted", T0))
    charge_points.record_connected("CP-2", "c-2", OcppVersion.V16, T0)
    charge_points.record_status("CP-2", ConnectorStatus(1, "Faulted", T0))

    charge_points.record_status("CP-1", ConnectorStatus(1, "Available", at(1)))
    charge_points.record_status("CP-2", ConnectorStatus(1, "Available", at(-1)))  # late: still faulted
    charge_points.record_disconnected("CP-1", "c-1", at(2))
    assert charge_points.count_fleet() == FleetCounts(total=2, connected=1, faulted=1)

    charge_points.delete("CP-2")
    assert charge_points.count_fleet() == FleetCounts(total=1, connected=0, faulted=0)
