"""Domain events reach a consumer: an EventBridge rule on the bus, targeting an SQS queue."""

import asyncio
import json
from typing import Any

import pytest
from boto3.dynamodb.types import TypeDeserializer
from ocpp.v16 import call as call16
from pydantic import TypeAdapter

from csms import tables
from csms.adapters.dynamodb.streams import DynamoDbStreamChanges
from csms.domain_events.changes import events_of
from csms.domain_events.schemas import (
    EVENT_SOURCE,
    ChargePointBooted,
    ChargePointStatusChanged,
    DomainEvent,
    TransactionEnded,
    TransactionStarted,
)
from csms.local.aws_backend import table_name
from csms.local.runtime import LocalRuntime
from tests.e2e.charge_points import connected
from tests.e2e.conftest import OperatorApi

pytestmark = pytest.mark.e2e

MODELS: dict[str, type[DomainEvent]] = {
    model.detail_type: model
    for model in (ChargePointBooted, ChargePointStatusChanged, TransactionStarted, TransactionEnded)
}


def subscribe(runtime: LocalRuntime) -> str:
    """What an integrator does: a rule on the bus (source csms) that targets their queue."""
    sqs = runtime.backend.client("sqs")
    queue_url: str = sqs.create_queue(QueueName="integration")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    events = runtime.backend.client("events")
    bus = runtime.environment["EVENT_BUS_NAME"]
    events.put_rule(Name="integration", EventBusName=bus, EventPattern=json.dumps({"source": [EVENT_SOURCE]}))
    events.put_targets(Rule="integration", EventBusName=bus, Targets=[{"Id": "queue", "Arn": queue_arn}])
    return queue_url


async def received(runtime: LocalRuntime, queue_url: str, until: set[str]) -> list[dict[str, Any]]:
    """Every event on the queue, once all detail types in `until` have arrived (and a little more)."""
    sqs = runtime.backend.client("sqs")
    messages: list[dict[str, Any]] = []
    quiet_rounds = 0
    for _ in range(100):
        batch = await asyncio.to_thread(
            sqs.receive_message, QueueUrl=queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=0
        )
        for message in batch.get("Messages", []):
            messages.append(json.loads(message["Body"]))
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
        arrived = {m["detail-type"] for m in messages}
        quiet_rounds = quiet_rounds + 1 if not batch.get("Messages") else 0
        if until <= arrived and quiet_rounds >= 5:
            return messages
        await asyncio.sleep(0.1)
    raise AssertionError(f"only {sorted({m['detail-type'] for m in messages})} arrived")


def replayed_event_ids(runtime: LocalRuntime) -> set[str]:
    """The events of every stream record so far, derived again (as a retried batch would be)."""
    streams = runtime.backend.client("dynamodbstreams")
    deserializer = TypeDeserializer()
    stream_changes = DynamoDbStreamChanges(lambda spec: table_name(spec, runtime.options.table_prefix))
    ids: set[str] = set()
    for spec in (tables.CHARGE_POINTS, tables.TRANSACTIONS):
        (stream,) = streams.list_streams(TableName=table_name(spec, runtime.options.table_prefix))["Streams"]
        shard = streams.describe_stream(StreamArn=stream["StreamArn"])["StreamDescription"]["Shards"][0]
        iterator = streams.get_shard_iterator(
            StreamArn=stream["StreamArn"], ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON"
        )["ShardIterator"]
        for record in streams.get_records(ShardIterator=iterator, Limit=1000)["Records"]:
            images = [
                {k: deserializer.deserialize(v) for k, v in record["dynamodb"].get(name, {}).items()}
                for name in ("OldImage", "NewImage")
            ]
            change = stream_changes.decode(stream["StreamArn"], *images)
            ids.update(event.event_id for event in (events_of(change) if change is not None else []))
    return ids


async def test_an_ocpp16_session_is_announced_on_the_bus(runtime: LocalRuntime, api: OperatorApi) -> None:
    queue_url = subscribe(runtime)
    await api.register_charger("CP-EV")
    await api.register_token("TAG-EV")

    async with connected(runtime, "CP-EV", "ocpp1.6") as charge_point:
        await charge_point.call(
            call16.BootNotification(charge_point_vendor="Acme", charge_point_model="AC-22", firmware_version="1.2")
        )
        await charge_point.call(call16.StatusNotification(connector_id=1, error_code="NoError", status="Available"))
        start = await charge_point.call(
            call16.StartTransaction(connector_id=1, id_tag="TAG-EV", meter_start=1000, timestamp="2026-11-23T09:00:00Z")
        )
        await charge_point.call(call16.StatusNotification(connector_id=1, error_code="NoError", status="Charging"))
        await charge_point.call(
            call16.StopTransaction(
                meter_stop=8500, timestamp="2026-11-23T10:00:00Z", transaction_id=start.transaction_id, reason="Local"
            )
        )

    messages = await received(runtime, queue_url, until=set(MODELS))

    events: dict[str, list[DomainEvent]] = {}
    for message in messages:
        assert message["source"] == EVENT_SOURCE
        model = MODELS[message["detail-type"]]
        events.setdefault(message["detail-type"], []).append(TypeAdapter(model).validate_python(message["detail"]))
        assert message["detail"]["schemaVersion"] == 1
    transaction_id = str(start.transaction_id)

    (booted,) = events["ChargePointBooted"]
    assert isinstance(booted, ChargePointBooted)
    assert (booted.charge_point_id, booted.vendor, booted.model, booted.firmware_version) == (
        "CP-EV",
        "Acme",
        "AC-22",
        "1.2",
    )
    statuses = [(e.status, e.previous_status) for e in events["ChargePointStatusChanged"]]  # type: ignore[attr-defined]
    assert statuses == [("Available", None), ("Charging", "Available")]
    (started,) = events["TransactionStarted"]
    assert isinstance(started, TransactionStarted)
    assert (started.transaction_id, started.id_token, started.meter_start, started.connector_id) == (
        transaction_id,
        "TAG-EV",
        1000,
        1,
    )
    assert started.event_id == f"TransactionStarted:CP-EV:{transaction_id}"
    (ended,) = events["TransactionEnded"]
    assert isinstance(ended, TransactionEnded)
    assert ended.event_id == f"TransactionEnded:CP-EV:{transaction_id}"
    assert (ended.energy_wh, ended.stop_reason, ended.ocpp_version) == (7500, "Local", "1.6")

    # Each eventId is stable: the stream's records, derived again, give exactly the ids received.
    received_ids = [event.event_id for group in events.values() for event in group]
    assert len(received_ids) == len(set(received_ids))
    assert await asyncio.to_thread(replayed_event_ids, runtime) == set(received_ids)
