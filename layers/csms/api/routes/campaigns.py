"""/api/campaigns: one configuration change or command rolled out to part of the fleet in stages
(`csms.campaigns`), followed, paused, resumed and cancelled."""

from datetime import datetime
from http import HTTPStatus
from typing import Annotated, Any, Literal

from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.exceptions import NotFoundError, ServiceError
from aws_lambda_powertools.event_handler.openapi.params import Query
from pydantic import ConfigDict, Field

from csms.api.api_model import ApiModel
from csms.api.errors import responses
from csms.api.models import PageView
from csms.api.openapi import Tag, body_examples
from csms.api.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, Limit, NextToken
from csms.api.provisioning_models import SETTINGS_DESCRIPTION
from csms.campaigns import rules
from csms.campaigns.administration import CampaignStatusError, UnknownCampaignError
from csms.campaigns.models import Campaign, CampaignCharger, CampaignStatus, ChargerState, Counts, Rollout
from csms.composition import get_services
from csms.domain.configuration_settings import MAX_SETTINGS

router = Router()

PATH = "/api/campaigns"
ONE = f"{PATH}/<campaign_id>"


class CampaignTarget(ApiModel):
    model_config = ConfigDict(extra="forbid")

    charger_ids: list[str] | None = Field(
        None, min_length=1, max_length=rules.MAX_CHARGER_IDS, description="These chargers"
    )
    site_id: str | None = Field(None, description="The chargers of this site")
    vendor: str | None = Field(None, description="As the chargers reported it at boot")
    model: str | None = Field(None, description="As the chargers reported it at boot")
    firmware_version: str | None = Field(None, description="As the chargers reported it at boot")
    ocpp_version: Literal["1.6", "2.0.1"] | None = Field(None, description="The version they connect with")


class CampaignOperation(ApiModel):
    model_config = ConfigDict(extra="forbid")

    kind: Literal["configuration", "command", "firmware"] = Field(
        description="configuration: set `settings`; command: send `action` with `payload`; firmware: install the "
        "image `firmwareId`"
    )
    settings: list[dict[str, Any]] | None = Field(
        None, max_length=MAX_SETTINGS, description=f"configuration: {SETTINGS_DESCRIPTION}"
    )
    action: str | None = Field(None, description="command: the OCPP action, validated as `/commands` validates it")
    payload: dict[str, Any] | None = Field(None, description="command: its payload, as OCPP defines it")
    ocpp_version: Literal["1.6", "2.0.1"] | None = Field(
        None, description="command: the version it is of (else the target's `ocppVersion`)"
    )
    firmware_id: str | None = Field(
        None, description="firmware: a registered image (POST /api/firmware) whose file is uploaded"
    )
    install_at: str | None = Field(
        None, description="firmware: when chargers install it (RFC 3339 with an offset; default: once downloaded)"
    )


class CampaignRollout(ApiModel):
    model_config = ConfigDict(extra="forbid")

    canary: int | None = Field(
        None, ge=0, le=rules.MAX_CANARY, description="Chargers done first, alone (default 1; 0: none)"
    )
    batch_size: int | None = Field(
        None, ge=1, le=rules.MAX_BATCH_SIZE, description="Chargers per batch after the canary (default 10)"
    )
    max_concurrency: int | None = Field(
        None, ge=1, le=rules.MAX_BATCH_SIZE, description="Chargers running at once within a batch (default: all)"
    )
    failure_threshold: float | None = Field(
        None,
        ge=0,
        le=1,
        description="A fraction: after the canary, the campaign halts when failed / finished chargers exceeds it "
        "(default 0.1)",
    )
    charger_timeout_seconds: int | None = Field(
        None,
        ge=1,
        le=rules.MAX_CHARGER_TIMEOUT_SECONDS,
        description="How long a charger offline at its turn is waited for before it is skipped (default 600)",
    )


class CampaignRequest(ApiModel):
    name: str = Field(min_length=1, max_length=rules.MAX_NAME_LENGTH)
    target: CampaignTarget = Field(description="The chargers matching every filter given, read once, now")
    operation: CampaignOperation
    rollout: CampaignRollout | None = None


class CampaignCreated(ApiModel):
    campaign_id: str = Field(description="Follow it with GET /api/campaigns/{campaignId}")


class CampaignCounts(ApiModel):
    total: int
    pending: int = Field(description="Their turn has not come")
    running: int = Field(description="Commands on their way, or waiting for the charger to connect")
    succeeded: int
    failed: int
    skipped: int = Field(description="Offline longer than `chargerTimeoutSeconds`, or nothing they could be sent")

    @classmethod
    def of(cls, counts: Counts) -> "CampaignCounts":
        return cls(**{state.value: counts.of(state) for state in ChargerState}, total=counts.total)


class RolloutView(ApiModel):
    canary: int
    batch_size: int
    max_concurrency: int
    failure_threshold: float = Field(description="A fraction from 0 to 1")
    charger_timeout_seconds: int

    @classmethod
    def of(cls, rollout: Rollout) -> "RolloutView":
        return cls(
            canary=rollout.canary,
            batch_size=rollout.batch_size,
            max_concurrency=rollout.max_concurrency,
            failure_threshold=rollout.failure_threshold,
            charger_timeout_seconds=rollout.charger_timeout_seconds,
        )


class CampaignView(ApiModel):
    campaign_id: str
    name: str
    status: CampaignStatus = Field(description="Running, Paused, Halted (see `reason`), Completed or Cancelled")
    reason: str | None = Field(description="Why it halted: the failed share, or the workflow's failure")
    counts: CampaignCounts
    batches: int = Field(description="How many batches, the canary's included")
    batch: int = Field(description="The batch running (0: the canary's, when there is one)")
    target: dict[str, Any] = Field(description="As given")
    operation: dict[str, Any] = Field(description="As given")
    rollout: RolloutView
    created_at: datetime
    updated_at: datetime | None

    @classmethod
    def of(cls, campaign: Campaign) -> "CampaignView":
        return cls(
            campaign_id=campaign.campaign_id,
            name=campaign.name,
            status=campaign.status,
            reason=campaign.reason,
            counts=CampaignCounts.of(campaign.counts),
            batches=campaign.batches,
            batch=campaign.batch,
            target=campaign.target,
            operation=campaign.operation,
            rollout=RolloutView.of(campaign.rollout),
            created_at=campaign.created_at,
            updated_at=campaign.updated_at,
        )


class CampaignChargerView(ApiModel):
    charger_id: str
    batch: int
    state: ChargerState = Field(description="pending, running, succeeded, failed or skipped")
    ocpp_version: str | None
    command_ids: list[str] = Field(description="Every command sent to it, oldest first: follow each at /api/commands")
    outcome: dict[str, Any] | None = Field(
        description="What became of it: `reasons` it failed (a setting refused, a command Rejected, ...), `reason` "
        "it was skipped, or the command's `result`"
    )
    waiting_since: datetime | None = Field(description="Offline since its turn came (or since its commands went)")
    started_at: datetime | None
    finished_at: datetime | None

    @classmethod
    def of(cls, charger: CampaignCharger) -> "CampaignChargerView":
        return cls(
            charger_id=charger.charger_id,
            batch=charger.batch,
            state=charger.state,
            ocpp_version=charger.ocpp_version.value if charger.ocpp_version else None,
            command_ids=list(charger.command_ids),
            outcome=charger.outcome,
            waiting_since=charger.waiting_since,
            started_at=charger.started_at,
            finished_at=charger.finished_at,
        )


class CampaignDetailView(CampaignView):
    chargers: list[CampaignChargerView] = Field(description="A page of its chargers, by batch then id")
    chargers_next_token: str | None = Field(
        description="Pass as `nextToken` for the next page of chargers; null on the last page"
    )


CONFIGURATION_EXAMPLE = {
    "name": "Heartbeat every 5 minutes",
    "target": {"siteId": "depot"},
    "operation": {
        "kind": "configuration",
        "settings": [
            {"key": "HeartbeatInterval", "value": "300"},
            {"component": {"name": "OCPPCommCtrlr"}, "variable": {"name": "HeartbeatInterval"}, "value": "300"},
        ],
    },
    "rollout": {"canary": 1, "batchSize": 10, "failureThreshold": 0.2, "chargerTimeoutSeconds": 3600},
}
FIRMWARE_EXAMPLE = {
    "name": "Wallbox-2 to 2.4.1",
    "target": {"vendor": "ACME", "model": "Wallbox-2"},
    "operation": {"kind": "firmware", "firmwareId": "3f0c9a4e6d2b4f1e9a7c5b3d1e0f2a4c"},
    "rollout": {"canary": 1, "batchSize": 4, "failureThreshold": 0.2},
}
COMMAND_EXAMPLE = {
    "name": "Restart the 2.0.1 chargers of one vendor",
    "target": {"vendor": "ACME", "ocppVersion": "2.0.1"},
    "operation": {"kind": "command", "action": "Reset", "payload": {"type": "OnIdle"}},
}


@router.post(
    PATH,
    operation_id="createCampaign",
    summary="Start a campaign",
    description="Rolls one operation out to the chargers matching every filter of `target` (read once, now): a "
    "configuration change (the provisioning settings format: 1.6 ChangeConfiguration per key, 2.0.1 one "
    "SetVariables), one command of one OCPP version, or a firmware image (POST /api/firmware; chargers of its vendor "
    "and model, each succeeding once it reported Installed and booted with the image's version). The canary goes "
    "first, alone; then batches of `batchSize`, "
    "at most `maxConcurrency` chargers at once, each charger's commands through the command workflow. After the "
    "canary, the campaign halts itself when the failed share of finished chargers exceeds `failureThreshold`. A "
    "charger offline at its turn waits up to `chargerTimeoutSeconds`, then is skipped. 202 with its id; 422 with "
    "every reason (no charger matches, a bad setting or command, an action a targeted charger's version cannot "
    "express, unknown firmware or an image not uploaded yet, bad numbers).",
    tags=[Tag.CAMPAIGNS],
    status_code=HTTPStatus.ACCEPTED,
    responses=responses(success=HTTPStatus.ACCEPTED),
)
def create_campaign(
    request: Annotated[
        CampaignRequest,
        body_examples(
            configuration=("A setting for the chargers of a site, both versions", CONFIGURATION_EXAMPLE),
            command=("A command to the 2.0.1 chargers of a vendor", COMMAND_EXAMPLE),
            firmware=("A firmware image for the chargers of its model", FIRMWARE_EXAMPLE),
        ),
    ],
) -> CampaignCreated:
    given = request.model_dump(by_alias=True, exclude_none=True)
    campaign = get_services().campaign_administration.create(
        given["name"], given["target"], given["operation"], given.get("rollout")
    )
    return CampaignCreated(campaign_id=campaign.campaign_id)


@router.get(
    PATH,
    operation_id="listCampaigns",
    summary="List campaigns",
    description="Every campaign, newest first, with its status and counts. Paged.",
    tags=[Tag.CAMPAIGNS],
    responses=responses(HTTPStatus.BAD_REQUEST),
)
def list_campaigns(limit: Limit = DEFAULT_PAGE_SIZE, next_token: NextToken = None) -> PageView[CampaignView]:
    page = get_services().campaign_administration.page(limit, next_token)
    return PageView[CampaignView](items=[CampaignView.of(c) for c in page.items], next_token=page.next_token)


@router.get(
    ONE,
    operation_id="getCampaign",
    summary="Get a campaign",
    description="Its status, counts and a page of its chargers (by batch, then id), each with its state, the "
    "commands sent to it and their outcome; `limit` and `nextToken` page the chargers. 404 unknown.",
    tags=[Tag.CAMPAIGNS],
    responses=responses(HTTPStatus.NOT_FOUND, HTTPStatus.BAD_REQUEST),
)
def get_campaign(
    campaign_id: str,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description="Chargers per page")] = DEFAULT_PAGE_SIZE,
    next_token: NextToken = None,
) -> CampaignDetailView:
    administration = get_services().campaign_administration
    try:
        campaign = administration.get(campaign_id)
        chargers = administration.chargers(campaign_id, limit, next_token)
    except UnknownCampaignError as error:
        raise NotFoundError(f"No campaign {campaign_id}") from error
    return CampaignDetailView(
        **CampaignView.of(campaign).model_dump(),
        chargers=[CampaignChargerView.of(charger) for charger in chargers.items],
        chargers_next_token=chargers.next_token,
    )


def _change(campaign_id: str, action: str) -> CampaignView:
    administration = get_services().campaign_administration
    change = {"pause": administration.pause, "resume": administration.resume, "cancel": administration.cancel}
    try:
        return CampaignView.of(change[action](campaign_id))
    except UnknownCampaignError as error:
        raise NotFoundError(f"No campaign {campaign_id}") from error
    except CampaignStatusError as error:
        raise ServiceError(HTTPStatus.CONFLICT, str(error)) from error


CHANGE_RESPONSES = responses(HTTPStatus.NOT_FOUND, HTTPStatus.CONFLICT)


@router.post(
    f"{ONE}/pause",
    operation_id="pauseCampaign",
    summary="Pause a campaign",
    description="A Running campaign becomes Paused: no charger starts until it is resumed; those running finish. "
    "404 unknown; 409 when it is not Running.",
    tags=[Tag.CAMPAIGNS],
    responses=CHANGE_RESPONSES,
)
def pause_campaign(campaign_id: str) -> CampaignView:
    return _change(campaign_id, "pause")


@router.post(
    f"{ONE}/resume",
    operation_id="resumeCampaign",
    summary="Resume a campaign",
    description="A Paused campaign runs again from where it stopped (a new workflow execution when the last one "
    "ended at the pause). 404 unknown; 409 when it is not Paused.",
    tags=[Tag.CAMPAIGNS],
    responses=CHANGE_RESPONSES,
)
def resume_campaign(campaign_id: str) -> CampaignView:
    return _change(campaign_id, "resume")


@router.post(
    f"{ONE}/cancel",
    operation_id="cancelCampaign",
    summary="Cancel a campaign",
    description="A Running or Paused campaign is Cancelled for good: no charger starts any more; commands already "
    "sent are not called back. 404 unknown; 409 when it already ended (Halted, Completed, Cancelled).",
    tags=[Tag.CAMPAIGNS],
    responses=CHANGE_RESPONSES,
)
def cancel_campaign(campaign_id: str) -> CampaignView:
    return _change(campaign_id, "cancel")
