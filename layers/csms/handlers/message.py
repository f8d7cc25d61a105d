"""`$default`: every OCPP-J frame from a charge point."""

import base64
import binascii
from typing import Any

from csms.composition import get_services
from csms.domain.ports import ConnectionGoneError
from csms.handlers.websocket_events import WebSocketEvent, authorized_identity, connection_id
from csms.initialization import initialized_ahead_of_requests
from csms.observability import logger
from csms.ocpp.dispatcher import build_dispatcher
from csms.ocpp.registry import Session, registry
from csms.wire import ocpp_library

if initialized_ahead_of_requests():
    registry.load_every_version()
    ocpp_library.load()


def handle_message(event: dict[str, Any]) -> dict[str, Any]:
    connection = connection_id(event)
    session = _session(event, connection)
    if session is None or not get_services().charge_points.is_current(session.charge_point_id, connection):
        # Unknown, or replaced by a newer connection of its charge point before it could be closed.
        logger.warning("Frame on a connection that is not current: closing it", extra={"connection_id": connection})
        get_services().sender.close(connection)
        return {"statusCode": 410}
    logger.append_keys(charge_point_id=session.charge_point_id, connection_id=connection)
    raw = _frame(event)
    if raw is None:
        return {"statusCode": 200}
    logger.debug("Frame received", extra={"frame": raw})
    reply = build_dispatcher(get_services()).process(raw, session)
    if reply is not None:
        logger.debug("Frame sent", extra={"frame": reply})
        try:
            get_services().sender.send(connection, reply)
        except ConnectionGoneError:
            logger.info("Connection closed before the reply could be sent")
    return {"statusCode": 200}


def _frame(event: WebSocketEvent) -> str | bytes | None:
    """The frame's text; its bytes if it came base64-encoded (the wire decodes them as UTF-8, or refuses them)."""
    body = event.get("body") or ""
    if not event.get("isBase64Encoded"):
        return body
    try:
        return base64.b64decode(body, validate=True)
    except binascii.Error:
        logger.error("Body marked base64 is not: frame dropped")
        return None


def _session(event: WebSocketEvent, connection_id: str) -> Session | None:
    identity = authorized_identity(event)
    if identity is not None:
        return Session(identity[0], identity[1], connection_id)
    connection = get_services().charge_points.connection(connection_id)
    if connection is None:
        return None
    return Session(connection.charge_point_id, connection.ocpp_version, connection_id)
