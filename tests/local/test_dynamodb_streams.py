"""The local DynamoDB event source mapping: batches in order, failed records retried from the first."""

import threading
import time
from collections.abc import Callable
from typing import Any

from csms.local.event_sources.dynamodb_streams import StreamPoller
from csms.local.lambda_functions import LocalFunction

STREAM_ARN = "arn:aws:dynamodb:us-east-1:123456789012:table/t/stream/2026-01-01T00:00:00.000"


class FakeStreams:
    """`dynamodbstreams` with one shard holding `records`, returned in one batch."""

    def __init__(self, count: int) -> None:
        self.records = [
            {"eventID": str(n), "eventName": "INSERT", "dynamodb": {"SequenceNumber": str(100 + n), "Keys": {}}}
            for n in range(count)
        ]
        self.iterators: list[dict[str, Any]] = []

    def list_streams(self, TableName: str) -> dict[str, Any]:
        return {"Streams": [{"StreamArn": STREAM_ARN, "TableName": TableName}]}

    def describe_stream(self, StreamArn: str) -> dict[str, Any]:
        return {"StreamDescription": {"Shards": [{"ShardId": "shard-1"}]}}

    def get_shard_iterator(self, **kwargs: Any) -> dict[str, Any]:
        self.iterators.append(kwargs)
        return {"ShardIterator": "0"}

    def get_records(self, ShardIterator: str, Limit: int) -> dict[str, Any]:
        start = int(ShardIterator)
        batch = self.records[start : start + Limit]
        return {"Records": batch, "NextShardIterator": str(start + len(batch))}


def wait_for(condition: Any) -> None:
    deadline = time.monotonic() + 5
    while not condition():
        assert time.monotonic() < deadline
        time.sleep(0.01)


def test_records_reach_the_handler_as_stream_events_and_failed_ones_are_retried() -> None:
    streams = FakeStreams(4)
    calls: list[list[str]] = []
    lock = threading.Lock()

    def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
        sequences = [record["dynamodb"]["SequenceNumber"] for record in event["Records"]]
        assert {record["eventSourceARN"] for record in event["Records"]} == {STREAM_ARN}
        with lock:
            calls.append(sequences)
            first_call = len(calls) == 1
        # The first time, the third record fails (and with it, on AWS, every later one is retried).
        return {"batchItemFailures": [{"itemIdentifier": "102"}] if first_call else []}

    poller = StreamPoller(
        streams, "t", LocalFunction("domain_events", handler, 60), batch_size=100, max_retries=5, poll_seconds=0.01
    )
    poller.start()
    try:
        wait_for(lambda: len(calls) >= 2)
    finally:
        poller.stop()
    assert calls == [["100", "101", "102", "103"], ["102", "103"]]
    assert streams.iterators[0]["ShardIteratorType"] == "TRIM_HORIZON"


def test_a_batch_that_keeps_failing_is_skipped_after_the_retries() -> None:
    streams = FakeStreams(2)
    calls: list[int] = []

    def handler(event: dict[str, Any], context: Any) -> None:
        calls.append(len(event["Records"]))
        raise RuntimeError("boom")

    poller = StreamPoller(
        streams, "t", LocalFunction("domain_events", handler, 60), batch_size=100, max_retries=2, poll_seconds=0.01
    )
    poller.start()
    try:
        wait_for(lambda: len(calls) >= 3)
        time.sleep(0.7)
    finally:
        poller.stop()
    assert calls == [2, 2, 2]


class CountingStreams(FakeStreams):
    """Its records appear when `write` is called, setting the `written` event as moto's stream does."""

    def __init__(self) -> None:
        super().__init__(0)
        self.reads = 0
        self.written = threading.Event()

    def write(self) -> None:
        n = len(self.records)
        self.records.append({"eventID": str(n), "eventName": "INSERT", "dynamodb": {"SequenceNumber": str(100 + n)}})
        self.written.set()

    def get_records(self, ShardIterator: str, Limit: int) -> dict[str, Any]:
        self.reads += 1
        return super().get_records(ShardIterator, Limit)


def told_of_writes(streams: CountingStreams, handler: Callable[[dict[str, Any], Any], None]) -> StreamPoller:
    """A poller of `streams` that reads after a write (as the runtime's do), handing records to `handler`."""
    function = LocalFunction("domain_events", handler, 60)
    return StreamPoller(
        streams, "t", function, batch_size=100, max_retries=0, poll_seconds=0.01, written=streams.written
    )


def test_a_poller_told_of_writes_reads_only_after_one_and_stops_at_once() -> None:
    streams = CountingStreams()
    delivered: list[str] = []

    def handler(event: dict[str, Any], context: Any) -> None:
        delivered.extend(record["dynamodb"]["SequenceNumber"] for record in event["Records"])

    poller = told_of_writes(streams, handler)
    poller.start()
    try:
        wait_for(lambda: streams.reads == 1)
        time.sleep(0.3)
        assert streams.reads == 1  # idle: no reads every poll_seconds
        streams.write()
        streams.write()
        wait_for(lambda: delivered == ["100", "101"])
        streams.write()
        wait_for(lambda: delivered == ["100", "101", "102"])
    finally:
        started = time.monotonic()
        poller.stop()
    assert time.monotonic() - started < 1


def test_a_held_poller_delivers_nothing_until_stopped_then_drains_in_batches_of_ten() -> None:
    streams = CountingStreams()
    batches: list[int] = []

    def handler(event: dict[str, Any], context: Any) -> None:
        batches.append(len(event["Records"]))

    poller = told_of_writes(streams, handler)
    poller.start()
    try:
        streams.write()
        wait_for(lambda: batches == [1])
        poller.hold()
        for _ in range(25):
            streams.write()
        time.sleep(0.3)  # thirty polls' time
        assert batches == [1]
    finally:
        poller.stop()
    assert batches[0] == 1
    assert sum(batches) == 26
    assert max(batches[1:]) <= 10  # drained in small batches
