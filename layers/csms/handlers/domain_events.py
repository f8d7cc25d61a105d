"""DynamoDB stream records of the announcing tables -> domain events on the bus."""

from functools import cache
from typing import Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from csms import tables
from csms.events.changes import EVENTS_BY_TABLE
from csms.events.publisher import EventBridgePublisher
from csms.observability import logger
from csms.settings import get_settings

_processor = BatchProcessor(event_type=EventType.DynamoDBStreams)


@cache
def _publisher() -> EventBridgePublisher:
    return EventBridgePublisher(get_settings().event_bus_name)


def _logical_table_name(event_source_arn: str) -> str:
    """`arn:aws:dynamodb:<region>:<account>:table/<name>/stream/<label>` -> the table's logical name."""
    physical = event_source_arn.split(":table/", 1)[1].split("/", 1)[0]
    names = {get_settings().table_name(spec): spec.logical_name for spec in tables.TABLES}
    return names[physical]


def _publish_record(record: DynamoDBRecord) -> None:
    stream_record = record.dynamodb
    if stream_record is None or record.event_source_arn is None:
        return
    to_events = EVENTS_BY_TABLE[_logical_table_name(record.event_source_arn)]
    events = to_events(stream_record.old_image or {}, stream_record.new_image or {})
    if events:
        _publisher().publish(events)
        logger.info("Domain events published", extra={"events": [event.event_id for event in events]})


def publish_changes(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    """Failed records are reported back, so the stream retries them (and only them)."""
    return dict(
        process_partial_response(event=event, record_handler=_publish_record, processor=_processor, context=context)
    )
