"""Remote commands: any OCPP action by name, version-independent shortcuts, and what became of them.

Every submission answers 202 with the command id once the command is validated and its workflow
started; `GET /api/commands/{commandId}` follows it (see README, "Remote commands").
"""

from collections.abc import Callable
from datetime import datetime
from http import HTTPStatus
from typing import Annotated, Any, TypeVar

from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.exceptions import NotFoundError, ServiceError
from pydantic import Field

from csms.api.api_model import ApiModel
from csms.api.errors import responses
from csms.api.models import PageView
from csms.api.openapi import Tag, body_examples
from csms.api.pagination import DEFAULT_PAGE_SIZE, Limit, NextToken
from csms.commands.errors import (
    ChargePointOfflineError,
    CommandQueueFullError,
    UnknownChargePointError,
    VersionUnknownError,
)
from csms.commands.models import Command
from csms.commands.password_rotation import redacted_request
from csms.commands.service import CommandService
from csms.commands.shortcuts import Availability, ResetType
from csms.composition import get_services

router = Router()

T = TypeVar("T")

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
            request=redacted_request(command),
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


def submitted(charger_id: str, submit: Callable[[], T]) -> T:
    """What `submit` returns (the command it starts), its refusals as HTTP errors: 404 unknown charger, 409 one
    whose version is not known or that is offline, 429 one with a full queue (and 422: `errors.invalid_command`)."""
    try:
        return submit()
    except UnknownChargePointError as error:
        raise NotFoundError(f"No charge point {charger_id}") from error
    except VersionUnknownError as error:
        raise ServiceError(
            HTTPStatus.CONFLICT, f"{charger_id} has never connected: its OCPP version is not known yet"
        ) from error
    except ChargePointOfflineError as error:
        raise ServiceError(HTTPStatus.CONFLICT, f"{charger_id} is not connected") from error
    except CommandQueueFullError as error:
        raise ServiceError(
            HTTPStatus.TOO_MANY_REQUESTS,
            f"{charger_id} has {error.limit} commands waiting already: try again once some are done",
        ) from error


def _submit(charger_id: str, submit: Callable[[CommandService], Command]) -> CommandAccepted:
    command = submitted(charger_id, lambda: submit(get_services().commands))
    return CommandAccepted(command_id=command.command_id)


@router.post(
    "/api/chargers/<charger_id>/commands",
    operation_id="sendCommand",
    summary="Send any command",
    description="Any action the CSMS can send to a charger of its OCPP version (`GET /api/ocpp/{version}/actions`), "
    "with its payload as OCPP spells it, validated against the official schema: 422 lists every violation and "
    "sends nothing. 202 with the command id once its workflow started; 404 unknown charger, 409 one that never "
    "connected (version unknown), 429 too many commands already waiting for it.",
    tags=[Tag.COMMANDS],
    status_code=HTTPStatus.ACCEPTED,
    responses=SUBMITTED,
)
def submit_command(
    charger_id: str,
    submission: Annotated[
        CommandSubmission,
        body_examples(
            get_variables=(
                "2.0.1 GetVariables",
                {
                    "action": "GetVariables",
                    "payload": {
                        "getVariableData": [
                            {"component": {"name": "OCPPCommCtrlr"}, "variable": {"name": "HeartbeatInterval"}}
                        ]
                    },
                },
            ),
            get_configuration=(
                "1.6 GetConfiguration",
                {"action": "GetConfiguration", "payload": {"key": ["HeartbeatInterval"]}},
            ),
            trigger=(
                "TriggerMessage",
                {"action": "TriggerMessage", "payload": {"requestedMessage": "StatusNotification"}},
            ),
        ),
    ],
) -> CommandAccepted:
    return _submit(charger_id, lambda commands: commands.submit(charger_id, submission.action, submission.payload))


@router.post(
    "/api/chargers/<charger_id>/start",
    operation_id="startTransaction",
    summary="Start a charging session",
    description="RemoteStartTransaction (1.6, `connectorId`) or RequestStartTransaction (2.0.1, `evseId`; the id "
    "token of type Central). Once accepted, the command follows the charger until a session of that id token "
    "started (its `result` has the transaction id) or the follow-up times out.",
    tags=[Tag.COMMANDS],
    status_code=HTTPStatus.ACCEPTED,
    responses=SUBMITTED,
)
def start(
    charger_id: str,
    request: Annotated[
        StartRequest,
        body_examples(
            any_connector=("On any connector", {"idToken": "04E3A2B1C5"}),
            connector=("On 1.6 connector 1", {"idToken": "04E3A2B1C5", "connectorId": 1}),
            evse=("On 2.0.1 EVSE 1", {"idToken": "04E3A2B1C5", "evseId": 1}),
        ),
    ],
) -> CommandAccepted:
    return _submit(
        charger_id, lambda commands: commands.start(charger_id, request.id_token, request.connector_id, request.evse_id)
    )


@router.post(
    "/api/chargers/<charger_id>/stop",
    operation_id="stopTransaction",
    summary="Stop a charging session",
    description="RemoteStopTransaction (1.6: an integer transaction id) or RequestStopTransaction (2.0.1).",
    tags=[Tag.COMMANDS],
    status_code=HTTPStatus.ACCEPTED,
    responses=SUBMITTED,
)
def stop(
    charger_id: str,
    request: Annotated[
        StopRequest,
        body_examples(
            v16=("A 1.6 transaction", {"transactionId": 42}),
            v201=("A 2.0.1 transaction", {"transactionId": "b1e7d6a0-tx"}),
        ),
    ],
) -> CommandAccepted:
    return _submit(charger_id, lambda commands: commands.stop(charger_id, str(request.transaction_id)))


@router.post(
    "/api/chargers/<charger_id>/reset",
    operation_id="resetCharger",
    summary="Reset a charger",
    description="Reset: `soft` is 1.6 Soft / 2.0.1 OnIdle (waits for running sessions to end), `hard` is 1.6 "
    "Hard / 2.0.1 Immediate. Once accepted, the command's `result` says whether the charger came back.",
    tags=[Tag.COMMANDS],
    status_code=HTTPStatus.ACCEPTED,
    responses=SUBMITTED,
)
def reset(
    charger_id: str,
    request: Annotated[
        ResetRequest, body_examples(soft=("Soft reset", {"type": "soft"}), hard=("Hard reset", {"type": "hard"}))
    ],
) -> CommandAccepted:
    return _submit(charger_id, lambda commands: commands.reset(charger_id, request.type))


@router.post(
    "/api/chargers/<charger_id>/unlock",
    operation_id="unlockConnector",
    summary="Unlock a connector",
    description="UnlockConnector: `connectorId` for 1.6; `evseId` and `connectorId` (1 by default) for 2.0.1.",
    tags=[Tag.COMMANDS],
    status_code=HTTPStatus.ACCEPTED,
    responses=SUBMITTED,
)
def unlock(
    charger_id: str,
    request: Annotated[
        UnlockRequest,
        body_examples(
            v16=("1.6 connector 1", {"connectorId": 1}),
            v201=("2.0.1 EVSE 1, connector 1", {"evseId": 1, "connectorId": 1}),
        ),
    ],
) -> CommandAccepted:
    return _submit(charger_id, lambda commands: commands.unlock(charger_id, request.connector_id, request.evse_id))


@router.post(
    "/api/chargers/<charger_id>/availability",
    operation_id="changeAvailability",
    summary="Change availability",
    description="ChangeAvailability of the whole charger (no connector or EVSE), a connector (1.6), or an EVSE or "
    "one of its connectors (2.0.1).",
    tags=[Tag.COMMANDS],
    status_code=HTTPStatus.ACCEPTED,
    responses=SUBMITTED,
)
def availability(
    charger_id: str,
    request: Annotated[
        AvailabilityRequest,
        body_examples(
            charger=("The whole charger out of service", {"status": "inoperative"}),
            connector=("1.6 connector 2 back in service", {"status": "operative", "connectorId": 2}),
            evse=("2.0.1 EVSE 1 out of service", {"status": "inoperative", "evseId": 1}),
        ),
    ],
) -> CommandAccepted:
    return _submit(
        charger_id,
        lambda commands: commands.availability(charger_id, request.status, request.connector_id, request.evse_id),
    )


@router.post(
    "/api/chargers/<charger_id>/local-list",
    operation_id="sendLocalList",
    summary="Send the local authorization list",
    description="SendLocalList of type Full: every id token (1.6: those of at most 20 characters), numbered with "
    "the charger's next list version. No body.",
    tags=[Tag.COMMANDS],
    status_code=HTTPStatus.ACCEPTED,
    responses=SUBMITTED,
)
def send_local_list(charger_id: str) -> CommandAccepted:
    return _submit(charger_id, lambda commands: commands.send_local_list(charger_id))


@router.get(
    "/api/commands/<command_id>",
    operation_id="getCommand",
    summary="Follow a command",
    description="The command's status (Pending, Sent, then Accepted, Rejected, Failed, TimedOut or Offline), its "
    "request and response as sent, its error, and its follow-up's result.",
    tags=[Tag.COMMANDS],
    responses=responses(HTTPStatus.NOT_FOUND),
)
def get_command(command_id: str) -> CommandView:
    command = get_services().commands.get(command_id)
    if command is None:
        raise NotFoundError(f"No command {command_id}")
    return CommandView.of(command)


@router.get(
    "/api/commands",
    operation_id="listCommands",
    summary="List every charger's commands",
    description="The commands of the whole fleet, newest first, with their outcomes. Paged.",
    tags=[Tag.COMMANDS],
    responses=responses(HTTPStatus.BAD_REQUEST),
)
def list_all_commands(limit: Limit = DEFAULT_PAGE_SIZE, next_token: NextToken = None) -> PageView[CommandView]:
    page = get_services().commands.list_all(limit, next_token)
    return PageView[CommandView](items=[CommandView.of(command) for command in page.items], next_token=page.next_token)


@router.get(
    "/api/chargers/<charger_id>/commands",
    operation_id="listChargerCommands",
    summary="List a charger's commands",
    description="The commands sent (or to be sent) to the charger, newest first, with their outcomes. Paged.",
    tags=[Tag.COMMANDS],
    responses=responses(HTTPStatus.NOT_FOUND, HTTPStatus.BAD_REQUEST),
)
def list_commands(
    charger_id: str, limit: Limit = DEFAULT_PAGE_SIZE, next_token: NextToken = None
) -> PageView[CommandView]:
    try:
        page = get_services().commands.list_for_charge_point(charger_id, limit, next_token)
    except UnknownChargePointError as error:
        raise NotFoundError(f"No charge point {charger_id}") from error
    return PageView[CommandView](items=[CommandView.of(command) for command in page.items], next_token=page.next_token)
