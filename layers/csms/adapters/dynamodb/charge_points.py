"""Charge points in DynamoDB: a PROFILE item, one item per connector, and notifications."""

from collections.abc import Collection, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from boto3.dynamodb.conditions import Key

from csms.adapters.dynamodb.codec import (
    Image,
    count_all,
    encode,
    from_json_value,
    get_all,
    images,
    integer,
    item,
    json_value,
    query_all,
    timestamp,
)
from csms.adapters.dynamodb.paging import read_page, read_page_merged
from csms.domain.filters import ChargePointFilter
from csms.domain.models import BootInfo, ChargePoint, ConnectorStatus, FleetCounts, Notification, StoredCredentials
from csms.domain.pagination import Page, collect_page
from csms.domain.ports import SupersededConnectionError
from csms.domain.sites import DEFAULT_MAX_CURRENT_AMPS, DEFAULT_PHASES, ChargerWiring, WiringChange
from csms.domain_events.stored_changes import ConnectorChange, ProfileChange
from csms.tables import (
    CHARGE_POINTS,
    CHARGE_POINTS_BY_FEED_INDEX,
    CHARGE_POINTS_BY_ITEM_KEY_INDEX,
    CHARGE_POINTS_BY_SITE_INDEX,
)
from csms.timeutil import parse_timestamp
from csms.wire.versions import OcppVersion

# Sort keys order as "#PROFILE" < "CONNECTOR#..." < "NOTIFICATION#..." < "VARIABLE#..." (reported
# configuration, see `configuration.py`): one Query reads a charge point and its connectors
# without its (possibly many and large) notifications and configuration.
PROFILE = "#PROFILE"
CONNECTOR_PREFIX = "CONNECTOR#"
NOTIFICATION_PREFIX = "NOTIFICATION#"
# `feed` values (the sparse index `byFeed`): a connected profile, a Faulted connector, a notification of a kind.
CONNECTED_FEED = "CONNECTED"
FAULTED_FEED = "FAULTED"


class DynamoDbChargePointRepository:
    def __init__(self, table: Any) -> None:
        self._table = table

    def get(self, charge_point_id: str) -> ChargePoint | None:
        response = self._table.query(
            KeyConditionExpression=Key("chargePointId").eq(charge_point_id) & Key("itemKey").lt(NOTIFICATION_PREFIX)
        )
        charge_points = _assemble(response.get("Items", []))
        return charge_points[0] if charge_points else None

    def register(
        self,
        charge_point_id: str,
        password_hash: str | None,
        at: datetime,
        tariff_id: str | None = None,
        wiring: WiringChange | None = None,
    ) -> None:
        change = wiring or WiringChange()
        names = {"#registeredAt": "registeredAt", "#updatedAt": "updatedAt"}
        values: dict[str, Any] = {":at": encode(at)}
        assignments = ["#registeredAt = if_not_exists(#registeredAt, :at)", "#updatedAt = :at"]
        given = {
            "passwordHash": password_hash,
            "tariffId": tariff_id,
            "siteId": change.site_id,
            "maxCurrentAmps": change.max_current_amps,
            "phases": change.phases,
            "sitePhase": change.site_phase,
        }
        for name, value in given.items():
            if value is not None:
                assignments.append(f"#{name} = :{name}")
                names[f"#{name}"] = name
                values[f":{name}"] = value
        expression = "SET " + ", ".join(assignments)
        removed = [
            name
            for name, removes in (("siteId", change.leaves_site), ("sitePhase", change.clears_site_phase))
            if removes
        ]
        if removed:
            expression += " REMOVE " + ", ".join(f"#{name}" for name in removed)
            names.update({f"#{name}": name for name in removed})
        self._update_profile(charge_point_id, expression, names, values)

    def get_credentials(self, charge_point_id: str) -> StoredCredentials:
        response = self._table.get_item(
            Key={"chargePointId": charge_point_id, "itemKey": PROFILE},
            ProjectionExpression="chargePointId, securityProfile, passwordHash",
            ConsistentRead=True,  # a password or profile changed a moment ago is the one checked
        )
        profile = response.get("Item")
        if profile is None:
            return StoredCredentials(registered=False, security_profile=None, password_hash=None)
        return StoredCredentials(True, integer(profile.get("securityProfile")), profile.get("passwordHash"))

    def set_security_profile(self, charge_point_id: str, profile: int) -> None:
        self._update_profile(
            charge_point_id,
            "SET #profile = :profile",
            {"#profile": "securityProfile"},
            {":profile": profile},
            condition="attribute_exists(itemKey)",
        )

    def sites_of(self, charge_point_ids: Collection[str]) -> dict[str, str]:
        """BatchGetItem of the profiles projecting `chargePointId` and `siteId`, 100 a request."""
        keys = [{"chargePointId": cid, "itemKey": PROFILE} for cid in sorted(set(charge_point_ids))]
        entries = get_all(self._table, keys, projection="chargePointId, siteId")
        return {str(entry["chargePointId"]): str(entry["siteId"]) for entry in entries if entry.get("siteId")}

    def ids_at_site(self, site_id: str) -> list[str]:
        keys = query_all(
            self._table, IndexName=CHARGE_POINTS_BY_SITE_INDEX, KeyConditionExpression=Key("siteId").eq(site_id)
        )
        return [key["chargePointId"] for key in keys]

    def profiles_of(self, charge_point_ids: Sequence[str] | None = None) -> list[ChargePoint]:
        """The ids (given, or every profile's from the keys-only index `byItemKey`), then the profiles by
        BatchGetItem, 100 a request."""
        if charge_point_ids is None:
            keys = query_all(
                self._table,
                IndexName=CHARGE_POINTS_BY_ITEM_KEY_INDEX,
                KeyConditionExpression=Key("itemKey").eq(PROFILE),
            )
            charge_point_ids = [key["chargePointId"] for key in keys]
        entries = get_all(self._table, [{"chargePointId": cid, "itemKey": PROFILE} for cid in charge_point_ids])
        return sorted((_charge_point(entry) for entry in entries), key=lambda cp: cp.charge_point_id)

    def list_notifications(self, charge_point_id: str, kind: str, since: datetime) -> list[Notification]:
        entries = query_all(
            self._table,
            KeyConditionExpression=Key("chargePointId").eq(charge_point_id) & _received(kind, since),
        )
        return [_notification(entry) for entry in entries]

    def page_notifications(
        self,
        charge_point_id: str,
        kinds: Sequence[str],
        since: datetime | None,
        limit: int,
        next_token: str | None = None,
    ) -> Page[Notification]:
        """A Query per kind (its sort keys order by receipt time), merged newest first."""
        requests = [
            {
                "KeyConditionExpression": Key("chargePointId").eq(charge_point_id) & _received(kind, since),
                "ScanIndexForward": False,
            }
            for kind in sorted(kinds)
        ]
        page = read_page_merged(self._table.query, CHARGE_POINTS, requests, limit, next_token, order_by="receivedAt")
        return Page([_notification(entry) for entry in page.items], page.next_token)

    def latest_notifications(self, kinds: Sequence[str], limit: int) -> list[Notification]:
        """The newest keys of each kind from the keys-only index `byFeed`, then only the `limit` newest read."""
        keys = [
            key
            for kind in kinds
            for key in self._table.query(
                IndexName=CHARGE_POINTS_BY_FEED_INDEX,
                KeyConditionExpression=Key("feed").eq(_notification_prefix(kind)),
                ScanIndexForward=False,
                Limit=limit,
            ).get("Items", [])
        ]
        newest = sorted(keys, key=lambda key: _receipt_of(key["itemKey"]), reverse=True)[:limit]
        entries = get_all(self._table, [{"chargePointId": k["chargePointId"], "itemKey": k["itemKey"]} for k in newest])
        return sorted((_notification(entry) for entry in entries), key=_newest, reverse=True)

    def count_fleet(self) -> FleetCounts:
        """Three Queries of keys-only indexes: every profile, the connected ones, the Faulted connectors."""
        faulted = query_all(
            self._table,
            IndexName=CHARGE_POINTS_BY_FEED_INDEX,
            KeyConditionExpression=Key("feed").eq(FAULTED_FEED),
        )
        return FleetCounts(
            total=count_all(
                self._table,
                IndexName=CHARGE_POINTS_BY_ITEM_KEY_INDEX,
                KeyConditionExpression=Key("itemKey").eq(PROFILE),
            ),
            connected=count_all(
                self._table,
                IndexName=CHARGE_POINTS_BY_FEED_INDEX,
                KeyConditionExpression=Key("feed").eq(CONNECTED_FEED),
            ),
            faulted=len({key["chargePointId"] for key in faulted}),
        )

    def delete(self, charge_point_id: str) -> None:
        keys = query_all(
            self._table,
            KeyConditionExpression=Key("chargePointId").eq(charge_point_id),
            ProjectionExpression="chargePointId, itemKey",
        )
        with self._table.batch_writer() as batch:
            for key in keys:
                batch.delete_item(Key=key)

    def next_local_list_version(self, charge_point_id: str) -> int:
        try:
            response = self._table.update_item(
                Key={"chargePointId": charge_point_id, "itemKey": PROFILE},
                UpdateExpression="ADD #version :one",
                ConditionExpression="attribute_exists(itemKey)",
                ExpressionAttributeNames={"#version": "localListVersion"},
                ExpressionAttributeValues={":one": 1},
                ReturnValues="UPDATED_NEW",
            )
        except self._table.meta.client.exceptions.ConditionalCheckFailedException as error:
            raise LookupError(f"No charge point {charge_point_id}") from error
        return int(response["Attributes"]["localListVersion"])

    def page(self, where: ChargePointFilter, limit: int, next_token: str | None = None) -> Page[ChargePoint]:
        """Ids in order from the keys-only index, then each charge point read and filtered.

        The filters are on the profile and its connectors, which the index does not hold: a
        filter that matches few charge points reads on through the index until the page is full.
        """

        def matching(count: int, token: str | None) -> Page[ChargePoint]:
            ids = read_page(
                self._table.query,
                CHARGE_POINTS,
                count,
                token,
                filtered_by=repr(where),
                IndexName=CHARGE_POINTS_BY_ITEM_KEY_INDEX,
                KeyConditionExpression=Key("itemKey").eq(PROFILE),
            )
            found = (self.get(key["chargePointId"]) for key in ids.items)
            return Page([cp for cp in found if cp is not None and where.matches(cp)], ids.next_token)

        return collect_page(matching, limit, next_token)

    def record_connected(
        self, charge_point_id: str, connection_id: str, version: OcppVersion, at: datetime
    ) -> str | None:
        try:
            old = self._set(
                charge_point_id,
                # Timestamps are fixed-width RFC 3339 strings: they compare as the times do.
                condition="attribute_not_exists(#connectionId) OR #connectedAt < :connectedAt"
                " OR (#connectedAt = :connectedAt AND #connectionId < :connectionId)",
                connectionId=connection_id,
                connected=True,
                ocppVersion=version.value,
                connectedAt=at,
                lastSeen=at,
                feed=CONNECTED_FEED,
            )
        except self._table.meta.client.exceptions.ConditionalCheckFailedException as error:
            raise SupersededConnectionError(charge_point_id) from error
        previous = old.get("connectionId")
        return str(previous) if previous else None

    def current_connection_id(self, charge_point_id: str) -> str | None:
        response = self._table.get_item(
            Key={"chargePointId": charge_point_id, "itemKey": PROFILE},
            ProjectionExpression="connectionId",
            ConsistentRead=True,
        )
        current = response.get("Item", {}).get("connectionId")
        return str(current) if current else None

    def record_disconnected(self, charge_point_id: str, connection_id: str, at: datetime) -> bool:
        client_errors = self._table.meta.client.exceptions
        try:
            self._table.update_item(
                Key={"chargePointId": charge_point_id, "itemKey": PROFILE},
                UpdateExpression="SET #connected = :false, #lastSeen = :at REMOVE #connectionId, #feed",
                ConditionExpression="#connectionId = :connectionId",
                ExpressionAttributeNames={
                    "#connected": "connected",
                    "#lastSeen": "lastSeen",
                    "#connectionId": "connectionId",
                    "#feed": "feed",
                },
                ExpressionAttributeValues={":false": False, ":at": encode(at), ":connectionId": connection_id},
            )
        except client_errors.ConditionalCheckFailedException:
            return False
        return True

    def record_boot(self, charge_point_id: str, boot: BootInfo, at: datetime) -> ChargePoint:
        fields = {
            "vendor": boot.vendor,
            "model": boot.model,
            "serialNumber": boot.serial_number,
            "firmwareVersion": boot.firmware_version,
            "bootReason": boot.boot_reason,
            "lastBoot": at,
            "lastSeen": at,
        }
        present = {name: value for name, value in fields.items() if value is not None}
        profile = self._update_profile(
            charge_point_id,
            "SET " + ", ".join(f"#{name} = :{name}" for name in present),
            {f"#{name}": name for name in present},
            {f":{name}": encode(value) for name, value in present.items()},
            returning="ALL_NEW",
        )
        return _charge_point(profile)

    def mark_provisioning_profile(self, charge_point_id: str, present: bool) -> None:
        try:
            self._update_profile(
                charge_point_id,
                "SET #marker = :present",
                {"#marker": "provisioningProfile"},
                {":present": present},
                condition="attribute_exists(itemKey)",
            )
        except self._table.meta.client.exceptions.ConditionalCheckFailedException:
            return  # not registered: nothing to mark

    def record_status(self, charge_point_id: str, status: ConnectorStatus) -> None:
        """One UpdateItem, which also keeps the connector's idle tracking (see `ConnectorStatus`), on
        condition that the stored status is not newer; a second one only for a late non-idle status."""
        fields = {
            "connectorId": status.connector_id,
            "evseId": status.evse_id,
            "status": status.status,
            "errorCode": status.error_code,
            "info": status.info,
            "timestamp": status.timestamp,
            "feed": FAULTED_FEED if status.faulted else None,
        }
        assignments = [f"#{name} = :{name}" for name, value in fields.items() if value is not None]
        removals = [f"#{name}" for name, value in fields.items() if value is None]
        values = {f":{name}": encode(value) for name, value in fields.items() if value is not None}
        if status.charging:
            assignments.append("#lastChargingAt = :timestamp")
            removals.append("#idleSince")
        elif status.vehicle_idle:
            assignments.append("#idleSince = if_not_exists(#idleSince, :timestamp)")
        else:
            removals.append("#idleSince")
        names = {f"#{name}": name for name in [*fields, "idleSince"]}
        if status.charging:
            names["#lastChargingAt"] = "lastChargingAt"
        key = {"chargePointId": charge_point_id, "itemKey": _connector_item_key(status.evse_id, status.connector_id)}
        client_errors = self._table.meta.client.exceptions
        try:
            self._table.update_item(
                Key=key,
                UpdateExpression=f"SET {', '.join(assignments)}"
                + (f" REMOVE {', '.join(removals)}" if removals else ""),
                # Timestamps are fixed-width RFC 3339 strings: they compare as the times do.
                ConditionExpression="attribute_not_exists(#timestamp) OR #timestamp <= :timestamp",
                ExpressionAttributeNames=names,
                ExpressionAttributeValues=values,
            )
        except client_errors.ConditionalCheckFailedException:
            if not status.vehicle_idle:
                self._end_idle_period_begun_before(key, status)

    def _end_idle_period_begun_before(self, key: dict[str, str], late: ConnectorStatus) -> None:
        """A late status that is not idle still shows an idle period that began before it was interrupted."""
        try:
            self._table.update_item(
                Key=key,
                UpdateExpression="REMOVE #idleSince",
                ConditionExpression="#idleSince <= :timestamp",
                ExpressionAttributeNames={"#idleSince": "idleSince"},
                ExpressionAttributeValues={":timestamp": encode(late.timestamp)},
            )
        except self._table.meta.client.exceptions.ConditionalCheckFailedException:
            return  # no idle period, or one that began after it

    def get_connector(self, charge_point_id: str, evse_id: int | None, connector_id: int) -> ConnectorStatus | None:
        key = _connector_item_key(evse_id, connector_id)
        entry = self._table.get_item(Key={"chargePointId": charge_point_id, "itemKey": key}).get("Item")
        return _connector(entry) if entry else None

    def record_seen(self, charge_point_id: str, at: datetime) -> None:
        self._set(charge_point_id, lastSeen=at)

    def record_notification(
        self, charge_point_id: str, kind: str, message_id: str, at: datetime, details: dict[str, object]
    ) -> None:
        self._table.put_item(
            Item=item(
                chargePointId=charge_point_id,
                itemKey=f"{_notification_prefix(kind)}{encode(at)}#{message_id}",
                feed=_notification_prefix(kind),
                kind=kind,
                messageId=message_id,
                receivedAt=at,
                details=json_value(details),
            )
        )

    def _set(self, charge_point_id: str, *, condition: str | None = None, **attributes: Any) -> dict[str, Any]:
        """Set attributes of the profile (`#name`, `:name` in `condition`); returns their previous values."""
        present = {name: value for name, value in attributes.items() if value is not None}
        expression = "SET " + ", ".join(f"#{name} = :{name}" for name in present)
        return self._update_profile(
            charge_point_id,
            expression,
            {f"#{name}": name for name in present},
            {f":{name}": encode(value) for name, value in present.items()},
            condition,
        )

    def _update_profile(
        self,
        charge_point_id: str,
        expression: str,
        names: dict[str, str],
        values: dict[str, Any],
        condition: str | None = None,
        returning: str = "UPDATED_OLD",
    ) -> dict[str, Any]:
        response = self._table.update_item(
            Key={"chargePointId": charge_point_id, "itemKey": PROFILE},
            UpdateExpression=expression,
            ExpressionAttributeNames=names,
            ExpressionAttributeValues=values,
            ReturnValues=returning,
            **({"ConditionExpression": condition} if condition else {}),
        )
        old: dict[str, Any] = response.get("Attributes", {})
        return old


def _assemble(items: list[dict[str, Any]]) -> list[ChargePoint]:
    profiles: dict[str, ChargePoint] = {}
    connectors: dict[str, list[ConnectorStatus]] = {}
    for entry in items:
        charge_point_id = entry["chargePointId"]
        if entry["itemKey"] == PROFILE:
            profiles[charge_point_id] = _charge_point(entry)
        elif entry["itemKey"].startswith(CONNECTOR_PREFIX):
            connectors.setdefault(charge_point_id, []).append(_connector(entry))
    for charge_point_id, charge_point in profiles.items():
        charge_point.connectors = sorted(
            connectors.get(charge_point_id, []), key=lambda c: (c.evse_id or 0, c.connector_id)
        )
    return sorted(profiles.values(), key=lambda cp: cp.charge_point_id)


def _charge_point(entry: dict[str, Any]) -> ChargePoint:
    version = entry.get("ocppVersion")
    return ChargePoint(
        charge_point_id=entry["chargePointId"],
        password_hash=entry.get("passwordHash"),
        vendor=entry.get("vendor"),
        model=entry.get("model"),
        serial_number=entry.get("serialNumber"),
        firmware_version=entry.get("firmwareVersion"),
        ocpp_version=OcppVersion(version) if version else None,
        connection_id=entry.get("connectionId"),
        connected=bool(entry.get("connected", False)),
        last_boot=timestamp(entry.get("lastBoot")),
        last_seen=timestamp(entry.get("lastSeen")),
        registered_at=timestamp(entry.get("registeredAt")),
        local_list_version=int(entry.get("localListVersion", 0)),
        tariff_id=entry.get("tariffId"),
        wiring=ChargerWiring(
            site_id=entry.get("siteId"),
            max_current_amps=Decimal(entry.get("maxCurrentAmps", DEFAULT_MAX_CURRENT_AMPS)),
            phases=int(entry.get("phases", DEFAULT_PHASES)),
            site_phase=integer(entry.get("sitePhase")),
        ),
        updated_at=timestamp(entry.get("updatedAt")),
        security_profile=integer(entry.get("securityProfile")),
        provisioning_profile=bool(entry.get("provisioningProfile", False)),
    )


def _notification_prefix(kind: str) -> str:
    """`NOTIFICATION#{kind}#`: the sort keys of a kind's notifications go on with the receipt time."""
    return f"{NOTIFICATION_PREFIX}{kind}#"


def _received(kind: str, since: datetime | None) -> Any:
    """A key condition on the notifications of `kind` received at or after `since` ("~" sorts after every time)."""
    prefix = _notification_prefix(kind)
    if since is None:
        return Key("itemKey").begins_with(prefix)
    return Key("itemKey").between(f"{prefix}{encode(since)}", f"{prefix}~")


def _receipt_of(item_key: str) -> str:
    """The receipt time in a notification's sort key (`NOTIFICATION#{kind}#{time}#{message id}`)."""
    return item_key.split("#", 3)[2]


def _notification(entry: dict[str, Any]) -> Notification:
    return Notification(
        charge_point_id=entry["chargePointId"],
        kind=entry["kind"],
        message_id=entry["messageId"],
        received_at=parse_timestamp(entry["receivedAt"]),
        details=from_json_value(entry.get("details", {})),
    )


def _newest(notification: Notification) -> tuple[datetime, str]:
    return notification.received_at, notification.message_id


def _connector_item_key(evse_id: int | None, connector_id: int) -> str:
    """`CONNECTOR#{evseId}#{connectorId}`, `-` for the EVSE of a 1.6 connector."""
    return f"{CONNECTOR_PREFIX}{evse_id if evse_id is not None else '-'}#{connector_id}"


def _connector(entry: dict[str, Any]) -> ConnectorStatus:
    return ConnectorStatus(
        connector_id=int(entry["connectorId"]),
        evse_id=int(entry["evseId"]) if "evseId" in entry else None,
        status=entry["status"],
        timestamp=timestamp(entry["timestamp"]) or datetime.min,
        error_code=entry.get("errorCode"),
        info=entry.get("info"),
        last_charging_at=timestamp(entry.get("lastChargingAt")),
        idle_since=timestamp(entry.get("idleSince")),
    )


def charge_point_change(old: Image, new: Image) -> ProfileChange | ConnectorChange | None:
    """A stream record of this table as a domain change (None: notifications, configuration)."""
    either = new or old
    charge_point_id, item_key = either["chargePointId"], either["itemKey"]
    if item_key == PROFILE:
        return ProfileChange(charge_point_id, *images(old, new, _charge_point))
    if item_key.startswith(CONNECTOR_PREFIX):
        return ConnectorChange(charge_point_id, *images(old, new, _connector))
    return None
