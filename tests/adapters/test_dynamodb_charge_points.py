"""`DynamoDbChargePointRepository` on moto: the items a charge point is kept in, and what `get` reads
(the port's contract: `tests/contracts/test_charge_point_repository.py`)."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from boto3.dynamodb.conditions import Key

from csms.composition import Repositories
from csms.domain.filters import ChargePointFilter
from csms.domain.models import BootInfo, ConnectorStatus
from csms.domain.ports import ChargePointRepository

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


def test_disconnect_of_an_unknown_charge_point_creates_nothing(
    charge_points: ChargePointRepository, items: Callable[[str], list[dict[str, Any]]]
) -> None:
    assert charge_points.record_disconnected("CP-GHOST", "conn-1", T0) is False
    assert items("CP-GHOST") == []


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


def test_a_page_holds_every_charge_point_with_its_connectors_in_order(charge_points: ChargePointRepository) -> None:
    # Given two charge points, one with connectors and notifications
    charge_points.register("CP-B", None, T0)
    charge_points.record_boot("CP-A", BootInfo("Acme", "AC-22"), T0)
    charge_points.record_status("CP-A", ConnectorStatus(2, "Charging", T0))
    charge_points.record_status("CP-A", ConnectorStatus(1, "Available", T0))
    charge_points.record_notification("CP-A", "NotifyEvent", "m-1", T0, {"seqNo": 0})

    # When they are listed
    listed = charge_points.page(ChargePointFilter(), 10).items

    # Then each appears once, sorted, with its connectors
    assert [cp.charge_point_id for cp in listed] == ["CP-A", "CP-B"]
    assert [c.connector_id for c in listed[0].connectors] == [1, 2]
    assert listed[1].connectors == []
