"""Transactions, their idempotency keys and the OCPP 1.6 transaction id sequence."""

from datetime import datetime, timedelta
from typing import Any

from boto3.dynamodb.conditions import Attr, Key

from csms.adapters.dynamodb.codec import (
    Image,
    count_all,
    decimal,
    encode,
    images,
    integer,
    item,
    query_all,
    timestamp,
)
from csms.adapters.dynamodb.paging import describe_listing, read_page_merged
from csms.adapters.dynamodb.tariffs import tariff_item, tariff_of
from csms.domain.charging_needs import ChargingNeeds
from csms.domain.filters import TransactionFilter
from csms.domain.models import RecordedError, StartTransactionRequest, Transaction, TransactionStatus
from csms.domain.pagination import Page, page_of
from csms.domain_events.stored_changes import TransactionChange
from csms.tables import (
    ACTIVE_ON_CONNECTOR_INDEX,
    RUNNING_COST_INDEX,
    TRANSACTIONS,
    TRANSACTIONS_BY_ID_INDEX,
    TRANSACTIONS_BY_STATUS_INDEX,
)
from csms.timeutil import format_timestamp, parse_timestamp
from csms.wire.versions import OcppVersion

BILLING_QUEUE_PENDING = "pending"
RUNNING_COST_ACTIVE = "active"

TRANSACTION_ID_SEQUENCE = "sequence#transactionId"
# A charge point resends queued requests when it is back online; after this long a key is dropped.
IDEMPOTENCY_KEY_LIFETIME = timedelta(days=90)


class DynamoDbTransactionRepository:
    def __init__(self, table: Any, idempotency_table: Any) -> None:
        self._table = table
        self._idempotency = idempotency_table
        # The resource's client: it (de)serializes attribute values like the Table API does.
        self._client = table.meta.client

    def get(self, charge_point_id: str, transaction_id: str) -> Transaction | None:
        entry = self._table.get_item(
            Key={"chargePointId": charge_point_id, "transactionId": transaction_id}, ConsistentRead=True
        ).get("Item")
        return _transaction(entry) if entry else None

    def find(self, transaction_id: str) -> list[Transaction]:
        entries = query_all(
            self._table,
            IndexName=TRANSACTIONS_BY_ID_INDEX,
            KeyConditionExpression=Key("transactionId").eq(transaction_id),
        )
        return [_transaction(entry) for entry in entries]

    def list_for_charge_point(self, charge_point_id: str) -> list[Transaction]:
        return self._newest_first(_of_charge_point(charge_point_id, None))

    def list_active_on(self, charge_point_id: str, evse_or_connector_id: int) -> list[Transaction]:
        """A Query of the sparse `activeOnConnector` index: completing a session drops it from there."""
        entries = query_all(
            self._table,
            IndexName=ACTIVE_ON_CONNECTOR_INDEX,
            KeyConditionExpression=Key("activeOnConnector").eq(_active_on(charge_point_id, evse_or_connector_id)),
        )
        return [_transaction(entry) for entry in entries]

    def count_active(self) -> int:
        """A counting Query of the `byStatus` index's Active partition (it reads the active sessions only)."""
        return count_all(
            self._table,
            IndexName=TRANSACTIONS_BY_STATUS_INDEX,
            KeyConditionExpression=Key("status").eq(TransactionStatus.ACTIVE.value),
        )

    def list_showing_running_cost(self) -> list[Transaction]:
        """A Query of the sparse `runningCost` index: completing a session drops it from there."""
        entries = query_all(
            self._table,
            IndexName=RUNNING_COST_INDEX,
            KeyConditionExpression=Key("runningCost").eq(RUNNING_COST_ACTIVE),
        )
        return [_transaction(entry) for entry in entries]

    def page(self, where: TransactionFilter, limit: int, next_token: str | None = None) -> Page[Transaction]:
        """One charge point's: its partition, sorted here (its sort key is the id, not the start).
        All charge points': the `byStatus` index newest first, each status's partition merged."""
        if where.charge_point_id is not None:
            request = _of_charge_point(where.charge_point_id, where.status)
            listing = describe_listing(self._table.query, [request])
            return page_of(self._newest_first(request), limit, next_token, listing)
        statuses = [where.status] if where.status is not None else list(TransactionStatus)
        requests = [
            {
                "IndexName": TRANSACTIONS_BY_STATUS_INDEX,
                "KeyConditionExpression": Key("status").eq(status.value),
                "ScanIndexForward": False,
            }
            for status in statuses
        ]
        page = read_page_merged(self._table.query, TRANSACTIONS, requests, limit, next_token)
        return Page([_transaction(entry) for entry in page.items], page.next_token)

    def _newest_first(self, request: dict[str, Any]) -> list[Transaction]:
        entries = query_all(self._table, **request)
        return sorted((_transaction(entry) for entry in entries), key=lambda t: t.started_at, reverse=True)

    def next_transaction_id(self) -> int:
        response = self._idempotency.update_item(
            Key={"key": TRANSACTION_ID_SEQUENCE},
            UpdateExpression="ADD #value :one",
            ExpressionAttributeNames={"#value": "value"},
            ExpressionAttributeValues={":one": 1},
            ReturnValues="UPDATED_NEW",
        )
        return int(response["Attributes"]["value"])

    def find_started_by(self, request: StartTransactionRequest) -> Transaction | None:
        entry = self._idempotency.get_item(Key={"key": _start_key(request)}, ConsistentRead=True).get("Item")
        return self.get(entry["chargePointId"], entry["transactionId"]) if entry else None

    def create_once(self, transaction: Transaction, request: StartTransactionRequest | None = None) -> Transaction:
        """One conditional write; with a request, its key and the transaction are written atomically."""
        put_transaction = {
            "TableName": self._table.name,
            "Item": _item(transaction),
            "ConditionExpression": "attribute_not_exists(transactionId)",
        }
        try:
            if request is None:
                self._client.put_item(**put_transaction)
            else:
                put_key = {
                    "TableName": self._idempotency.name,
                    "Item": item(
                        key=_start_key(request),
                        chargePointId=transaction.charge_point_id,
                        transactionId=transaction.transaction_id,
                        expiresAt=int((transaction.started_at + IDEMPOTENCY_KEY_LIFETIME).timestamp()),
                    ),
                    "ConditionExpression": "attribute_not_exists(#key)",
                    "ExpressionAttributeNames": {"#key": "key"},
                }
                self._client.transact_write_items(TransactItems=[{"Put": put_key}, {"Put": put_transaction}])
        except (
            self._client.exceptions.ConditionalCheckFailedException,
            self._client.exceptions.TransactionCanceledException,
        ):
            # A concurrent or earlier copy of the same request won: answer with what it stored.
            existing = (
                self.find_started_by(request)
                if request
                else self.get(transaction.charge_point_id, transaction.transaction_id)
            )
            if existing is None:
                raise
            return existing
        return transaction

    def complete(self, transaction: Transaction) -> bool:
        """Also queues the transaction for billing (`billingQueue`, a sparse index)."""
        condition = "attribute_not_exists(transactionId) OR #status = :active"
        names = {"#status": "status"}
        values = {":active": TransactionStatus.ACTIVE.value}
        if transaction.closed_by_csms is None:  # the charge point's own stop
            condition += " OR (attribute_exists(#closedByCsms) AND #billingQueue = :pending)"
            names.update({"#closedByCsms": "closedByCsms", "#billingQueue": "billingQueue"})
            values[":pending"] = BILLING_QUEUE_PENDING
        try:
            self._table.put_item(
                Item={**_item(transaction), "billingQueue": BILLING_QUEUE_PENDING},
                ConditionExpression=condition,
                ExpressionAttributeNames=names,
                ExpressionAttributeValues=values,
            )
        except self._client.exceptions.ConditionalCheckFailedException:
            return False
        return True

    def revise(self, transaction: Transaction) -> bool:
        """An UpdateItem of the revisable attributes, on condition that it is still in the billing queue."""
        revisable = item(
            startedAt=transaction.started_at,
            meterStart=transaction.meter_start,
            meterStop=transaction.meter_stop,
            energyWh=transaction.energy_wh,
            idToken=transaction.id_token,
            evseId=transaction.evse_id,
            connectorId=transaction.connector_id,
        )
        try:
            self._table.update_item(
                Key={"chargePointId": transaction.charge_point_id, "transactionId": transaction.transaction_id},
                UpdateExpression="SET " + ", ".join(f"#{name} = :{name}" for name in revisable),
                ConditionExpression="#status = :completed AND #billingQueue = :pending",
                ExpressionAttributeNames={
                    **{f"#{name}": name for name in revisable},
                    "#status": "status",
                    "#billingQueue": "billingQueue",
                },
                ExpressionAttributeValues={
                    **{f":{name}": value for name, value in revisable.items()},
                    ":completed": TransactionStatus.COMPLETED.value,
                    ":pending": BILLING_QUEUE_PENDING,
                },
            )
        except self._client.exceptions.ConditionalCheckFailedException:
            return False
        return True

    def set_id_token(self, charge_point_id: str, transaction_id: str, id_token: str) -> None:
        try:
            self._table.update_item(
                Key={"chargePointId": charge_point_id, "transactionId": transaction_id},
                UpdateExpression="SET #idToken = if_not_exists(#idToken, :idToken)",
                ConditionExpression="attribute_exists(transactionId)",
                ExpressionAttributeNames={"#idToken": "idToken"},
                ExpressionAttributeValues={":idToken": id_token},
            )
        except self._client.exceptions.ConditionalCheckFailedException:
            return  # not started here: TransactionEvent(Ended) will record the token

    def record_charging_needs(self, charge_point_id: str, transaction_id: str, needs: ChargingNeeds) -> bool:
        try:
            self._table.update_item(
                Key={"chargePointId": charge_point_id, "transactionId": transaction_id},
                UpdateExpression="SET #needs = :needs",
                ConditionExpression="attribute_exists(transactionId) AND #status = :active",
                ExpressionAttributeNames={"#needs": "chargingNeeds", "#status": "status"},
                ExpressionAttributeValues={":needs": _needs_item(needs), ":active": TransactionStatus.ACTIVE.value},
            )
        except self._client.exceptions.ConditionalCheckFailedException:
            return False
        return True

    def record_cost_update_error(self, transaction: Transaction, error: RecordedError) -> bool:
        try:
            self._table.update_item(
                Key={"chargePointId": transaction.charge_point_id, "transactionId": transaction.transaction_id},
                UpdateExpression="SET #error = :error",
                ConditionExpression="#status = :active",
                ExpressionAttributeNames={"#error": "costUpdateError", "#status": "status"},
                ExpressionAttributeValues={":error": error_item(error), ":active": TransactionStatus.ACTIVE.value},
            )
        except self._client.exceptions.ConditionalCheckFailedException:
            return False
        return True

    def record_charging_state(self, charge_point_id: str, transaction_id: str, charging: bool, at: datetime) -> None:
        """`chargingStateAt` keeps the time of the last state applied; an older one is late (see the port)."""
        names = {
            "#status": "status",
            "#idleSince": "idleSince",
            "#hasCharged": "hasCharged",
            "#chargingStateAt": "chargingStateAt",
        }
        values: dict[str, Any] = {":active": TransactionStatus.ACTIVE.value, ":at": encode(at), ":true": True}
        # Timestamps are fixed-width RFC 3339 strings: they compare as the times do.
        condition = (
            "attribute_exists(transactionId) AND #status = :active"
            " AND (attribute_not_exists(#chargingStateAt) OR #chargingStateAt <= :at)"
        )
        if charging:
            expression = "SET #hasCharged = :true, #chargingStateAt = :at REMOVE #idleSince"
        else:
            expression = "SET #idleSince = if_not_exists(#idleSince, :at), #chargingStateAt = :at"
            condition += " AND #hasCharged = :true"
        key = {"chargePointId": charge_point_id, "transactionId": transaction_id}
        try:
            self._table.update_item(
                Key=key,
                UpdateExpression=expression,
                ConditionExpression=condition,
                ExpressionAttributeNames=names,
                ExpressionAttributeValues=values,
            )
        except self._client.exceptions.ConditionalCheckFailedException:
            # Not stored, completed, not charged yet, or late: only a late Charging still counts.
            if charging:
                self._end_idle_period_begun_before(key, values[":at"])

    def _end_idle_period_begun_before(self, key: dict[str, str], late_charging_at: str) -> None:
        """A late Charging ends an idle period that began before it (the vehicle charged again since)."""
        try:
            self._table.update_item(
                Key=key,
                UpdateExpression="SET #hasCharged = :true REMOVE #idleSince",
                ConditionExpression="attribute_exists(transactionId) AND #status = :active"
                " AND (attribute_not_exists(#idleSince) OR #idleSince <= :at)",
                ExpressionAttributeNames={"#status": "status", "#idleSince": "idleSince", "#hasCharged": "hasCharged"},
                ExpressionAttributeValues={
                    ":active": TransactionStatus.ACTIVE.value,
                    ":at": late_charging_at,
                    ":true": True,
                },
            )
        except self._client.exceptions.ConditionalCheckFailedException:
            return  # not stored, completed, or idle only since after it


def _item(transaction: Transaction) -> dict[str, Any]:
    return item(
        chargePointId=transaction.charge_point_id,
        transactionId=transaction.transaction_id,
        ocppVersion=transaction.ocpp_version.value,
        status=transaction.status.value,
        startedAt=transaction.started_at,
        stoppedAt=transaction.stopped_at,
        connectorId=transaction.connector_id,
        evseId=transaction.evse_id,
        idToken=transaction.id_token,
        meterStart=transaction.meter_start,
        meterStop=transaction.meter_stop,
        energyWh=transaction.energy_wh,
        stopReason=transaction.stop_reason,
        tariff=tariff_item(transaction.tariff) if transaction.tariff else None,
        hasCharged=True if transaction.has_charged else None,
        idleSince=transaction.idle_since,
        runningCost=RUNNING_COST_ACTIVE if transaction.shows_running_cost else None,
        activeOnConnector=(
            _active_on(transaction.charge_point_id, transaction.evse_or_connector_id)
            if transaction.status is TransactionStatus.ACTIVE and transaction.evse_or_connector_id is not None
            else None
        ),
        closedByCsms=transaction.closed_by_csms,
        billingError=error_item(transaction.billing_error),
        costUpdateError=error_item(transaction.cost_update_error),
        chargingNeeds=_needs_item(transaction.charging_needs) if transaction.charging_needs else None,
    )


def _transaction(entry: dict[str, Any]) -> Transaction:
    started_at = timestamp(entry["startedAt"])
    assert started_at is not None
    return Transaction(
        charge_point_id=entry["chargePointId"],
        transaction_id=entry["transactionId"],
        ocpp_version=OcppVersion(entry["ocppVersion"]),
        status=TransactionStatus(entry["status"]),
        started_at=started_at,
        stopped_at=timestamp(entry.get("stoppedAt")),
        connector_id=integer(entry.get("connectorId")),
        evse_id=integer(entry.get("evseId")),
        id_token=entry.get("idToken"),
        meter_start=decimal(entry.get("meterStart")),
        meter_stop=decimal(entry.get("meterStop")),
        stop_reason=entry.get("stopReason"),
        tariff=tariff_of(entry["tariff"]) if "tariff" in entry else None,
        has_charged=bool(entry.get("hasCharged", False)),
        idle_since=timestamp(entry.get("idleSince")),
        closed_by_csms=entry.get("closedByCsms"),
        billing_error=_error(entry.get("billingError")),
        cost_update_error=_error(entry.get("costUpdateError")),
        charging_needs=_needs(entry["chargingNeeds"]) if "chargingNeeds" in entry else None,
    )


def _needs_item(needs: ChargingNeeds) -> dict[str, Any]:
    return item(
        receivedAt=needs.received_at,
        requestedEnergyTransfer=needs.requested_energy_transfer,
        departure=needs.departure,
        energyAmountWh=needs.energy_amount_wh,
        evMaxCurrentAmps=needs.ev_max_current_amps,
        energyRegisterWh=needs.energy_register_wh,
    )


def _needs(entry: dict[str, Any]) -> ChargingNeeds:
    received_at = timestamp(entry["receivedAt"])
    assert received_at is not None
    return ChargingNeeds(
        received_at=received_at,
        requested_energy_transfer=entry["requestedEnergyTransfer"],
        departure=timestamp(entry.get("departure")),
        energy_amount_wh=decimal(entry.get("energyAmountWh")),
        ev_max_current_amps=decimal(entry.get("evMaxCurrentAmps")),
        energy_register_wh=decimal(entry.get("energyRegisterWh")),
    )


def error_item(error: RecordedError | None) -> dict[str, Any] | None:
    return item(reason=error.reason, at=error.at) if error is not None else None


def _error(entry: dict[str, Any] | None) -> RecordedError | None:
    return RecordedError(entry["reason"], parse_timestamp(entry["at"])) if entry is not None else None


def _start_key(request: StartTransactionRequest) -> str:
    """Everything the charge point sent: only a resend of the request has the same key."""
    return (
        f"start#{request.charge_point_id}#{request.connector_id}#{format_timestamp(request.timestamp)}"
        f"#{request.id_token}#{request.meter_start}"
    )


def _active_on(charge_point_id: str, evse_or_connector_id: int) -> str:
    return f"{charge_point_id}#{evse_or_connector_id}"


def _of_charge_point(charge_point_id: str, status: TransactionStatus | None) -> dict[str, Any]:
    """The Query of a charge point's transactions (of one status)."""
    request: dict[str, Any] = {"KeyConditionExpression": Key("chargePointId").eq(charge_point_id)}
    if status is not None:
        request["FilterExpression"] = Attr("status").eq(status.value)
    return request


def transaction_of(entry: dict[str, Any]) -> Transaction:
    """A transaction from its item (for other adapters reading the transactions table)."""
    return _transaction(entry)


def transaction_change(old: Image, new: Image) -> TransactionChange:
    """A stream record of this table as a domain change."""
    return TransactionChange((new or old)["chargePointId"], *images(old, new, _transaction))
