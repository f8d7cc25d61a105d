"""A charger's charging profiles: the set it holds, and the composite schedule it computes from them."""

from datetime import datetime
from http import HTTPStatus
from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Query
from pydantic import Field

from csms.api.api_model import ApiModel
from csms.api.errors import responses
from csms.api.openapi import Tag
from csms.api.routes.chargers import known_charge_point
from csms.api.routes.commands import CommandAccepted, CommandView, submitted
from csms.composition import get_services
from csms.domain.charging_profiles.installed import ExternalLimit, InstalledProfile
from csms.domain.charging_profiles.schedules import RateUnit
from csms.wire.versions import OcppVersion

router = Router()


class InstalledProfileView(ApiModel):
    """A charging profile the charger holds."""

    charging_profile_id: int
    connector_id: int | None = Field(description="OCPP 1.6 (0: the whole charger)")
    evse_id: int | None = Field(description="OCPP 2.0.1 (0: the whole station)")
    stack_level: int
    charging_profile_purpose: str
    transaction_id: str | None = Field(description="A TxProfile's transaction")
    charging_limit_source: str = Field(description="CSO: set by the CSMS; EMS, SO, Other: reported by the station")
    valid_from: datetime | None
    valid_to: datetime | None
    installed_at: datetime = Field(description="When the CSMS learned it: its SetChargingProfile accepted, or reported")
    charging_profile: dict[str, Any] = Field(
        description="As sent or reported: 1.6 csChargingProfiles, 2.0.1 chargingProfile"
    )

    @classmethod
    def of(cls, profile: InstalledProfile, version: OcppVersion | None) -> "InstalledProfileView":
        place = profile.evse_or_connector_id
        return cls(
            charging_profile_id=profile.profile_id,
            connector_id=None if version is OcppVersion.V201 else place,
            evse_id=place if version is OcppVersion.V201 else None,
            stack_level=profile.stack_level,
            charging_profile_purpose=profile.purpose.value,
            transaction_id=profile.transaction_id,
            charging_limit_source=profile.source,
            valid_from=profile.valid_from,
            valid_to=profile.valid_to,
            installed_at=profile.installed_at,
            charging_profile=profile.as_sent,
        )


class ExternalLimitView(ApiModel):
    """A limit an energy manager or grid operator set, as the station notified it (2.0.1 NotifyChargingLimit)."""

    charging_limit_source: str = Field(description="EMS, SO or Other")
    evse_id: int | None = Field(description="null: the whole station")
    is_grid_critical: bool | None
    charging_schedule: list[dict[str, Any]] = Field(description="As notified (none when the station did not say)")
    notified_at: datetime

    @classmethod
    def of(cls, limit: ExternalLimit) -> "ExternalLimitView":
        return cls(
            charging_limit_source=limit.source,
            evse_id=limit.evse_id,
            is_grid_critical=limit.grid_critical,
            charging_schedule=limit.as_sent.get("chargingSchedule", []),
            notified_at=limit.notified_at,
        )


class InstalledProfilesView(ApiModel):
    """The whole set (no pages: a charger holds a handful)."""

    items: list[InstalledProfileView] = Field(description="By connector or EVSE, purpose, stack level and id")
    external_limits: list[ExternalLimitView]


@router.get(
    "/api/chargers/<charger_id>/charging-profiles",
    operation_id="listChargingProfiles",
    summary="List the charging profiles a charger holds",
    description="The charging profiles installed on the charger, as it holds them: those it accepted "
    "(SetChargingProfile; the same id, or the same purpose and stack level on the same connector or EVSE, "
    "replaces one), less those cleared (ClearChargingProfile), those of ended transactions and those whose "
    "validity ended; for 2.0.1 as its reports after GetChargingProfiles say, with the limits an energy "
    "manager or grid operator set (NotifyChargingLimit until ClearedChargingLimit). Not paged.",
    tags=[Tag.CHARGERS],
    responses=responses(HTTPStatus.NOT_FOUND),
)
def list_charging_profiles(charger_id: str) -> InstalledProfilesView:
    version = known_charge_point(charger_id).ocpp_version
    installed = get_services().installed_profiles.installed(charger_id)
    profiles = sorted(
        installed.profiles, key=lambda p: (p.evse_or_connector_id, p.purpose.value, p.stack_level, p.profile_id)
    )
    return InstalledProfilesView(
        items=[InstalledProfileView.of(profile, version) for profile in profiles],
        external_limits=[ExternalLimitView.of(limit) for limit in installed.external_limits],
    )


@router.get(
    "/api/chargers/<charger_id>/composite-schedule",
    operation_id="getCompositeSchedule",
    summary="Ask a charger for its composite schedule",
    description="Sends GetCompositeSchedule (1.6: `connectorId`, 0 the whole charger; 2.0.1: `evseId`, 0 the whole "
    "station) for `duration` seconds from now, through the command workflow, and waits up to 10 s for the answer: "
    "200 with the command, its `response` the charger's answer as sent; 202 with the command id when the charger "
    "has not answered by then (follow it with GET /api/commands/{commandId}). 404 unknown charger, 409 one that "
    "is not connected, 422 bad parameters (or the wrong one for its OCPP version), 429 too many commands waiting.",
    tags=[Tag.CHARGERS],
    responses={
        **responses(HTTPStatus.NOT_FOUND, HTTPStatus.CONFLICT, HTTPStatus.TOO_MANY_REQUESTS),
        HTTPStatus.OK.value: {
            "description": "Answered (or failed)",
            "content": {content_types.APPLICATION_JSON: {"model": CommandView}},
        },
        HTTPStatus.ACCEPTED.value: {
            "description": "Not answered yet",
            "content": {content_types.APPLICATION_JSON: {"model": CommandAccepted}},
        },
    },
)
def get_composite_schedule(
    charger_id: str,
    duration: Annotated[int, Query(ge=1, le=2**31 - 1, description="Seconds from now")],
    connector_id: Annotated[int | None, Query(alias="connectorId", ge=0, description="OCPP 1.6")] = None,
    evse_id: Annotated[int | None, Query(alias="evseId", ge=0, description="OCPP 2.0.1")] = None,
    charging_rate_unit: Annotated[RateUnit | None, Query(alias="chargingRateUnit", description="A or W")] = None,
) -> Response[dict[str, Any]]:
    command = submitted(
        charger_id,
        lambda: get_services().composite_schedules.ask(
            charger_id, duration, connector_id, evse_id, charging_rate_unit.value if charging_rate_unit else None
        ),
    )
    answered = not command.status.awaiting_answer
    view = CommandView.of(command) if answered else CommandAccepted(command_id=command.command_id)
    status = HTTPStatus.OK if answered else HTTPStatus.ACCEPTED
    return Response(status, content_types.APPLICATION_JSON, view.model_dump(mode="json", by_alias=True))
