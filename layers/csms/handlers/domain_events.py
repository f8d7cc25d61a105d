"""DynamoDB stream records of the announcing tables -> domain events on the bus."""

from typing import Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from csms.composition import get_services
from csms.observability import logger

_processor = BatchProcessor(event_type=EventType.DynamoDBStreams)


def _announce_record(record: DynamoDBRecord) -> None:
    stream_record = record.dynamodb
    if stream_record is None or record.event_source_arn is None:
        return
    services = get_services()
    change = services.stream_changes.decode(
        record.event_source_arn, stream_record.old_image or {}, stream_record.new_image or {}
    )
    if change is None:
        return
    events = services.domain_events.announce(change)
    if events:
        logger.info("Domain events published", extra={"events": [event.event_id for event in events]})


def publish_changes(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    """Failed records are reported back, so the stream retries them (and only them)."""
    return dict(
        process_partial_response(event=event, record_handler=_announce_record, processor=_processor, context=context)
    )
