"""Remote commands: any OCPP action by name, version-independent shortcuts, and what became of them.

Every submission answers 202 with the command id once the command is validated and its workflow
started; `GET /api/commands/{commandId}` follows it (see README, "Remote commands").
"""

from collections.abc import Callable
from datetime import datetime
from http import HTTPStatus
from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.exceptions import NotFoundError, ServiceError
from pydantic import Field

from csms.api.errors import error_response, responses
from csms.api.models import ApiModel, PageView
from csms.api.pagination import DEFAULT_PAGE_SIZE, Limit, NextToken
from csms.commands.errors import (
    CommandQueueFullError,
    InvalidCommandError,
    UnknownChargePointError,
    VersionUnknownError,
)
from csms.commands.models import Command
from csms.commands.service import CommandService
from csms.commands.shortcuts import Availability, ResetType
from csms.composition import get_services

router = Router()

ConnectorId = Annotated[int | None, Field(ge=0, description="OCPP 1.6 connector (0: whole charger)")]
EvseId = Annotated[int | None, Field(ge=0, description="OCPP 2.0.1 EVSE")]


class CommandSubmission(ApiModel):
    action: str = Field(min_length=1, description="The OCPP action, e.g. Reset or GetVariables")
    payload: dict[str, Any] = Field(default_factory=dict, description="The CALL payload, as OCPP spells it")


class StartRequest(ApiModel):
    id_token: str = Field(min_length=1, max_length=36)
    connector_id: ConnectorId = None
    evse_id: EvseId = None


class StopRequest(ApiModel):
    transaction_id: str | int


class ResetRequest(ApiModel):
    type: ResetType = Field(description="soft: 1.6 Soft / 2.0.1 OnIdle; hard: 1.6 Hard / 2.0.1 Immediate")


class UnlockRequest(ApiModel):
    connector_id: ConnectorId = None
    evse_id: EvseId = None


class AvailabilityRequest(ApiModel):
    status: Availability
    connector_id: ConnectorId = None
    evse_id: EvseId = None


class CommandAccepted(ApiModel):
    command_id: str


class CommandErrorView(ApiModel):
    code: str
    description: str


class FollowUpView(ApiModel):
    kind: str
    timeout_seconds: int


class CommandView(ApiModel):
    command_id: str
    charger_id: str
    ocpp_version: str
    action: str
    status: str
    request: dict[str, Any]
    response: dict[str, Any] | None
    error: CommandErrorView | None
    execution_arn: str | None
    follow_up: FollowUpView | None
    result: dict[str, Any] | None
    created_at: datetime
    sent_at: datetime | None
    answered_at: datetime | None
    finished_at: datetime | None

    @classmethod
    def of(cls, command: Command) -> "CommandView":
        return cls(
            command_id=command.command_id,
            charger_id=command.charge_point_id,
            ocpp_version=command.ocpp_version.value,
            action=command.action,
            status=command.status.value,
            request=command.request,
            response=command.response,
            error=CommandErrorView(code=command.error.code, description=command.error.description)
            if command.error
            else None,
            execution_arn=command.execution_arn,
            follow_up=FollowUpView(kind=command.follow_up.kind.value, timeout_seconds=command.follow_up.timeout_seconds)
            if command.follow_up
            else None,
            result=command.result,
            created_at=command.created_at,
            sent_at=command.sent_at,
            answered_at=command.answered_at,
            finished_at=command.finished_at,
        )


# Submissions answer 202 once validated and started; 404: unknown charger; 409: its version unknown;
# 429: its command queue is full.
SUBMITTED = responses(
    HTTPStatus.NOT_FOUND, HTTPStatus.CONFLICT, HTTPStatus.TOO_MANY_REQUESTS, success=HTTPStatus.ACCEPTED
)


@router.exception_handler(InvalidCommandError)
def invalid_command(error: InvalidCommandError) -> Response[dict[str, Any]]:
    """422 with every reason (each schema violation, for example)."""
    return error_response(HTTPStatus.UNPROCESSABLE_ENTITY, "Invalid command", error.reasons)


def _submit(charger_id: str, submit: Callable[[CommandService], Command]) -> CommandAccepted:
    try:
        command = submit(get_services().commands)
    except UnknownChargePointError as error:
        raise NotFoundError(f"No charge point {charger_id}") from error
    except VersionUnknownError as error:
        raise ServiceError(
            HTTPStatus.CONFLICT, f"{charger_id} has never connected: its OCPP version is not known yet"
        ) from error
    except CommandQueueFullError as error:
        raise ServiceError(
            HTTPStatus.TOO_MANY_REQUESTS,
            f"{charger_id} has {error.limit} commands waiting already: try again once some are done",
        ) from error
    return CommandAccepted(command_id=command.command_id)


@router.post("/api/chargers/<charger_id>/commands", status_code=HTTPStatus.ACCEPTED, responses=SUBMITTED)
def submit_command(charger_id: str, submission: CommandSubmission) -> CommandAccepted:
    """Any CSMS-to-charge point action of the charger's OCPP version, validated against its schema."""
    return _submit(charger_id, lambda commands: commands.submit(charger_id, submission.action, submission.payload))


@router.post("/api/chargers/<charger_id>/start", status_code=HTTPStatus.ACCEPTED, responses=SUBMITTED)
def start(charger_id: str, request: StartRequest) -> CommandAccepted:
    """RemoteStartTransaction (1.6) or RequestStartTransaction (2.0.1); the result has the transaction id."""
    return _submit(
        charger_id, lambda commands: commands.start(charger_id, request.id_token, request.connector_id, request.evse_id)
    )


@router.post("/api/chargers/<charger_id>/stop", status_code=HTTPStatus.ACCEPTED, responses=SUBMITTED)
def stop(charger_id: str, request: StopRequest) -> CommandAccepted:
    """RemoteStopTransaction (1.6) or RequestStopTransaction (2.0.1)."""
    return _submit(charger_id, lambda commands: commands.stop(charger_id, str(request.transaction_id)))


@router.post("/api/chargers/<charger_id>/reset", status_code=HTTPStatus.ACCEPTED, responses=SUBMITTED)
def reset(charger_id: str, request: ResetRequest) -> CommandAccepted:
    """Reset; the result says whether the charger came back."""
    return _submit(charger_id, lambda commands: commands.reset(charger_id, request.type))


@router.post("/api/chargers/<charger_id>/unlock", status_code=HTTPStatus.ACCEPTED, responses=SUBMITTED)
def unlock(charger_id: str, request: UnlockRequest) -> CommandAccepted:
    """UnlockConnector: connectorId (1.6), or evseId and connectorId (default 1) for 2.0.1."""
    return _submit(charger_id, lambda commands: commands.unlock(charger_id, request.connector_id, request.evse_id))


@router.post("/api/chargers/<charger_id>/availability", status_code=HTTPStatus.ACCEPTED, responses=SUBMITTED)
def availability(charger_id: str, request: AvailabilityRequest) -> CommandAccepted:
    """ChangeAvailability of the whole charger, a connector (1.6) or an EVSE or its connector (2.0.1)."""
    return _submit(
        charger_id,
        lambda commands: commands.availability(charger_id, request.status, request.connector_id, request.evse_id),
    )


@router.post("/api/chargers/<charger_id>/local-list", status_code=HTTPStatus.ACCEPTED, responses=SUBMITTED)
def send_local_list(charger_id: str) -> CommandAccepted:
    """SendLocalList: every id token as a full list, numbered with the charger's next list version."""
    return _submit(charger_id, lambda commands: commands.send_local_list(charger_id))


@router.get("/api/commands/<command_id>", responses=responses(HTTPStatus.NOT_FOUND))
def get_command(command_id: str) -> CommandView:
    command = get_services().commands.get(command_id)
    if command is None:
        raise NotFoundError(f"No command {command_id}")
    return CommandView.of(command)


@router.get("/api/commands", responses=responses(HTTPStatus.BAD_REQUEST))
def list_all_commands(limit: Limit = DEFAULT_PAGE_SIZE, next_token: NextToken = None) -> PageView[CommandView]:
    """Every charger's commands, newest first."""
    page = get_services().commands.list_all(limit, next_token)
    return PageView[CommandView](items=[CommandView.of(command) for command in page.items], next_token=page.next_token)


@router.get("/api/chargers/<charger_id>/commands", responses=responses(HTTPStatus.NOT_FOUND, HTTPStatus.BAD_REQUEST))
def list_commands(
    charger_id: str, limit: Limit = DEFAULT_PAGE_SIZE, next_token: NextToken = None
) -> PageView[CommandView]:
    """The charger's commands, newest first."""
    try:
        page = get_services().commands.list_for_charge_point(charger_id, limit, next_token)
    except UnknownChargePointError as error:
        raise NotFoundError(f"No charge point {charger_id}") from error
    return PageView[CommandView](items=[CommandView.of(command) for command in page.items], next_token=page.next_token)
