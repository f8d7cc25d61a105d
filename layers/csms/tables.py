"""The one definition of every DynamoDB table: keys, indexes and TTL.

The CDK stack (`stacks/`), the embedded runtime and the tests all build their tables from
`TABLES`, so the keys the code uses cannot drift from the keys that are deployed.
"""

from dataclasses import dataclass, field
from typing import Any, Literal

from csms import constants

AttributeType = Literal["S", "N"]


@dataclass(frozen=True)
class Key:
    name: str
    type: AttributeType = "S"


@dataclass(frozen=True)
class GlobalIndex:
    name: str
    partition_key: Key
    sort_key: Key | None = None
    # Keys only: a write that changes no key attribute costs the index nothing (ALL copies every item).
    keys_only: bool = False

    @property
    def projection_type(self) -> Literal["ALL", "KEYS_ONLY"]:
        return "KEYS_ONLY" if self.keys_only else "ALL"


@dataclass(frozen=True)
class TableSpec:
    """A table: `logical_name` names the CDK construct, `env_var` carries its physical name."""

    logical_name: str
    env_var: str
    partition_key: Key
    sort_key: Key | None = None
    indexes: tuple[GlobalIndex, ...] = field(default_factory=tuple)
    ttl_attribute: str | None = None
    # A DynamoDB stream (new and old images) feeds the domain events of its changes (`csms.domain_events`).
    stream: bool = False

    def key_schema(self) -> list[dict[str, str]]:
        schema = [{"AttributeName": self.partition_key.name, "KeyType": "HASH"}]
        if self.sort_key:
            schema.append({"AttributeName": self.sort_key.name, "KeyType": "RANGE"})
        return schema

    def page_key(self, index_name: str | None = None) -> dict[str, AttributeType]:
        """The attributes (and their types) of a LastEvaluatedKey of the table or of one of its indexes."""
        keys = [self.partition_key, self.sort_key]
        if index_name is not None:
            index = next(index for index in self.indexes if index.name == index_name)
            keys += [index.partition_key, index.sort_key]
        return {key.name: key.type for key in keys if key is not None}

    def create_table_request(self, table_name: str) -> dict[str, Any]:
        """boto3 `create_table` arguments for this table (on-demand, as deployed)."""
        keys: dict[str, Key] = {self.partition_key.name: self.partition_key}
        if self.sort_key:
            keys[self.sort_key.name] = self.sort_key
        indexes = []
        for index in self.indexes:
            index_schema = [{"AttributeName": index.partition_key.name, "KeyType": "HASH"}]
            keys[index.partition_key.name] = index.partition_key
            if index.sort_key:
                index_schema.append({"AttributeName": index.sort_key.name, "KeyType": "RANGE"})
                keys[index.sort_key.name] = index.sort_key
            indexes.append(
                {
                    "IndexName": index.name,
                    "KeySchema": index_schema,
                    "Projection": {"ProjectionType": index.projection_type},
                }
            )
        request: dict[str, Any] = {
            "TableName": table_name,
            "KeySchema": self.key_schema(),
            "AttributeDefinitions": [{"AttributeName": k.name, "AttributeType": k.type} for k in keys.values()],
            "BillingMode": "PAY_PER_REQUEST",
        }
        if indexes:
            request["GlobalSecondaryIndexes"] = indexes
        if self.stream:
            request["StreamSpecification"] = {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"}
        return request


TRANSACTIONS_BY_ID_INDEX = "byTransactionId"
# Transactions of one status, newest first: the operator's listing of every charge point's.
TRANSACTIONS_BY_STATUS_INDEX = "byStatus"
# Every item under its `itemKey`, by charge point: the "#PROFILE" partition lists charge points by id.
CHARGE_POINTS_BY_ITEM_KEY_INDEX = "byItemKey"
# Sparse, keys only: the items the fleet-wide views read, under `feed` ("CONNECTED" profiles,
# "FAULTED" connectors, "NOTIFICATION#<kind>" notifications), by `itemKey` (a notification's holds
# its receipt time). An item enters or leaves it as its state changes; other writes cost it nothing.
CHARGE_POINTS_BY_FEED_INDEX = "byFeed"
# Sparse, keys only: the profiles of charge points wired to a site carry `siteId`; the site's are its partition.
CHARGE_POINTS_BY_SITE_INDEX = "bySite"
# Sparse: only completed transactions not yet invoiced carry `billingQueue` ("pending").
BILLING_QUEUE_INDEX = "billingQueue"
# Sparse: only active sessions that show their running cost carry `runningCost` ("active").
RUNNING_COST_INDEX = "runningCost"
# Sparse: only active transactions carry `activeOnConnector` ("<charge point>#<EVSE (2.0.1) or connector (1.6)>"),
# to find one a charge point left open there (`csms.domain.session_ends`).
ACTIVE_ON_CONNECTOR_INDEX = "activeOnConnector"
COMMANDS_BY_CHARGE_POINT_INDEX = "byChargePoint"
# Keys only, by `ocppVersion` (every command has one) and `createdAt`: the fleet's commands newest
# first, both versions' partitions merged. A status change writes it nothing.
COMMANDS_BY_VERSION_INDEX = "byVersion"
INVOICES_BY_CHARGE_POINT_INDEX = "byChargePoint"
# `issuedMonth` ("YYYY-MM", UTC) of `issuedAt`: the invoices of a period are the Queries of its months.
INVOICES_BY_ISSUED_MONTH_INDEX = "byIssuedMonth"
# Every security event under one `feed` partition ("ALL"), newest first: the fleet's listing. Security events are
# rare (a charger's critical ones, the CSMS's findings), so one partition holds their rate.
SECURITY_EVENTS_BY_TIME_INDEX = "byTime"

# Certificates the CA issued, by charger (newest first), by SHA-256 fingerprint (keys only: what security profile 3
# checks a presented certificate by), and by status and not-after (the renewal run's Active ones expiring soon).
CERTIFICATES_BY_CHARGE_POINT_INDEX = "byChargePoint"
CERTIFICATES_BY_FINGERPRINT_INDEX = "byFingerprint"
CERTIFICATES_BY_STATUS_INDEX = "byStatus"
CAMPAIGNS_BY_CREATION_INDEX = "byCreation"
# Sparse, keys only: only a campaign an execution should run carries `activeCampaign` ("ACTIVE"), by `createdAt`:
# what `csms local` takes up after a restart, without reading every campaign ever run.
ACTIVE_CAMPAIGNS_INDEX = "activeCampaigns"

# Charge point profile (itemKey "PROFILE") and one item per connector ("CONNECTOR#evse#connector").
CHARGE_POINTS = TableSpec(
    logical_name="ChargePoints",
    env_var=constants.ENV_CHARGE_POINTS_TABLE,
    partition_key=Key("chargePointId"),
    sort_key=Key("itemKey"),
    # Keys only: connecting, heartbeats and status changes write no index item; adding an item
    # (a charge point, connector, notification or reported variable) writes one.
    indexes=(
        GlobalIndex(CHARGE_POINTS_BY_ITEM_KEY_INDEX, Key("itemKey"), Key("chargePointId"), keys_only=True),
        GlobalIndex(CHARGE_POINTS_BY_FEED_INDEX, Key("feed"), Key("itemKey"), keys_only=True),
        GlobalIndex(CHARGE_POINTS_BY_SITE_INDEX, Key("siteId"), Key("chargePointId"), keys_only=True),
    ),
    stream=True,
)
# Live WebSocket connections, for $disconnect (which may lack the authorizer context).
CONNECTIONS = TableSpec(
    logical_name="Connections",
    env_var=constants.ENV_CONNECTIONS_TABLE,
    partition_key=Key("connectionId"),
    ttl_attribute="expiresAt",
)
# Streamed: a token's changes drive the differential updates of the chargers' local lists (`csms.local_lists`).
ID_TOKENS = TableSpec(
    logical_name="IdTokens",
    env_var=constants.ENV_ID_TOKENS_TABLE,
    partition_key=Key("idToken"),
    stream=True,
)
# Transaction ids are unique per charge point in OCPP 2.0.1; the index finds one by id alone.
TRANSACTIONS = TableSpec(
    logical_name="Transactions",
    env_var=constants.ENV_TRANSACTIONS_TABLE,
    partition_key=Key("chargePointId"),
    sort_key=Key("transactionId"),
    indexes=(
        GlobalIndex(TRANSACTIONS_BY_ID_INDEX, Key("transactionId"), Key("startedAt")),
        GlobalIndex(BILLING_QUEUE_INDEX, Key("billingQueue"), Key("stoppedAt")),
        GlobalIndex(RUNNING_COST_INDEX, Key("runningCost"), Key("startedAt")),
        GlobalIndex(ACTIVE_ON_CONNECTOR_INDEX, Key("activeOnConnector"), Key("startedAt")),
        GlobalIndex(TRANSACTIONS_BY_STATUS_INDEX, Key("status"), Key("startedAt")),
    ),
    stream=True,
)
# One item per MeterValues message (or per transaction event carrying meter values).
METER_VALUES = TableSpec(
    logical_name="MeterValues",
    env_var=constants.ENV_METER_VALUES_TABLE,
    partition_key=Key("seriesKey"),
    sort_key=Key("sampleKey"),
)
# Idempotency keys of retried requests, and sequences (the OCPP 1.6 transaction id counter).
IDEMPOTENCY = TableSpec(
    logical_name="Idempotency",
    env_var=constants.ENV_IDEMPOTENCY_TABLE,
    partition_key=Key("key"),
    ttl_attribute="expiresAt",
)
# Calls between CSMS and charge point, keyed by charge point and OCPP message id.
CALLS = TableSpec(
    logical_name="Calls",
    env_var=constants.ENV_CALLS_TABLE,
    partition_key=Key("chargePointId"),
    sort_key=Key("messageId"),
    ttl_attribute="expiresAt",
)

# Operator commands (CSMS-initiated calls) and what became of them.
COMMANDS = TableSpec(
    logical_name="Commands",
    env_var=constants.ENV_COMMANDS_TABLE,
    partition_key=Key("commandId"),
    indexes=(
        GlobalIndex(COMMANDS_BY_CHARGE_POINT_INDEX, Key("chargePointId"), Key("createdAt")),
        GlobalIndex(COMMANDS_BY_VERSION_INDEX, Key("ocppVersion"), Key("createdAt"), keys_only=True),
    ),
)
# Reservations made with ReserveNow, with their expiry and status.
RESERVATIONS = TableSpec(
    logical_name="Reservations",
    env_var=constants.ENV_RESERVATIONS_TABLE,
    partition_key=Key("chargePointId"),
    sort_key=Key("reservationId", "N"),
)

# Billing tariffs; the one with id `default` prices sessions no other tariff applies to.
TARIFFS = TableSpec(
    logical_name="Tariffs",
    env_var=constants.ENV_TARIFFS_TABLE,
    partition_key=Key("tariffId"),
)
# Sites (grid connections) with their limit schedule and live limit; their changes are announced (`SiteChanged`).
SITES = TableSpec(
    logical_name="Sites",
    env_var=constants.ENV_SITES_TABLE,
    partition_key=Key("siteId"),
    stream=True,
)
# Invoices, one per billed transaction (the id derives from charge point and transaction id).
INVOICES = TableSpec(
    logical_name="Invoices",
    env_var=constants.ENV_INVOICES_TABLE,
    partition_key=Key("invoiceId"),
    indexes=(
        GlobalIndex(INVOICES_BY_CHARGE_POINT_INDEX, Key("chargePointId"), Key("issuedAt")),
        GlobalIndex(INVOICES_BY_ISSUED_MONTH_INDEX, Key("issuedMonth"), Key("issuedAt")),
    ),
    stream=True,  # InvoiceIssued (`csms.domain_events`)
)

# Per site (`csms.rebalancing`): whether a rebalance runs or is pending ("REBALANCE"), the allocation it applied
# ("ALLOCATION"), and its history ("HISTORY#<time>#<n>").
LOAD_BALANCING = TableSpec(
    logical_name="LoadBalancing",
    env_var=constants.ENV_LOAD_BALANCING_TABLE,
    partition_key=Key("siteId"),
    sort_key=Key("itemKey"),
    ttl_attribute="expiresAt",
)

# Security events (`csms.domain.security_events`), by charge point and `eventKey` ("<time>#<event id>"); kept a year
# (`expiresAt`). The stream announces the critical ones (`SecurityEventRaised`).
SECURITY_EVENTS = TableSpec(
    logical_name="SecurityEvents",
    env_var=constants.ENV_SECURITY_EVENTS_TABLE,
    partition_key=Key("chargePointId"),
    sort_key=Key("eventKey"),
    indexes=(GlobalIndex(SECURITY_EVENTS_BY_TIME_INDEX, Key("feed"), Key("eventKey")),),
    ttl_attribute="expiresAt",
    stream=True,
)

# The CA (`csms.pki`): each issued certificate under its serial (lower-case hex), and each signing key's root under
# "CA#<key id>" (no serial has a "#").
CERTIFICATES = TableSpec(
    logical_name="Certificates",
    env_var=constants.ENV_CERTIFICATES_TABLE,
    partition_key=Key("serial"),
    indexes=(
        GlobalIndex(CERTIFICATES_BY_CHARGE_POINT_INDEX, Key("chargePointId"), Key("notBefore")),
        GlobalIndex(CERTIFICATES_BY_FINGERPRINT_INDEX, Key("sha256Fingerprint"), keys_only=True),
        GlobalIndex(CERTIFICATES_BY_STATUS_INDEX, Key("status"), Key("notAfter")),
    ),
)

# Campaigns (`csms.campaigns`): per campaign its record ("CAMPAIGN": status, counts, batch, execution) and one item per
# charger ("CHARGER#<batch, 5 digits>#<charger id>", so a batch is one Query); only campaign records carry `listing`,
# which the `byCreation` index sorts by `createdAt` (newest first), and only active ones `activeCampaign`. A table of
# its own: a campaign of 10,000 chargers is 10,001 items that no other table's scans or streams should see.
CAMPAIGNS = TableSpec(
    logical_name="Campaigns",
    env_var=constants.ENV_CAMPAIGNS_TABLE,
    partition_key=Key("campaignId"),
    sort_key=Key("itemKey"),
    indexes=(
        GlobalIndex(CAMPAIGNS_BY_CREATION_INDEX, Key("listing"), Key("createdAt")),
        GlobalIndex(ACTIVE_CAMPAIGNS_INDEX, Key("activeCampaign"), Key("createdAt"), keys_only=True),
    ),
)

TABLES: tuple[TableSpec, ...] = (
    CHARGE_POINTS,
    CONNECTIONS,
    ID_TOKENS,
    TRANSACTIONS,
    METER_VALUES,
    IDEMPOTENCY,
    CALLS,
    COMMANDS,
    RESERVATIONS,
    TARIFFS,
    SITES,
    INVOICES,
    LOAD_BALANCING,
    CERTIFICATES,
    SECURITY_EVENTS,
    CAMPAIGNS,
)
