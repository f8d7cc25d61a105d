"""The keys the DynamoDB adapters build from what the domain names (a connector, a series of readings, a
StartTransaction): the stored layout, which the domain never spells."""

from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from boto3.dynamodb.conditions import Key

from csms.composition import Repositories
from csms.domain.meter_series import ConnectorSeries, TransactionSeries
from csms.domain.models import ConnectorStatus, MeterReading, StartTransactionRequest, Transaction, TransactionStatus
from csms.domain.sites import LimitPeriod, LiveLimit, Site, Weekday, WiringChange
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


def test_a_site_is_one_item_under_its_id_with_its_schedule_in_local_times_and_weekday_names(
    repositories: Repositories, raw_table: Callable[[str], Any]
) -> None:
    night = LimitPeriod(time(22), time(6), Decimal("20.5"), frozenset({Weekday.SUNDAY, Weekday.FRIDAY}))
    site = Site("S1", "Depot", Decimal(63), limit_schedule=(night,), time_zone="Europe/Berlin")
    repositories.sites.put(site, T0)
    repositories.sites.set_live_limit("S1", LiveLimit(Decimal(20), T0 + timedelta(hours=1)), T0)

    assert raw_table("sites_table").scan()["Items"] == [
        {
            "siteId": "S1",
            "name": "Depot",
            "gridLimitAmps": Decimal(63),
            "phases": Decimal(3),
            "voltage": Decimal(230),
            "minChargingCurrentAmps": Decimal(6),
            "timeZone": "Europe/Berlin",
            "limitSchedule": [
                {"start": "22:00:00", "end": "06:00:00", "limitAmps": Decimal("20.5"), "days": ["Friday", "Sunday"]}
            ],
            "provisioning": [],
            "localListEnabled": False,
            "liveLimitAmps": Decimal(20),
            "liveLimitValidUntil": "2026-11-23T10:00:00.000Z",
            "updatedAt": "2026-11-23T09:00:00.000Z",
        }
    ]


def test_a_charge_points_wiring_is_on_its_profile_whose_site_id_is_the_key_of_the_site_index(
    repositories: Repositories, raw_table: Callable[[str], Any]
) -> None:
    wiring = WiringChange("S1", max_current_amps=Decimal("16.5"), phases=1)
    repositories.charge_points.register("CP-1", None, T0, wiring=wiring)

    profile = raw_table("charge_points_table").get_item(Key={"chargePointId": "CP-1", "itemKey": "#PROFILE"})["Item"]

    assert {name: profile[name] for name in ("siteId", "maxCurrentAmps", "phases", "updatedAt")} == {
        "siteId": "S1",
        "maxCurrentAmps": Decimal("16.5"),
        "phases": Decimal(1),
        "updatedAt": "2026-11-23T09:00:00.000Z",
    }
    by_site = raw_table("charge_points_table").query(IndexName="bySite", KeyConditionExpression=Key("siteId").eq("S1"))[
        "Items"
    ]
    assert by_site == [{"siteId": "S1", "chargePointId": "CP-1", "itemKey": "#PROFILE"}]
