"""/api/ocpp/{version}/actions: the actions the CSMS can send to a charger of an OCPP version, and the
official schema of each request (the console builds its command form from it)."""

from http import HTTPStatus
from typing import Any

from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.exceptions import NotFoundError
from pydantic import Field

from csms.api.api_model import ApiModel
from csms.api.errors import responses
from csms.api.models import ItemsView
from csms.api.openapi import Tag
from csms.commands.catalogue import CommandAction, command_actions, request_schema
from csms.wire.versions import OcppVersion

router = Router()


class CommandActionView(ApiModel):
    action: str = Field(description="The OCPP action, as `POST /api/chargers/{id}/commands` takes it")
    shortcut: str | None = Field(
        default=None,
        description="The version-independent command that sends it without an OCPP payload: "
        "`POST /api/chargers/{id}/{shortcut}`",
    )

    @classmethod
    def of(cls, entry: CommandAction) -> "CommandActionView":
        return cls(action=entry.action, shortcut=entry.shortcut)


def _version(version: str) -> OcppVersion:
    try:
        return OcppVersion(version)
    except ValueError as error:
        raise NotFoundError(f"No OCPP version {version}: use 1.6 or 2.0.1") from error


@router.get(
    "/api/ocpp/<version>/actions",
    operation_id="listCommandActions",
    summary="List the actions a charger of a version takes",
    description="Every action the CSMS can send to a charger of OCPP `version` (1.6 or 2.0.1), by name, with "
    "the shortcut that sends it, if any.",
    tags=[Tag.COMMANDS],
    responses=responses(HTTPStatus.NOT_FOUND),
)
def list_command_actions(version: str) -> ItemsView[CommandActionView]:
    return ItemsView[CommandActionView](items=[CommandActionView.of(a) for a in command_actions(_version(version))])


@router.get(
    "/api/ocpp/<version>/actions/<action>/schema",
    operation_id="getCommandSchema",
    summary="Get the schema of an action's request",
    description="The official JSON schema (draft 4 for 1.6, draft 6 for 2.0.1) of the action's CALL payload, as "
    "the `ocpp` library ships it: what `POST /api/chargers/{charger_id}/commands` validates `payload` against.",
    tags=[Tag.COMMANDS],
    responses=responses(HTTPStatus.NOT_FOUND),
)
def get_command_schema(version: str, action: str) -> dict[str, Any]:
    schema = request_schema(_version(version), action)
    if schema is None:
        raise NotFoundError(f"OCPP {version} has no action {action} the CSMS sends")
    return schema
