"""Moving a charger up to security profile 3 on the charger itself (`csms.pki.security_profile_upgrade`)."""

from datetime import datetime
from http import HTTPStatus
from typing import Annotated, Literal

from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.exceptions import NotFoundError, ServiceError
from pydantic import Field

from csms.api.api_model import ApiModel
from csms.api.errors import responses
from csms.api.openapi import Tag, body_examples
from csms.api.routes.commands import submitted
from csms.commands.errors import UnknownChargePointError
from csms.composition import get_services
from csms.pki.profile_upgrades import ProfileUpgrade
from csms.pki.security_profile_upgrade import UpgradeRequest, UpgradeRunningError

router = Router()

PATH = "/api/chargers/<charger_id>/security-profile"
OcppInterface = Literal["Wired0", "Wired1", "Wired2", "Wired3", "Wireless0", "Wireless1", "Wireless2", "Wireless3"]


class SecurityProfileUpgradeRequest(ApiModel):
    target: int = Field(description="The profile to move the charger to: 3 (client certificate)")
    csms_url: str | None = Field(
        default=None,
        max_length=512,
        description="2.0.1: the wss:// URL the charger connects to at profile 3, without its identity "
        "(absent: the CSMS's own, setting CSMS_OCPP_URL). Not sent to a 1.6 charger",
    )
    ocpp_interface: OcppInterface = Field(default="Wired0", description="2.0.1: the network profile's ocppInterface")
    configuration_slot: int | None = Field(
        default=None,
        ge=0,
        le=1000,
        description="2.0.1: the configuration slot of the new network profile (absent: the lowest one not in its "
        "NetworkConfigurationPriority)",
    )


class UpgradeStarted(ApiModel):
    upgrade_id: str
    step: str = Field(description="The step it is at (Certificate, Root, NetworkPriorityRead, ...)")
    command_ids: list[str] = Field(description="The commands sent so far")


class UpgradeView(ApiModel):
    upgrade_id: str
    target: int
    status: Literal["Running", "Completed", "Failed"]
    step: str
    reason: str | None = Field(description="Why it failed")
    command_ids: list[str] = Field(description="Every command it sent, in order (follow them in the commands)")
    configuration_slot: int | None = Field(description="2.0.1: the network profile's slot, once chosen")
    started_at: datetime
    updated_at: datetime
    deadline: datetime = Field(description="Not completed by then: Failed")

    @classmethod
    def of(cls, upgrade: ProfileUpgrade) -> "UpgradeView":
        if upgrade.upgrade_id is None or upgrade.started_at is None:
            raise ValueError("an upgrade that never started")
        return cls(
            upgrade_id=upgrade.upgrade_id,
            target=upgrade.target,
            status=upgrade.status.value,
            step=upgrade.step.value,
            reason=upgrade.reason,
            command_ids=list(upgrade.command_ids),
            configuration_slot=upgrade.configuration_slot,
            started_at=upgrade.started_at,
            updated_at=upgrade.updated_at or upgrade.started_at,
            deadline=upgrade.deadline,
        )


class SecurityProfileView(ApiModel):
    security_profile: int = Field(description="The charger's profile in the CSMS (what admits it)")
    upgrade: UpgradeView | None = Field(description="Its latest upgrade (null: none)")


@router.post(
    PATH,
    operation_id="upgradeSecurityProfile",
    summary="Move a charger up to security profile 3",
    description="Orchestrates the upgrade on a connected charger through the command workflow: a certificate of "
    "the CSMS CA unless it holds an Active one (2.0.1 TriggerMessage SignChargingStationCertificate, 1.6 "
    "ExtendedTriggerMessage SignChargePointCertificate, then its SignCertificate and CertificateSigned), the CSMS "
    "root unless it trusts it (InstallCertificate), then the profile: 2.0.1 GetVariables and SetVariables "
    "OCPPCommCtrlr.NetworkConfigurationPriority around SetNetworkProfile at profile 3, and Reset OnIdle; 1.6 "
    "ChangeConfiguration SecurityProfile 3. The charger's profile in the CSMS becomes 3 only when it reconnects "
    "with its certificate. Follow it with GET. 404 unknown charger; 409 one not connected, or with an upgrade "
    "running; 422 a target other than 3, a charger at 3 already (going down is PUT securityProfile), or a 2.0.1 "
    "charger without a wss:// CSMS URL.",
    tags=[Tag.CERTIFICATES],
    status_code=HTTPStatus.ACCEPTED,
    responses=responses(
        HTTPStatus.NOT_FOUND, HTTPStatus.CONFLICT, HTTPStatus.TOO_MANY_REQUESTS, success=HTTPStatus.ACCEPTED
    ),
)
def upgrade_security_profile(
    charger_id: str,
    upgrade: Annotated[
        SecurityProfileUpgradeRequest,
        body_examples(
            configured=("To the CSMS's own URL", {"target": 3}),
            given=("A 2.0.1 charger, to a URL of your own", {"target": 3, "csmsUrl": "wss://ocpp.example.com/ocpp/"}),
        ),
    ],
) -> UpgradeStarted:
    request = UpgradeRequest(upgrade.target, upgrade.csms_url, upgrade.ocpp_interface, upgrade.configuration_slot)
    service = get_services().security_profile_upgrades
    try:
        started = submitted(charger_id, lambda: service.start(charger_id, request))
    except UpgradeRunningError as error:
        raise ServiceError(HTTPStatus.CONFLICT, f"{charger_id} has an upgrade running: follow it with GET") from error
    return UpgradeStarted(
        upgrade_id=str(started.upgrade_id), step=started.step.value, command_ids=list(started.command_ids)
    )


@router.get(
    PATH,
    operation_id="getSecurityProfile",
    summary="A charger's security profile and its latest upgrade",
    description="The profile that admits the charger, and how far its latest upgrade got (a running one past its "
    "deadline shows Failed). 404 unknown charger.",
    tags=[Tag.CERTIFICATES],
    responses=responses(HTTPStatus.NOT_FOUND),
)
def get_security_profile(charger_id: str) -> SecurityProfileView:
    try:
        state = get_services().security_profile_upgrades.state(charger_id)
    except UnknownChargePointError as error:
        raise NotFoundError(f"No charge point {charger_id}") from error
    upgrade = UpgradeView.of(state.upgrade) if state.upgrade is not None else None
    return SecurityProfileView(security_profile=state.security_profile, upgrade=upgrade)
