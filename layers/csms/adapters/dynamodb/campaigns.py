"""Campaigns in DynamoDB (table Campaigns, one partition per campaign): the campaign record ("CAMPAIGN", its counts
as numbers that charger moves ADD to) and one item per charger ("CHARGER#<batch>#<charger id>").

A charger's move is one TransactWriteItems: the charger item, conditional on the state the worker saw, and the
campaign's counts. Status changes are conditional updates of the campaign record alone, so a pause or cancel and a
charger's move never overwrite each other.
"""

from collections.abc import Sequence
from typing import Any

from boto3.dynamodb.conditions import Attr, Key
from botocore.exceptions import ClientError

from csms.adapters.dynamodb.codec import from_json_value, item, json_value, query_all, timestamp
from csms.adapters.dynamodb.paging import read_page
from csms.campaigns.models import Campaign, CampaignCharger, CampaignStatus, ChargerState, Counts, Rollout
from csms.domain.pagination import Page
from csms.tables import ACTIVE_CAMPAIGNS_INDEX, CAMPAIGNS, CAMPAIGNS_BY_CREATION_INDEX
from csms.wire.versions import OcppVersion

_CAMPAIGN = "CAMPAIGN"
_CHARGER = "CHARGER#"
# Only an active campaign's record carries it (the sparse index `activeCampaigns`).
_ACTIVE = "ACTIVE"
_NAMES = {"#batch": "batch", "#generation": "generation", "#active": "active", "#indexedActive": "activeCampaign"}


def _charger_key(batch: int) -> str:
    return f"{_CHARGER}{batch:05d}#"


class DynamoDbCampaignRepository:
    def __init__(self, table: Any) -> None:
        self._table = table
        self._client = table.meta.client

    def create(self, campaign: Campaign, chargers: Sequence[CampaignCharger]) -> None:
        """The chargers first, then the campaign record that makes it visible."""
        with self._table.batch_writer() as batch:
            for charger in chargers:
                batch.put_item(Item=_charger_item(campaign.campaign_id, charger))
        self._table.put_item(Item=_campaign_item(campaign), ConditionExpression=Attr("campaignId").not_exists())

    def get(self, campaign_id: str) -> Campaign | None:
        entry = self._table.get_item(Key=_key(campaign_id), ConsistentRead=True).get("Item")
        return _campaign(entry) if entry else None

    def page(self, limit: int, next_token: str | None = None) -> Page[Campaign]:
        page = read_page(
            self._table.query,
            CAMPAIGNS,
            limit,
            next_token,
            IndexName=CAMPAIGNS_BY_CREATION_INDEX,
            KeyConditionExpression=Key("listing").eq(_CAMPAIGN),
            ScanIndexForward=False,
        )
        return Page([_campaign(entry) for entry in page.items], page.next_token)

    def chargers(self, campaign_id: str, limit: int, next_token: str | None = None) -> Page[CampaignCharger]:
        page = read_page(
            self._table.query,
            CAMPAIGNS,
            limit,
            next_token,
            KeyConditionExpression=Key("campaignId").eq(campaign_id) & Key("itemKey").begins_with(_CHARGER),
        )
        return Page([_charger(entry) for entry in page.items], page.next_token)

    def batch(self, campaign_id: str, batch: int) -> list[CampaignCharger]:
        entries = query_all(
            self._table,
            KeyConditionExpression=Key("campaignId").eq(campaign_id) & Key("itemKey").begins_with(_charger_key(batch)),
            ConsistentRead=True,
        )
        return [_charger(entry) for entry in entries]

    def update_charger(self, campaign_id: str, charger: CampaignCharger, seen: ChargerState) -> bool:
        put = {
            "TableName": self._table.name,
            "Item": _charger_item(campaign_id, charger),
            "ConditionExpression": "#state = :seen",
            "ExpressionAttributeNames": {"#state": "state"},
            "ExpressionAttributeValues": {":seen": seen.value},
        }
        if charger.state is seen:
            return self._conditional(lambda: self._client.put_item(**put))
        counts = {
            "TableName": self._table.name,
            "Key": _key(campaign_id),
            "UpdateExpression": "ADD #from :minus, #to :one",
            "ExpressionAttributeNames": {"#from": seen.value, "#to": charger.state.value},
            "ExpressionAttributeValues": {":minus": -1, ":one": 1},
        }
        try:
            self._client.transact_write_items(TransactItems=[{"Put": put}, {"Update": counts}])
        except self._client.exceptions.TransactionCanceledException:
            return False
        return True

    def change_status(
        self, campaign_id: str, seen: frozenset[CampaignStatus], status: CampaignStatus, reason: str | None = None
    ) -> bool:
        values: dict[str, Any] = {f":seen{index}": each.value for index, each in enumerate(sorted(seen))}
        values[":status"] = status.value
        expression = "SET #status = :status"
        if reason is not None:
            expression += ", reason = :reason"
            values[":reason"] = reason
        return self._update(
            campaign_id,
            expression,
            f"#status IN ({', '.join(name for name in values if name.startswith(':seen'))})",
            {"#status": "status"},
            values,
        )

    def resume(self, campaign_id: str) -> bool | None:
        names = {"#status": "status"}
        values = {":paused": CampaignStatus.PAUSED.value, ":running": CampaignStatus.RUNNING.value}
        for _ in range(3):  # the execution may end between the two tries
            if self._update(
                campaign_id,
                "SET #status = :running, #active = :yes, #indexedActive = :listed ADD #generation :one",
                "#status = :paused AND #active = :no",
                names,
                {**values, ":yes": True, ":no": False, ":one": 1, ":listed": _ACTIVE},
            ):
                return True
            if self._update(
                campaign_id,
                "SET #status = :running",
                "#status = :paused AND #active = :yes",
                names,
                {**values, ":yes": True},
            ):
                return False
            campaign = self.get(campaign_id)
            if campaign is None or campaign.status is not CampaignStatus.PAUSED:
                return None
        return None

    def next_batch(self, campaign_id: str, batch: int) -> bool:
        return self._update(
            campaign_id, "SET #batch = :next", "#batch = :batch", {}, {":batch": batch, ":next": batch + 1}
        )

    def hand_over(self, campaign_id: str, generation: int) -> bool:
        return self._update(
            campaign_id,
            "SET #generation = :next",
            "#generation = :mine",
            {},
            {":mine": generation, ":next": generation + 1},
        )

    def deactivate(self, campaign_id: str, generation: int) -> bool:
        return self._update(
            campaign_id,
            "SET #active = :no REMOVE #indexedActive",
            "#generation = :mine AND #status <> :running",
            {"#status": "status"},
            {":mine": generation, ":no": False, ":running": CampaignStatus.RUNNING.value},
        )

    def active(self) -> list[Campaign]:
        """The keys from the sparse index (eventually consistent), then each record read and checked."""
        keys = query_all(
            self._table, IndexName=ACTIVE_CAMPAIGNS_INDEX, KeyConditionExpression=Key("activeCampaign").eq(_ACTIVE)
        )
        found = [self.get(key["campaignId"]) for key in keys]
        return [campaign for campaign in found if campaign is not None and campaign.active]

    def _update(
        self, campaign_id: str, expression: str, condition: str, names: dict[str, str], values: dict[str, Any]
    ) -> bool:
        request: dict[str, Any] = {
            "Key": _key(campaign_id),
            "UpdateExpression": expression,
            "ConditionExpression": f"attribute_exists(campaignId) AND {condition}",
            "ExpressionAttributeValues": values,
        }
        used = {name: attribute for name, attribute in {**names, **_NAMES}.items() if name in expression + condition}
        if used:
            request["ExpressionAttributeNames"] = used
        return self._conditional(lambda: self._table.update_item(**request))

    def _conditional(self, write: Any) -> bool:
        try:
            write()
        except ClientError as error:
            if error.response["Error"]["Code"] == "ConditionalCheckFailedException":
                return False
            raise
        return True


def _key(campaign_id: str) -> dict[str, str]:
    return {"campaignId": campaign_id, "itemKey": _CAMPAIGN}


def _campaign_item(campaign: Campaign) -> dict[str, Any]:
    rollout = campaign.rollout
    counts = campaign.counts
    return item(
        campaignId=campaign.campaign_id,
        itemKey=_CAMPAIGN,
        listing=_CAMPAIGN,
        name=campaign.name,
        target=json_value(campaign.target),
        operation=json_value(campaign.operation),
        rollout=json_value(
            {
                "canary": rollout.canary,
                "batchSize": rollout.batch_size,
                "maxConcurrency": rollout.max_concurrency,
                "failureThreshold": rollout.failure_threshold,
                "chargerTimeoutSeconds": rollout.charger_timeout_seconds,
            }
        ),
        status=campaign.status.value,
        createdAt=campaign.created_at,
        updatedAt=campaign.updated_at,
        batches=campaign.batches,
        batch=campaign.batch,
        generation=campaign.generation,
        active=campaign.active,
        activeCampaign=_ACTIVE if campaign.active else None,
        reason=campaign.reason,
        **{state.value: counts.of(state) for state in ChargerState},
        total=counts.total,
    )


def _campaign(entry: dict[str, Any]) -> Campaign:
    rollout = from_json_value(entry["rollout"])
    created_at = timestamp(entry["createdAt"])
    assert created_at is not None
    return Campaign(
        campaign_id=entry["campaignId"],
        name=entry["name"],
        target=from_json_value(entry["target"]),
        operation=from_json_value(entry["operation"]),
        rollout=Rollout(
            canary=rollout["canary"],
            batch_size=rollout["batchSize"],
            max_concurrency=rollout["maxConcurrency"],
            failure_threshold=float(rollout["failureThreshold"]),
            charger_timeout_seconds=rollout["chargerTimeoutSeconds"],
        ),
        status=CampaignStatus(entry["status"]),
        created_at=created_at,
        updated_at=timestamp(entry.get("updatedAt")),
        counts=Counts(
            total=int(entry["total"]), **{state.value: int(entry.get(state.value, 0)) for state in ChargerState}
        ),
        batches=int(entry["batches"]),
        batch=int(entry["batch"]),
        generation=int(entry["generation"]),
        active=bool(entry["active"]),
        reason=entry.get("reason"),
    )


def _charger_item(campaign_id: str, charger: CampaignCharger) -> dict[str, Any]:
    return item(
        campaignId=campaign_id,
        itemKey=f"{_charger_key(charger.batch)}{charger.charger_id}",
        chargerId=charger.charger_id,
        batch=charger.batch,
        state=charger.state.value,
        ocppVersion=charger.ocpp_version.value if charger.ocpp_version else None,
        commandIds=list(charger.command_ids),
        inFlight=list(charger.in_flight),
        outcome=json_value(charger.outcome) if charger.outcome is not None else None,
        waitingSince=charger.waiting_since,
        startedAt=charger.started_at,
        finishedAt=charger.finished_at,
    )


def _charger(entry: dict[str, Any]) -> CampaignCharger:
    return CampaignCharger(
        charger_id=entry["chargerId"],
        batch=int(entry["batch"]),
        state=ChargerState(entry["state"]),
        ocpp_version=OcppVersion(entry["ocppVersion"]) if entry.get("ocppVersion") else None,
        command_ids=tuple(entry.get("commandIds", ())),
        in_flight=tuple(entry.get("inFlight", ())),
        outcome=from_json_value(entry["outcome"]) if "outcome" in entry else None,
        waiting_since=timestamp(entry.get("waitingSince")),
        started_at=timestamp(entry.get("startedAt")),
        finished_at=timestamp(entry.get("finishedAt")),
    )
