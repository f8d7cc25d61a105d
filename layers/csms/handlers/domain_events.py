"""DynamoDB stream records of the announcing tables -> domain events on the bus, and what the changes call for.

The records are read here rather than with Powertools' batch processor and event data classes,
whose import imports every event type Powertools knows (about a tenth of `import boto3` on a cold
start); the partial batch response is the same.

A batch is handled in stages, each for the records that came through the one before: decoded; their events
published together (PutEvents of up to ten entries); the site TxDefaultProfiles sent; the rebalances
requested, each site once, after one read of the chargers' sites; the local lists brought up to date. A
record that fails a stage is reported and not taken further; the stream retries it, and consumers of its
events deduplicate.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from boto3.dynamodb.types import TypeDeserializer

from csms.adapters.dynamodb.codec import Image
from csms.composition import Services, get_services
from csms.domain_events.schemas import SecurityEventRaised
from csms.domain_events.stored_changes import StoredChange
from csms.metric_names import CRITICAL_SECURITY_EVENTS
from csms.observability import logger, metrics

_deserializer = TypeDeserializer()


class NothingPublishedError(Exception):
    """No record of the batch could be announced: the invocation fails, as the errors alarm should see."""


@dataclass(frozen=True)
class _Change:
    sequence_number: str
    change: StoredChange


def publish_changes(event: dict[str, Any]) -> dict[str, Any]:
    """Failed records are reported back, so the stream retries them (and only them)."""
    records = event["Records"]
    services = get_services()
    failed: set[str] = set()
    changes = [change for record in records if (change := _decoded(record, services, failed))]
    changes = _together(changes, failed, "domain events", lambda batch: _announced(batch, services))
    # The site's TxDefaultProfile is queued before the TxProfiles the rebalance sends.
    changes = _each(changes, failed, services.site_default_profiles.changed)
    changes = _together(changes, failed, "rebalances", lambda batch: _rebalances_requested(batch, services))
    _each(changes, failed, services.local_list_triggers.changed)
    if records and len(failed) == len(records):
        raise NothingPublishedError(f"none of the {len(records)} stream records could be announced")
    reported = [record["dynamodb"]["SequenceNumber"] for record in records if record.get("dynamodb")]
    return {"batchItemFailures": [{"itemIdentifier": number} for number in reported if number in failed]}


def _decoded(record: dict[str, Any], services: Services, failed: set[str]) -> _Change | None:
    """The stored change of a record (None: none, or not decoded, then counted as failed)."""
    stream_record, event_source_arn = record.get("dynamodb"), record.get("eventSourceARN")
    if stream_record is None or event_source_arn is None:
        return None
    try:
        change = services.stream_changes.decode(
            event_source_arn,
            _image(stream_record.get("OldImage")),
            _image(stream_record.get("NewImage")),
            _recorded_at(stream_record.get("ApproximateCreationDateTime")),
        )
    except Exception:
        _failed(stream_record["SequenceNumber"], failed)
        return None
    return _Change(stream_record["SequenceNumber"], change) if change is not None else None


def _announced(changes: list[StoredChange], services: Services) -> list[bool]:
    announced = services.domain_events.announce(changes)
    published = [event for events in announced if events for event in events]
    if published:
        logger.info("Domain events published", extra={"events": [event.event_id for event in published]})
    raised = sum(isinstance(event, SecurityEventRaised) for event in published)
    if raised:
        metrics.count(CRITICAL_SECURITY_EVENTS, raised)
    if None in announced:
        logger.error("Domain events not accepted", extra={"not_accepted": announced.count(None)})
    return [events is not None for events in announced]


def _rebalances_requested(changes: list[StoredChange], services: Services) -> list[bool]:
    not_requested = {id(change) for change in services.rebalance_requests.changed(changes)}
    return [id(change) not in not_requested for change in changes]


def _together(
    changes: list[_Change], failed: set[str], stage: str, action: Callable[[list[StoredChange]], list[bool]]
) -> list[_Change]:
    """`action` on the changes at once, which tells which it did; all are failed when it raised."""
    if not changes:
        return []
    try:
        done = action([change.change for change in changes])
    except Exception:
        logger.exception("Stream records not handled", extra={"stage": stage})
        failed.update(change.sequence_number for change in changes)
        return []
    failed.update(change.sequence_number for change, ok in zip(changes, done, strict=True) if not ok)
    return [change for change, ok in zip(changes, done, strict=True) if ok]


def _each(changes: list[_Change], failed: set[str], action: Callable[[StoredChange], object]) -> list[_Change]:
    """`action` on each change; those it raised for are failed."""
    done: list[_Change] = []
    for change in changes:
        try:
            action(change.change)
        except Exception:
            _failed(change.sequence_number, failed)
            continue
        done.append(change)
    return done


def _failed(sequence_number: str, failed: set[str]) -> None:
    logger.exception("Stream record not announced", extra={"sequence_number": sequence_number})
    failed.add(sequence_number)


def _recorded_at(epoch_seconds: float | None) -> datetime | None:
    """A stream record's time: Lambda hands it over in epoch seconds."""
    return datetime.fromtimestamp(epoch_seconds, UTC) if epoch_seconds is not None else None


def _image(attribute_values: dict[str, Any] | None) -> Image:
    """A stream image (DynamoDB JSON) as the table's reads see items."""
    return {name: _deserializer.deserialize(value) for name, value in (attribute_values or {}).items()}
