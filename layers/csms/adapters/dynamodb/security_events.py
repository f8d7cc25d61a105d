"""Security events in DynamoDB: one item per event, by charge point and "<time>#<event id>", all of them in the
index `byTime` under one feed."""

import time
from typing import Any

from boto3.dynamodb.conditions import Attr, Key

from csms.adapters.dynamodb.codec import Image, encode, from_json_value, images, item, json_value
from csms.adapters.dynamodb.paging import read_page
from csms.domain.pagination import Page
from csms.domain.security_events import SecurityEvent, SecurityEventFilter, SecurityEventSource
from csms.domain_events.stored_changes import SecurityEventChange
from csms.tables import SECURITY_EVENTS, SECURITY_EVENTS_BY_TIME_INDEX
from csms.timeutil import parse_timestamp

FEED = "ALL"
# Kept a year from when it was stored (the charger's own time may be anything).
RETENTION_SECONDS = 365 * 24 * 3600


class DynamoDbSecurityEventRepository:
    def __init__(self, table: Any) -> None:
        self._table = table

    def put(self, event: SecurityEvent) -> None:
        self._table.put_item(
            Item=item(
                chargePointId=event.charge_point_id,
                eventKey=_event_key(event),
                feed=FEED,
                eventId=event.event_id,
                type=event.type,
                timestamp=event.timestamp,
                detail=json_value(dict(event.detail)),
                critical=event.critical,
                source=event.source.value,
                expiresAt=int(time.time()) + RETENTION_SECONDS,
            )
        )

    def page(self, where: SecurityEventFilter, limit: int, next_token: str | None = None) -> Page[SecurityEvent]:
        key: Any = (
            Key("feed").eq(FEED) if where.charge_point_id is None else Key("chargePointId").eq(where.charge_point_id)
        )
        if where.since is not None:
            key &= Key("eventKey").gte(encode(where.since))
        request: dict[str, Any] = {"KeyConditionExpression": key, "ScanIndexForward": False}
        if where.charge_point_id is None:
            request["IndexName"] = SECURITY_EVENTS_BY_TIME_INDEX
        if where.type is not None:
            request["FilterExpression"] = Attr("type").eq(where.type)
        page = read_page(self._table.query, SECURITY_EVENTS, limit, next_token, **request)
        return Page([security_event(entry) for entry in page.items], page.next_token)


def _event_key(event: SecurityEvent) -> str:
    return f"{encode(event.timestamp)}#{event.event_id}"


def security_event(entry: dict[str, Any]) -> SecurityEvent:
    return SecurityEvent(
        event_id=entry["eventId"],
        charge_point_id=entry["chargePointId"],
        type=entry["type"],
        timestamp=parse_timestamp(entry["timestamp"]),
        detail=from_json_value(entry.get("detail", {})),
        critical=bool(entry.get("critical")),
        source=SecurityEventSource(entry["source"]),
    )


def security_event_change(old: Image, new: Image) -> SecurityEventChange:
    """A stream record of this table as a domain change."""
    return SecurityEventChange((new or old)["chargePointId"], *images(old, new, security_event))
