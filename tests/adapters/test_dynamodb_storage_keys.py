"""The keys the DynamoDB adapters build from what the domain names (a connector, a series of readings, a
StartTransaction): the stored layout, which the domain never spells."""

from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from csms.composition import Repositories
from csms.domain.meter_series import ConnectorSeries, TransactionSeries
from csms.domain.models import ConnectorStatus, MeterReading, StartTransactionRequest, Transaction, TransactionStatus
from csms.wire.versions import OcppVersion

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def stored_series_keys(raw_table: Callable[[str], Any]) -> list[str]:
    return [item["seriesKey"] for item in raw_table("meter_values_table").scan()["Items"]]


def test_a_transactions_readings_are_stored_under_the_charge_point_and_transaction(
    repositories: Repositories, raw_table: Callable[[str], Any]
) -> None:
    repositories.meter_values.put(TransactionSeries("CP-1", "7"), [MeterReading(T0, ())])

    assert stored_series_keys(raw_table) == ["CP-1#tx#7"]


def test_readings_outside_a_transaction_are_stored_under_the_charge_point_and_connector(
    repositories: Repositories, raw_table: Callable[[str], Any]
) -> None:
    repositories.meter_values.put(ConnectorSeries("CP-1", 2), [MeterReading(T0, ())])

    assert stored_series_keys(raw_table) == ["CP-1#connector#2"]


def test_a_start_transaction_is_remembered_under_everything_the_charge_point_sent(
    repositories: Repositories, raw_table: Callable[[str], Any]
) -> None:
    request = StartTransactionRequest(
        charge_point_id="CP-1", connector_id=1, id_token="TAG", meter_start=1000, timestamp=T0
    )
    transaction = Transaction(
        charge_point_id="CP-1",
        transaction_id="5",
        ocpp_version=OcppVersion.V16,
        status=TransactionStatus.ACTIVE,
        started_at=T0,
        meter_start=Decimal(1000),
    )

    repositories.transactions.create_once(transaction, request)

    key = {"key": "start#CP-1#1#2026-11-23T09:00:00.000Z#TAG#1000"}
    assert raw_table("idempotency_table").get_item(Key=key)["Item"]["transactionId"] == "5"


def test_a_connector_is_stored_under_its_evse_and_connector_and_a_16_connector_under_no_evse(
    repositories: Repositories, raw_table: Callable[[str], Any]
) -> None:
    repositories.charge_points.record_status("CP-1", ConnectorStatus(connector_id=1, status="Available", timestamp=T0))
    repositories.charge_points.record_status(
        "CS-1", ConnectorStatus(connector_id=1, status="Available", timestamp=T0, evse_id=2)
    )

    items = raw_table("charge_points_table").scan()["Items"]
    assert sorted((item["chargePointId"], item["itemKey"]) for item in items if "connectorId" in item) == [
        ("CP-1", "CONNECTOR#-#1"),
        ("CS-1", "CONNECTOR#2#1"),
    ]
