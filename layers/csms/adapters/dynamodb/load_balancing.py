"""Rebalancing in DynamoDB (table LoadBalancing, one partition per site): whether a rebalance runs
("REBALANCE": `running`, `pending`, `since`), the allocation in force ("ALLOCATION"), and its history
("HISTORY#<computedAt>", kept for HISTORY_DAYS)."""

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from boto3.dynamodb.conditions import Key as KeyCondition

from csms.adapters.dynamodb.codec import decimal, encode, integer, timestamp
from csms.adapters.dynamodb.paging import read_page
from csms.domain.pagination import Page
from csms.domain.sites import LimitSource
from csms.rebalancing.models import ProfileStatus, SessionAllocation, SiteAllocation
from csms.tables import LOAD_BALANCING

_STATE = "REBALANCE"
_ALLOCATION = "ALLOCATION"
_HISTORY = "HISTORY#"
HISTORY_DAYS = 90
_NAMES = {"#running": "running", "#pending": "pending", "#since": "since"}


class DynamoDbRebalanceStates:
    def __init__(self, table: Any) -> None:
        self._table = table

    def request(self, site_id: str, at: datetime, stale_before: datetime) -> bool:
        while True:
            try:
                self._table.update_item(
                    Key=_key(site_id, _STATE),
                    UpdateExpression="SET #running = :yes, #pending = :no, #since = :at",
                    ConditionExpression="attribute_not_exists(#running) OR #running = :no OR #since < :stale",
                    ExpressionAttributeNames=_NAMES,
                    ExpressionAttributeValues={
                        ":yes": True,
                        ":no": False,
                        ":at": encode(at),
                        ":stale": encode(stale_before),
                    },
                )
                return True
            except self._conditional_failure:
                pass
            try:  # one runs: mark it pending, unless it finished meanwhile (then start one: loop)
                self._table.update_item(
                    Key=_key(site_id, _STATE),
                    UpdateExpression="SET #pending = :yes",
                    ConditionExpression="#running = :yes",
                    ExpressionAttributeNames={"#running": "running", "#pending": "pending"},
                    ExpressionAttributeValues={":yes": True},
                )
                return False
            except self._conditional_failure:
                continue

    def take_pending(self, site_id: str) -> None:
        self._table.update_item(
            Key=_key(site_id, _STATE),
            UpdateExpression="SET #pending = :no",
            ExpressionAttributeNames={"#pending": "pending"},
            ExpressionAttributeValues={":no": False},
        )

    def finish(self, site_id: str) -> bool:
        try:
            self._table.update_item(
                Key=_key(site_id, _STATE),
                UpdateExpression="SET #running = :no",
                ConditionExpression="attribute_not_exists(#pending) OR #pending = :no",
                ExpressionAttributeNames={"#running": "running", "#pending": "pending"},
                ExpressionAttributeValues={":no": False},
            )
        except self._conditional_failure:
            return True
        return False

    @property
    def _conditional_failure(self) -> type[Exception]:
        return self._table.meta.client.exceptions.ConditionalCheckFailedException


class DynamoDbAllocations:
    def __init__(self, table: Any) -> None:
        self._table = table

    def get(self, site_id: str) -> SiteAllocation | None:
        entry = self._table.get_item(Key=_key(site_id, _ALLOCATION), ConsistentRead=True).get("Item")
        return _allocation(entry) if entry else None

    def put(self, allocation: SiteAllocation) -> None:
        self._table.put_item(Item={**_key(allocation.site_id, _ALLOCATION), **_attributes(allocation)})

    def append_history(self, allocation: SiteAllocation) -> None:
        item_key = f"{_HISTORY}{encode(allocation.computed_at)}"
        expires = int((allocation.computed_at + timedelta(days=HISTORY_DAYS)).timestamp())
        self._table.put_item(
            Item={**_key(allocation.site_id, item_key), **_attributes(allocation), "expiresAt": expires}
        )

    def history(self, site_id: str, limit: int, next_token: str | None = None) -> Page[SiteAllocation]:
        page = read_page(
            self._table.query,
            LOAD_BALANCING,
            limit,
            next_token,
            KeyConditionExpression=KeyCondition("siteId").eq(site_id) & KeyCondition("itemKey").begins_with(_HISTORY),
            ScanIndexForward=False,
        )
        return Page([_allocation(entry) for entry in page.items], page.next_token)


def _key(site_id: str, item_key: str) -> dict[str, str]:
    return {"siteId": site_id, "itemKey": item_key}


def _attributes(allocation: SiteAllocation) -> dict[str, Any]:
    return {
        "limitAmps": allocation.limit_amps,
        "limitSource": allocation.limit_source.value,
        "computedAt": encode(allocation.computed_at),
        "sessions": [_session_attributes(session) for session in allocation.sessions],
    }


def _session_attributes(session: SessionAllocation) -> dict[str, Any]:
    attributes = {
        "key": session.key,
        "chargerId": session.charger_id,
        "transactionId": session.transaction_id,
        "connectorId": session.connector_id,
        "evseId": session.evse_id,
        "allocatedAmps": session.allocated_amps,
        "effectiveAmps": session.effective_amps,
        "profileStatus": session.profile_status.value,
        "lowestAmps": session.lowest_amps,
        "measuredAmps": session.measured_amps,
    }
    return {name: value for name, value in attributes.items() if value is not None}


def _allocation(entry: dict[str, Any]) -> SiteAllocation:
    computed_at = timestamp(entry["computedAt"])
    assert computed_at is not None
    return SiteAllocation(
        site_id=entry["siteId"],
        limit_amps=Decimal(entry["limitAmps"]),
        limit_source=LimitSource(entry["limitSource"]),
        computed_at=computed_at,
        sessions=tuple(_session(session) for session in entry.get("sessions", [])),
    )


def _session(entry: dict[str, Any]) -> SessionAllocation:
    return SessionAllocation(
        key=entry["key"],
        charger_id=entry["chargerId"],
        transaction_id=entry["transactionId"],
        connector_id=integer(entry.get("connectorId")),
        evse_id=integer(entry.get("evseId")),
        allocated_amps=Decimal(entry["allocatedAmps"]),
        effective_amps=Decimal(entry["effectiveAmps"]),
        profile_status=ProfileStatus(entry["profileStatus"]),
        lowest_amps=decimal(entry.get("lowestAmps")),
        measured_amps=decimal(entry.get("measuredAmps")),
    )
