"""`DynamoDbChargePointRepository` on moto: profile, connectors and notifications of a charge point."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from boto3.dynamodb.conditions import Key

from csms.domain.models import BootInfo, ConnectorStatus
from csms.domain.ports import ChargePointRepository
from csms.services import Repositories
from csms.wire.versions import OcppVersion

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
T1 = T0 + timedelta(hours=1)


@pytest.fixture
def charge_points(repositories: Repositories) -> ChargePointRepository:
    return repositories.charge_points


@pytest.fixture
def items(raw_table: Callable[[str], Any]) -> Callable[[str], list[dict[str, Any]]]:
    """Every stored item of a charge point, whatever its kind."""
    table = raw_table("charge_points_table")

    def of(charge_point_id: str) -> list[dict[str, Any]]:
        return list(table.query(KeyConditionExpression=Key("chargePointId").eq(charge_point_id))["Items"])

    return of


def test_register_stores_the_password_hash_and_registration_time(charge_points: ChargePointRepository) -> None:
    # When a charge point is registered
    charge_points.register("CP-1", "scrypt$hash", T0)

    # Then it is known with its hash and registration time
    assert charge_points.get_password_hash("CP-1") == (True, "scrypt$hash")
    charge_point = charge_points.get("CP-1")
    assert charge_point is not None
    assert charge_point.registered_at == T0
    assert charge_point.connected is False


def test_registering_again_keeps_registered_at_and_replaces_the_password(charge_points: ChargePointRepository) -> None:
    # Given a registered charge point
    charge_points.register("CP-1", "old-hash", T0)

    # When it is registered again later with a new password
    charge_points.register("CP-1", "new-hash", T1)

    # Then its original registration time is kept and the password replaced
    charge_point = charge_points.get("CP-1")
    assert charge_point is not None
    assert charge_point.registered_at == T0
    assert charge_points.get_password_hash("CP-1") == (True, "new-hash")


def test_registering_again_without_password_keeps_the_password(charge_points: ChargePointRepository) -> None:
    charge_points.register("CP-1", "hash", T0)

    charge_points.register("CP-1", None, T1)

    assert charge_points.get_password_hash("CP-1") == (True, "hash")


@pytest.mark.parametrize(
    ("registered_with", "expected"),
    [(None, (True, None)), ("hash", (True, "hash"))],
)
def test_get_password_hash_tells_registered_from_unknown(
    charge_points: ChargePointRepository, registered_with: str | None, expected: tuple[bool, str | None]
) -> None:
    charge_points.register("CP-1", registered_with, T0)

    assert charge_points.get_password_hash("CP-1") == expected
    assert charge_points.get_password_hash("CP-UNKNOWN") == (False, None)


def test_record_connected_returns_the_connection_it_replaces(charge_points: ChargePointRepository) -> None:
    # When a charge point connects, then reconnects on a new connection
    first = charge_points.record_connected("CP-1", "conn-1", OcppVersion.V16, T0)
    second = charge_points.record_connected("CP-1", "conn-2", OcppVersion.V201, T1)

    # Then the first has nothing to replace and the second replaces conn-1
    assert (first, second) == (None, "conn-1")
    charge_point = charge_points.get("CP-1")
    assert charge_point is not None
    assert (charge_point.connection_id, charge_point.connected) == ("conn-2", True)
    assert (charge_point.ocpp_version, charge_point.last_seen) == (OcppVersion.V201, T1)


def test_a_late_disconnect_of_a_replaced_connection_leaves_the_charge_point_connected(
    charge_points: ChargePointRepository,
) -> None:
    # Given a charge point that reconnected before its old connection's $disconnect arrived
    charge_points.record_connected("CP-1", "conn-1", OcppVersion.V16, T0)
    charge_points.record_connected("CP-1", "conn-2", OcppVersion.V16, T1)

    # When the old connection's disconnect is recorded
    recorded = charge_points.record_disconnected("CP-1", "conn-1", T1 + timedelta(seconds=1))

    # Then it is ignored: the charge point is still connected on conn-2
    assert recorded is False
    charge_point = charge_points.get("CP-1")
    assert charge_point is not None
    assert (charge_point.connection_id, charge_point.connected, charge_point.last_seen) == ("conn-2", True, T1)


def test_disconnect_of_the_current_connection_marks_the_charge_point_disconnected(
    charge_points: ChargePointRepository,
) -> None:
    # Given a connected charge point
    charge_points.record_connected("CP-1", "conn-1", OcppVersion.V16, T0)

    # When its current connection goes away
    recorded = charge_points.record_disconnected("CP-1", "conn-1", T1)

    # Then it is disconnected, without a connection, last seen then
    assert recorded is True
    charge_point = charge_points.get("CP-1")
    assert charge_point is not None
    assert (charge_point.connection_id, charge_point.connected, charge_point.last_seen) == (None, False, T1)


def test_disconnect_of_an_unknown_charge_point_creates_nothing(
    charge_points: ChargePointRepository, items: Callable[[str], list[dict[str, Any]]]
) -> None:
    assert charge_points.record_disconnected("CP-GHOST", "conn-1", T0) is False
    assert items("CP-GHOST") == []


def test_record_boot_stores_the_boot_details(charge_points: ChargePointRepository) -> None:
    # When a charge point boots
    charge_points.record_boot("CP-1", BootInfo("Acme", "AC-22", "SN-1", "1.2.3", "PowerUp"), T0)

    # Then its details are stored, and it was seen at boot
    charge_point = charge_points.get("CP-1")
    assert charge_point is not None
    assert (charge_point.vendor, charge_point.model) == ("Acme", "AC-22")
    assert (charge_point.serial_number, charge_point.firmware_version) == ("SN-1", "1.2.3")
    assert (charge_point.last_boot, charge_point.last_seen) == (T0, T0)


def test_record_boot_keeps_the_registration(charge_points: ChargePointRepository) -> None:
    # Given a registered and connected charge point
    charge_points.register("CP-1", "hash", T0)
    charge_points.record_connected("CP-1", "conn-1", OcppVersion.V16, T0)

    # When it boots
    charge_points.record_boot("CP-1", BootInfo("Acme", "AC-22"), T1)

    # Then registration and connection are untouched
    charge_point = charge_points.get("CP-1")
    assert charge_point is not None
    assert (charge_point.password_hash, charge_point.registered_at, charge_point.connection_id) == (
        "hash",
        T0,
        "conn-1",
    )


def test_record_seen_updates_last_seen(charge_points: ChargePointRepository) -> None:
    charge_points.record_boot("CP-1", BootInfo("Acme", "AC-22"), T0)

    charge_points.record_seen("CP-1", T1)

    charge_point = charge_points.get("CP-1")
    assert charge_point is not None
    assert (charge_point.last_boot, charge_point.last_seen) == (T0, T1)


def test_record_status_keeps_one_item_per_connector(
    charge_points: ChargePointRepository, items: Callable[[str], list[dict[str, Any]]]
) -> None:
    # Given a charge point
    charge_points.register("CP-1", None, T0)

    # When connectors report several statuses
    charge_points.record_status("CP-1", ConnectorStatus(1, "Preparing", T0, evse_id=1))
    charge_points.record_status("CP-1", ConnectorStatus(1, "Available", T0, evse_id=2))
    charge_points.record_status("CP-1", ConnectorStatus(1, "Faulted", T1, evse_id=1, error_code="E1", info="hot"))

    # Then one item per (EVSE, connector) holds its latest status
    connector_items = [item for item in items("CP-1") if item["itemKey"].startswith("CONNECTOR#")]
    assert len(connector_items) == 2
    charge_point = charge_points.get("CP-1")
    assert charge_point is not None
    assert charge_point.connectors == [
        ConnectorStatus(1, "Faulted", T1, evse_id=1, error_code="E1", info="hot"),
        ConnectorStatus(1, "Available", T0, evse_id=2),
    ]


def test_ocpp16_connector_statuses_have_no_evse(charge_points: ChargePointRepository) -> None:
    charge_points.register("CP-1", None, T0)

    charge_points.record_status("CP-1", ConnectorStatus(2, "Charging", T0, error_code="NoError"))
    charge_points.record_status("CP-1", ConnectorStatus(0, "Available", T0, error_code="NoError"))

    charge_point = charge_points.get("CP-1")
    assert charge_point is not None
    assert [(c.evse_id, c.connector_id, c.status) for c in charge_point.connectors] == [
        (None, 0, "Available"),
        (None, 2, "Charging"),
    ]


def test_notifications_are_stored_verbatim(
    charge_points: ChargePointRepository, items: Callable[[str], list[dict[str, Any]]]
) -> None:
    # When a charge point sends a notification with nested values and decimals
    details = {"status": "Installed", "requestId": 8, "nested": {"values": [1, 2.5, "x"], "flag": True}}
    charge_points.record_notification("CP-1", "FirmwareStatusNotification", "m-1", T0, details)

    # Then it is stored as received
    [notification] = [item for item in items("CP-1") if item["itemKey"].startswith("NOTIFICATION#")]
    assert notification["kind"] == "FirmwareStatusNotification"
    assert notification["messageId"] == "m-1"
    assert notification["details"] == {
        "status": "Installed",
        "requestId": 8,
        "nested": {"values": [1, Decimal("2.5"), "x"], "flag": True},
    }


def test_get_reads_profile_and_connectors_but_not_notifications(
    charge_points: ChargePointRepository, repositories: Repositories
) -> None:
    # Given a charge point with a connector and many notifications
    charge_points.record_boot("CP-1", BootInfo("Acme", "AC-22"), T0)
    charge_points.record_status("CP-1", ConnectorStatus(1, "Available", T0))
    for n in range(5):
        charge_points.record_notification("CP-1", "NotifyEvent", f"m-{n}", T0, {"seqNo": n})
    returned: list[int] = []

    def count_items(parsed: dict[str, Any], **_: Any) -> None:
        returned.append(len(parsed.get("Items", [])))

    events = charge_points._table.meta.client.meta.events  # type: ignore[attr-defined]
    events.register("after-call.dynamodb.Query", count_items)
    try:
        # When it is read
        charge_point = charge_points.get("CP-1")
    finally:
        events.unregister("after-call.dynamodb.Query", count_items)

    # Then the profile and its connector are read, and not one notification
    assert charge_point is not None
    assert [c.status for c in charge_point.connectors] == ["Available"]
    assert sum(returned) == 2


def test_get_of_an_unknown_charge_point_is_none(charge_points: ChargePointRepository) -> None:
    assert charge_points.get("CP-UNKNOWN") is None


def test_list_returns_every_charge_point_with_its_connectors(charge_points: ChargePointRepository) -> None:
    # Given two charge points, one with connectors and notifications
    charge_points.register("CP-B", None, T0)
    charge_points.record_boot("CP-A", BootInfo("Acme", "AC-22"), T0)
    charge_points.record_status("CP-A", ConnectorStatus(2, "Charging", T0))
    charge_points.record_status("CP-A", ConnectorStatus(1, "Available", T0))
    charge_points.record_notification("CP-A", "NotifyEvent", "m-1", T0, {"seqNo": 0})

    # When they are listed
    listed = charge_points.list()

    # Then each appears once, sorted, with its connectors
    assert [cp.charge_point_id for cp in listed] == ["CP-A", "CP-B"]
    assert [c.connector_id for c in listed[0].connectors] == [1, 2]
    assert listed[1].connectors == []


def test_a_status_older_than_the_stored_one_is_ignored(charge_points: ChargePointRepository) -> None:
    # Given a connector that reported Charging at T1
    charge_points.record_status("CP-1", ConnectorStatus(1, "Charging", T1, error_code="NoError"))

    # When a status from before arrives late, and one as new as the stored one
    charge_points.record_status("CP-1", ConnectorStatus(1, "SuspendedEV", T0, error_code="NoError"))
    connector = charge_points.get_connector("CP-1", None, 1)
    charge_points.record_status("CP-1", ConnectorStatus(1, "Finishing", T1, error_code="NoError"))

    # Then the late one changed nothing, and the one as new replaced the stored one
    assert connector == ConnectorStatus(1, "Charging", T1, error_code="NoError", last_charging_at=T1)
    finishing = charge_points.get_connector("CP-1", None, 1)
    assert finishing is not None
    assert (finishing.status, finishing.idle_since) == ("Finishing", T1)


def test_a_late_status_only_ends_an_idle_period_that_began_before_it(charge_points: ChargePointRepository) -> None:
    # Given a connector idle since T0 + 20 min (and seen so at T0 + 40 min)
    minutes = [T0 + timedelta(minutes=m) for m in range(60)]
    charge_points.record_status("CP-1", ConnectorStatus(1, "Charging", minutes[1]))
    charge_points.record_status("CP-1", ConnectorStatus(1, "SuspendedEV", minutes[20]))
    charge_points.record_status("CP-1", ConnectorStatus(1, "SuspendedEVSE", minutes[40]))

    # When late statuses arrive: idle ones, and a Charging from before the idle period began
    charge_points.record_status("CP-1", ConnectorStatus(1, "SuspendedEV", minutes[10]))
    charge_points.record_status("CP-1", ConnectorStatus(1, "Charging", minutes[15]))
    unchanged = charge_points.get_connector("CP-1", None, 1)
    # and then one that shows the idle period was interrupted after it began
    charge_points.record_status("CP-1", ConnectorStatus(1, "Charging", minutes[30]))

    # Then only that last one ended the idle period; the status shown stays the newest
    assert unchanged is not None
    assert (unchanged.status, unchanged.idle_since) == ("SuspendedEVSE", minutes[20])
    interrupted = charge_points.get_connector("CP-1", None, 1)
    assert interrupted is not None
    assert (interrupted.status, interrupted.timestamp, interrupted.idle_since) == ("SuspendedEVSE", minutes[40], None)
