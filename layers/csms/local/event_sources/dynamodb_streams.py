"""A local DynamoDB event source mapping: reads a table's stream and invokes a Lambda handler.

As the stack's mapping (`stacks/constructs/events.py`, batch size and retries from the function's
`TableStreams` trigger) with `ReportBatchItemFailures`: records go to the handler in batches, in
order; when it reports failed records (or raises), the batch is retried from the first failed
record, up to `max_retries` times, after which the rest of the batch is logged as dead-lettered
and skipped. The stream ARN comes from `ListStreams`; when the table is replaced under the poller,
the poller finds the new stream and reads it from its start. At `stop` the poller first hands the
handler what the stream still holds (a session that ended just before a restart is still told to
the handlers), for a bounded time.

Given the event its table's writes set (`written`), a poller that found nothing waits for the next
write, then `poll_seconds` more (so a burst is read as one batch), rather than reading every
`poll_seconds`: an idle table costs no reads, and a record still waits at most `poll_seconds`. After a
batch that was not full it also waits `poll_seconds` before reading again, so that a busy table is read
about as often as Lambda reads a shard (four times a second), in batches as large as Lambda's, rather
than in a stream of small ones that each cost a read and an invocation.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from csms.local import lambda_events
from csms.local.lambda_functions import LocalFunction

log = logging.getLogger("local-runtime.stream")

# Lambda polls a DynamoDB stream's shard at a base rate of four times a second.
_POLL_SECONDS = 0.25
_RETRY_SECONDS = 0.2
DRAIN_SECONDS = 2.0
_DRAIN_BATCH_SIZE = 10
# Without a write, a read at least this often (a table replaced under the poller is found again).
_IDLE_POLL_SECONDS = 5.0


class StreamPoller:
    def __init__(
        self,
        streams: Any,
        table_name: str,
        function: LocalFunction,
        *,
        batch_size: int,
        max_retries: int,
        poll_seconds: float = _POLL_SECONDS,
        written: threading.Event | None = None,
    ) -> None:
        self._streams = streams
        self._table_name = table_name
        self._function = function
        self._batch_size = batch_size
        self._max_retries = max_retries
        self._poll_seconds = poll_seconds
        self._written = written
        self._stream_arn: str | None = None
        self._iterator: str | None = None
        self._last_sequence: str | None = None
        self._holding = threading.Event()
        self._draining = threading.Event()
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._poll, name=f"csms-local-{table_name}-stream", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def hold(self) -> None:
        """Start no delivery until `stop` (a batch being delivered goes on): at shutdown the runtime closes
        the connections first, and deliveries would compete with that for the interpreter lock."""
        self._holding.set()

    def stop(self, drain_seconds: float = DRAIN_SECONDS) -> None:
        """Deliver what the stream still holds (for up to `drain_seconds`), then stop polling."""
        self._draining.set()
        if self._written is not None:
            self._written.set()  # no longer waiting for a write
        if self._thread.is_alive():
            self._thread.join(drain_seconds)
        self._stopping.set()
        if self._thread.is_alive():
            self._thread.join()

    def _poll(self) -> None:
        while not self._stopping.is_set():
            if self._holding.is_set():
                self._draining.wait()
            try:
                records = self._next_records()
            except Exception:
                if self._stopping.is_set():
                    return
                log.debug("reading the stream of %s failed; finding it again", self._table_name, exc_info=True)
                self._iterator = None
                self._stopping.wait(_RETRY_SECONDS)
                continue
            if records:
                if self._holding.is_set():  # read as `hold` was called
                    self._draining.wait()
                self._deliver(records)
                if len(records) < self._batch_size:
                    self._draining.wait(self._poll_seconds)  # the rest of a burst, read as one batch
            elif self._draining.is_set():
                return
            else:
                self._wait_for_records()

    def _wait_for_records(self) -> None:
        if self._written is not None:
            self._written.wait(_IDLE_POLL_SECONDS)
        self._draining.wait(self._poll_seconds)

    def _next_records(self) -> list[dict[str, Any]]:
        if self._iterator is None:
            self._iterator = self._open_iterator()
            if self._iterator is None:
                return []
        if self._written is not None:
            self._written.clear()  # a write from now on is read next time
        # While draining, small batches: the one in progress when the drain time is up is waited for.
        limit = min(self._batch_size, _DRAIN_BATCH_SIZE) if self._draining.is_set() else self._batch_size
        response = self._streams.get_records(ShardIterator=self._iterator, Limit=limit)
        self._iterator = response.get("NextShardIterator")
        records: list[dict[str, Any]] = response.get("Records", [])
        if records:
            self._last_sequence = records[-1]["dynamodb"]["SequenceNumber"]
        return records

    def _open_iterator(self) -> str | None:
        streams = self._streams.list_streams(TableName=self._table_name).get("Streams", [])
        if not streams:
            return None
        stream_arn = streams[0]["StreamArn"]
        if stream_arn != self._stream_arn:  # a new table: read its stream from the start
            self._stream_arn, self._last_sequence = stream_arn, None
        shard_id = self._streams.describe_stream(StreamArn=stream_arn)["StreamDescription"]["Shards"][0]["ShardId"]
        position: dict[str, str] = (
            {"ShardIteratorType": "AFTER_SEQUENCE_NUMBER", "SequenceNumber": self._last_sequence}
            if self._last_sequence
            else {"ShardIteratorType": "TRIM_HORIZON"}
        )
        iterator: str = self._streams.get_shard_iterator(StreamArn=stream_arn, ShardId=shard_id, **position)[
            "ShardIterator"
        ]
        return iterator

    def _deliver(self, records: list[dict[str, Any]]) -> None:
        assert self._stream_arn is not None
        pending = records
        for attempt in range(self._max_retries + 1):
            first_failed = self._invoke(pending)
            if first_failed is None:
                return
            pending = pending[first_failed:]
            if attempt < self._max_retries and self._stopping.wait(_RETRY_SECONDS * (attempt + 1)):
                return
        log.error(
            "%s failed on %d records of %s %d times; skipped (dead-lettered on AWS)",
            self._function.name,
            len(pending),
            self._table_name,
            self._max_retries + 1,
        )

    def _invoke(self, records: list[dict[str, Any]]) -> int | None:
        """Hand `records` to the handler; the index of the first record to retry, or None."""
        assert self._stream_arn is not None
        event = lambda_events.dynamodb_stream_event(self._stream_arn, records)
        try:
            response = self._function.invoke(event)
        except Exception:
            log.exception("%s failed; the batch will be retried", self._function.name)
            return 0
        failures = (response or {}).get("batchItemFailures") or []
        if not failures:
            return None
        failed = {failure["itemIdentifier"] for failure in failures}
        for index, record in enumerate(records):
            if record["dynamodb"]["SequenceNumber"] in failed:
                log.warning("%s reported %d failed records; retrying", self._function.name, len(failed))
                return index
        return 0
