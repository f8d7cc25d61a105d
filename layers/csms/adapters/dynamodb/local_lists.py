"""A charger's local list sync record: one item in its partition of ChargePoints, changed by conditional writes
(`revisions.RevisionedItem`), so two token changes at once never send two lists of one version nor lose one."""

from collections.abc import Callable
from typing import Any

from boto3.dynamodb.conditions import Key

from csms.adapters.dynamodb.codec import integer, item, query_all
from csms.adapters.dynamodb.revisions import RevisionedItem
from csms.domain.local_lists import InFlight, LocalListState
from csms.tables import CHARGE_POINTS_BY_ITEM_KEY_INDEX
from csms.timeutil import parse_timestamp

# Sorts after "NOTIFICATION#" (and before "VARIABLE#"): the charge point repository's `get()` never reads it.
LOCAL_LIST_SYNC = "SYNC#LOCAL_LIST"


class DynamoDbLocalListRepository:
    def __init__(self, charge_points_table: Any) -> None:
        self._table = charge_points_table
        self._item = RevisionedItem(charge_points_table, _state, _state_item, LocalListState())

    def get(self, charge_point_id: str) -> LocalListState:
        return self._item.get(_key(charge_point_id))

    def update(self, charge_point_id: str, change: Callable[[LocalListState], LocalListState]) -> LocalListState:
        return self._item.update(_key(charge_point_id), change, f"the local list of {charge_point_id}")

    def charge_point_ids(self) -> list[str]:
        """One Query of the keys-only `byItemKey` index."""
        keys = query_all(
            self._table,
            IndexName=CHARGE_POINTS_BY_ITEM_KEY_INDEX,
            KeyConditionExpression=Key("itemKey").eq(LOCAL_LIST_SYNC),
        )
        return sorted(key["chargePointId"] for key in keys)


def _key(charge_point_id: str) -> dict[str, str]:
    return {"chargePointId": charge_point_id, "itemKey": LOCAL_LIST_SYNC}


def _state_item(state: LocalListState) -> dict[str, Any]:
    in_flight = state.in_flight
    return item(
        enabled=state.enabled,
        active=state.active,
        version=state.version,
        held=dict(state.held),
        fullNeeded=state.full_needed,
        checkVersion=state.check_version,
        queryLimits=state.query_limits,
        unsupported=state.unsupported,
        clearing=state.clearing,
        inFlight=item(
            action=in_flight.action,
            since=in_flight.since,
            version=in_flight.version,
            connectionId=in_flight.connection_id,
        )
        if in_flight is not None
        else None,
        failure=state.failure,
    )


def _state(stored: dict[str, Any]) -> LocalListState:
    in_flight = stored.get("inFlight")
    return LocalListState(
        enabled=stored.get("enabled"),
        active=bool(stored.get("active", False)),
        version=integer(stored.get("version")),
        held=dict(stored.get("held", {})),
        full_needed=bool(stored.get("fullNeeded", True)),
        check_version=bool(stored.get("checkVersion", False)),
        query_limits=bool(stored.get("queryLimits", False)),
        unsupported=bool(stored.get("unsupported", False)),
        clearing=bool(stored.get("clearing", False)),
        in_flight=_in_flight(in_flight) if in_flight is not None else None,
        failure=stored.get("failure"),
    )


def _in_flight(stored: dict[str, Any]) -> InFlight:
    return InFlight(
        stored["action"],
        parse_timestamp(stored["since"]),
        integer(stored.get("version")),
        stored.get("connectionId"),
    )
