"""Stream images decoded by the adapters on moto: what a stream delivers reads as what the adapter reads.

Items are written with the adapters; the table's stream records (moto's `dynamodbstreams`) go
through the Lambda event the stream's event source mapping builds and Powertools' record, as in
the `domain_events` handler, and decode to the same domain values the adapters' reads return.
"""

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import boto3
import pytest
from aws_lambda_powertools.utilities.data_classes import DynamoDBStreamEvent

from csms import tables
from csms.adapters.dynamodb.streams import DECODERS
from csms.billing.invoices import Invoice
from csms.composition import Repositories, Services, dynamodb_repositories
from csms.domain.configuration_variables import ConfigurationVariable
from csms.domain.models import BootInfo, ConnectorStatus, StartTransactionRequest, Transaction, TransactionStatus
from csms.domain.sites import LimitPeriod, LiveLimit, Site
from csms.domain.tariffs import Line
from csms.domain_events.stored_changes import (
    ConnectorChange,
    InvoiceChange,
    ProfileChange,
    SiteChange,
    StoredChange,
    TransactionChange,
)
from csms.local.lambda_events import dynamodb_stream_event
from csms.settings import Settings
from csms.wire.versions import OcppVersion
from tests.conftest import TEST_ENVIRONMENT

T0 = datetime(2026, 11, 23, 9, 0, 0, 123000, tzinfo=UTC)
REGION = TEST_ENVIRONMENT["AWS_DEFAULT_REGION"]
STARTED = Transaction(
    charge_point_id="CP-1",
    transaction_id="7",
    ocpp_version=OcppVersion.V16,
    status=TransactionStatus.ACTIVE,
    started_at=T0,
    connector_id=1,
    id_token="TAG-1",
    meter_start=Decimal("100.5"),
)
COMPLETED = replace(
    STARTED,
    status=TransactionStatus.COMPLETED,
    stopped_at=T0 + timedelta(hours=1),
    meter_stop=Decimal(7100),
    stop_reason="Local",
)


@pytest.fixture
def repositories(aws: None, settings: Settings) -> Repositories:
    return dynamodb_repositories(settings)


@pytest.fixture
def changes(dynamodb_services: Services, settings: Settings) -> Callable[[tables.TableSpec], list[StoredChange]]:
    """The domain changes of a table's stream records since the fixture was set up, in order."""
    # botocore sends stream ARNs to an account-based endpoint that moto does not intercept.
    streams = boto3.client("dynamodbstreams", endpoint_url=f"https://streams.dynamodb.{REGION}.amazonaws.com")
    seen = {spec: len(_records(streams, settings.table_name(spec))[1]) for spec in DECODERS}

    def of(spec: tables.TableSpec) -> list[StoredChange]:
        stream_arn, records = _records(streams, settings.table_name(spec))
        event = DynamoDBStreamEvent(dynamodb_stream_event(stream_arn, records[seen[spec] :]))
        seen[spec] = len(records)
        decoded = (
            dynamodb_services.stream_changes.decode(
                record.event_source_arn or "", record.dynamodb.old_image or {}, record.dynamodb.new_image or {}
            )
            for record in event.records
            if record.dynamodb is not None
        )
        return [change for change in decoded if change is not None]

    return of


def _records(streams: Any, table_name: str) -> tuple[str, list[dict[str, Any]]]:
    """The stream's ARN and every record of its one shard."""
    (stream,) = streams.list_streams(TableName=table_name)["Streams"]
    (shard,) = streams.describe_stream(StreamArn=stream["StreamArn"])["StreamDescription"]["Shards"]
    iterator = streams.get_shard_iterator(
        StreamArn=stream["StreamArn"], ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON"
    )["ShardIterator"]
    records: list[dict[str, Any]] = []
    while iterator:
        response = streams.get_records(ShardIterator=iterator, Limit=1000)
        records.extend(response["Records"])
        iterator = response.get("NextShardIterator") if response["Records"] else None
    return stream["StreamArn"], records


def test_every_streamed_table_and_only_those_is_decoded() -> None:
    assert set(DECODERS) == {spec for spec in tables.TABLES if spec.stream}
    for spec in tables.TABLES:
        assert ("StreamSpecification" in spec.create_table_request("t")) == spec.stream


def test_a_charge_point_profile_and_its_connectors_read_back_from_their_images(
    repositories: Repositories, changes: Callable[[tables.TableSpec], list[StoredChange]]
) -> None:
    charge_points = repositories.charge_points
    charge_points.register("CP-1", "scrypt$hash", T0)
    registered = charge_points.get("CP-1")
    charge_points.record_boot("CP-1", BootInfo(vendor="Acme", model="AC-22", firmware_version="1.2"), T0)
    booted = charge_points.get("CP-1")
    available = ConnectorStatus(connector_id=1, evse_id=1, status="Available", timestamp=T0)
    charge_points.record_status("CP-1", available)
    stored_available = charge_points.get_connector("CP-1", 1, 1)
    charge_points.record_status("CP-1", replace(available, status="Charging", timestamp=T0 + timedelta(minutes=1)))
    charge_points.record_notification("CP-1", "SecurityEvent", "m-1", T0, {"type": "Reset"})
    repositories.configuration.put("CP-1", [ConfigurationVariable(variable="HeartbeatInterval", value="300")])

    assert registered is not None
    assert booted is not None
    assert changes(tables.CHARGE_POINTS) == [
        ProfileChange("CP-1", None, registered),
        ProfileChange("CP-1", registered, booted),
        ConnectorChange("CP-1", None, stored_available),
        ConnectorChange("CP-1", stored_available, charge_points.get_connector("CP-1", 1, 1)),
    ]  # and nothing of the notification and the reported configuration
    assert stored_available == available


def test_a_removed_charge_point_reads_as_removals(
    repositories: Repositories, changes: Callable[[tables.TableSpec], list[StoredChange]]
) -> None:
    charge_points = repositories.charge_points
    charge_points.record_status("CP-1", ConnectorStatus(connector_id=0, status="Available", timestamp=T0))
    charge_points.register("CP-1", None, T0)
    connector, profile = charge_points.get_connector("CP-1", None, 0), charge_points.get("CP-1")
    changes(tables.CHARGE_POINTS)

    charge_points.delete("CP-1")

    assert sorted(changes(tables.CHARGE_POINTS), key=lambda change: type(change).__name__) == [
        ConnectorChange("CP-1", connector, None),
        ProfileChange("CP-1", replace(profile, connectors=[]) if profile else None, None),
    ]


def test_a_transaction_reads_back_from_its_images_when_started_and_completed(
    repositories: Repositories, changes: Callable[[tables.TableSpec], list[StoredChange]]
) -> None:
    transactions = repositories.transactions
    transactions.create_once(STARTED, StartTransactionRequest("CP-1", 1, "TAG-1", 100, T0))  # with its request, as 1.6
    stored_started = transactions.get("CP-1", "7")
    transactions.complete(COMPLETED)

    assert changes(tables.TRANSACTIONS) == [
        TransactionChange("CP-1", None, stored_started),
        TransactionChange("CP-1", stored_started, transactions.get("CP-1", "7")),
    ]
    assert stored_started == STARTED


def test_an_invoice_reads_back_from_its_image(
    repositories: Repositories, changes: Callable[[tables.TableSpec], list[StoredChange]]
) -> None:
    repositories.transactions.complete(COMPLETED)
    invoice = Invoice(
        invoice_id="INV-1",
        transaction_id="7",
        charge_point_id="CP-1",
        id_token="TAG-1",
        tariff_id="standard",
        currency="EUR",
        lines=(Line("energy", Decimal("6.9995"), Decimal("0.30"), Decimal("2.10")),),
        net=Decimal("10.00"),
        tax=Decimal("1.90"),
        total=Decimal("11.90"),
        issued_at=T0 + timedelta(days=1),
        started_at=T0,
        stopped_at=T0 + timedelta(hours=1),
        energy_wh=Decimal("6999.5"),
    )
    assert repositories.invoices.issue(invoice, COMPLETED)

    assert changes(tables.INVOICES) == [InvoiceChange("CP-1", None, repositories.invoices.get("INV-1"))]
    assert repositories.invoices.get("INV-1") == invoice


def test_a_site_reads_back_from_its_images_when_put_limited_and_deleted(
    repositories: Repositories, changes: Callable[[tables.TableSpec], list[StoredChange]]
) -> None:
    sites = repositories.sites
    site = Site("S1", "Depot", Decimal(63), limit_schedule=(LimitPeriod(time(22), time(6), Decimal(20)),))
    put = sites.put(site, T0)
    limited = sites.set_live_limit("S1", LiveLimit(Decimal("20.5"), T0 + timedelta(hours=1)), T0)
    sites.delete("S1")

    assert changes(tables.SITES) == [
        SiteChange("S1", None, put),
        SiteChange("S1", put, limited),
        SiteChange("S1", limited, None),
    ]
