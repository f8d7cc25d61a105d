"""DynamoDB stream records of the announcing tables -> domain events on the bus.

The records are read here rather than with Powertools' batch processor and event data classes,
whose import imports every event type Powertools knows (about a tenth of `import boto3` on a cold
start); the partial batch response is the same.
"""

from datetime import UTC, datetime
from typing import Any

from boto3.dynamodb.types import TypeDeserializer

from csms.adapters.dynamodb.codec import Image
from csms.composition import get_services
from csms.domain_events.schemas import SecurityEventRaised
from csms.metric_names import CRITICAL_SECURITY_EVENTS
from csms.observability import logger, metrics

_deserializer = TypeDeserializer()


class NothingPublishedError(Exception):
    """No record of the batch could be announced: the invocation fails, as the errors alarm should see."""


def publish_changes(event: dict[str, Any]) -> dict[str, Any]:
    """Failed records are reported back, so the stream retries them (and only them)."""
    records = event["Records"]
    failed = [record["dynamodb"]["SequenceNumber"] for record in records if not _announced(record)]
    if records and len(failed) == len(records):
        raise NothingPublishedError(f"none of the {len(records)} stream records could be announced")
    return {"batchItemFailures": [{"itemIdentifier": sequence_number} for sequence_number in failed]}


def _announced(record: dict[str, Any]) -> bool:
    try:
        _announce_record(record)
    except Exception:
        logger.exception("Stream record not announced", extra={"sequence_number": record["dynamodb"]["SequenceNumber"]})
        return False
    return True


def _announce_record(record: dict[str, Any]) -> None:
    stream_record, event_source_arn = record.get("dynamodb"), record.get("eventSourceARN")
    if stream_record is None or event_source_arn is None:
        return
    services = get_services()
    change = services.stream_changes.decode(
        event_source_arn,
        _image(stream_record.get("OldImage")),
        _image(stream_record.get("NewImage")),
        _recorded_at(stream_record.get("ApproximateCreationDateTime")),
    )
    if change is None:
        return
    events = services.domain_events.announce(change)
    if events:
        logger.info("Domain events published", extra={"events": [event.event_id for event in events]})
    raised = sum(isinstance(event, SecurityEventRaised) for event in events)
    if raised:
        metrics.count(CRITICAL_SECURITY_EVENTS, raised)
    # The site's TxDefaultProfile is queued before the TxProfiles the rebalance sends.
    services.site_default_profiles.changed(change)
    services.rebalance_requests.changed(change)
    services.local_list_triggers.changed(change)


def _recorded_at(epoch_seconds: float | None) -> datetime | None:
    """A stream record's time: Lambda hands it over in epoch seconds."""
    return datetime.fromtimestamp(epoch_seconds, UTC) if epoch_seconds is not None else None


def _image(attribute_values: dict[str, Any] | None) -> Image:
    """A stream image (DynamoDB JSON) as the table's reads see items."""
    return {name: _deserializer.deserialize(value) for name, value in (attribute_values or {}).items()}
