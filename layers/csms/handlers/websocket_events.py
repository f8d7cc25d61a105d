"""Reading API Gateway WebSocket events, as Lambda passes them (a dict of the event's JSON).

The handlers read a few fields, here; Powertools' event data classes would too, but importing one
imports every event type Powertools knows, about a tenth of `import boto3` on a cold start.
"""

from typing import Any

from csms import constants
from csms.wire.versions import OcppVersion

WebSocketEvent = dict[str, Any]


def connection_id(event: WebSocketEvent) -> str:
    return str(event["requestContext"]["connectionId"])


def header(event: WebSocketEvent, name: str) -> str | None:
    """A request header, case-insensitively (API Gateway keeps the client's casing)."""
    wanted = name.lower()
    for key, value in (event.get("headers") or {}).items():
        if key.lower() == wanted:
            return str(value)
    return None


def authorized_credentials(event: WebSocketEvent) -> str | None:
    """Which password the authorizer admitted the connection with (`Admission.credentials`)."""
    credentials = _authorizer_context(event).get(constants.AUTHORIZER_CREDENTIALS)
    return str(credentials) if credentials is not None else None


def authorized_identity(event: WebSocketEvent) -> tuple[str, OcppVersion] | None:
    """(charge point id, version) the authorizer put in the connection's context, if present."""
    context = _authorizer_context(event)
    charge_point_id = context.get(constants.AUTHORIZER_CHARGE_POINT_ID)
    version = context.get(constants.AUTHORIZER_OCPP_VERSION)
    if not charge_point_id or version not in {v.value for v in OcppVersion}:
        return None
    return str(charge_point_id), OcppVersion(version)


def _authorizer_context(event: WebSocketEvent) -> dict[str, Any]:
    return (event.get("requestContext") or {}).get("authorizer") or {}
