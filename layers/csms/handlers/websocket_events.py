"""Reading API Gateway WebSocket events (Powertools data classes do the parsing)."""

from aws_lambda_powertools.utilities.data_classes import APIGatewayWebSocketEvent

from csms import constants
from csms.wire.versions import OcppVersion


def header(event: APIGatewayWebSocketEvent, name: str) -> str | None:
    """A request header, case-insensitively (API Gateway keeps the client's casing)."""
    wanted = name.lower()
    for key, value in (event.headers or {}).items():
        if key.lower() == wanted:
            return str(value)
    return None


def authorized_credentials(event: APIGatewayWebSocketEvent) -> str | None:
    """Which password the authorizer admitted the connection with (`Admission.credentials`)."""
    context = event.request_context.get("authorizer") or {}
    credentials = context.get(constants.AUTHORIZER_CREDENTIALS)
    return str(credentials) if credentials is not None else None


def authorized_identity(event: APIGatewayWebSocketEvent) -> tuple[str, OcppVersion] | None:
    """(charge point id, version) the authorizer put in the connection's context, if present."""
    context = event.request_context.get("authorizer") or {}
    charge_point_id = context.get(constants.AUTHORIZER_CHARGE_POINT_ID)
    version = context.get(constants.AUTHORIZER_OCPP_VERSION)
    if not charge_point_id or version not in {v.value for v in OcppVersion}:
        return None
    return str(charge_point_id), OcppVersion(version)
