"""The WebSocket API's management API (`apigatewaymanagementapi`) at `/@connections/{id}`.

POST sends a frame (PostToConnection), GET describes the connection (GetConnection), DELETE
closes it (DeleteConnection). A connection that is not open, or not yet (its `$connect` still
running), is 410 GoneException, as on AWS; errors are shaped so that botocore raises them.
"""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime
from typing import Any
from urllib.parse import unquote

from websockets.exceptions import ConnectionClosed

from csms.local.front_door import KB, HttpRequest, HttpResponse, json_response
from csms.local.websocket_api import WebSocketApi

log = logging.getLogger("local-runtime.management-api")

# `/@connections/{id}`, optionally after a stage segment (`{endpoint}/{stage}/@connections/...`).
_PATH = re.compile(r"(?:/[^/@]+)?/@connections/([^/]+)")


def _aws_error(status: int, error_type: str, message: str) -> HttpResponse:
    """An error as AWS REST-JSON services send it, so botocore raises `error_type`."""
    return json_response(status, {"message": message}, ("x-amzn-ErrorType", error_type))


def _iso(epoch_ms: int) -> str:
    stamp = datetime.fromtimestamp(epoch_ms / 1000, tz=UTC)
    return stamp.strftime("%Y-%m-%dT%H:%M:%S.") + f"{epoch_ms % 1000:03d}Z"


class ManagementApi:
    def __init__(self, websocket_api: WebSocketApi, max_post_size: int = 128 * KB) -> None:
        self._websocket_api = websocket_api
        self._max_post_size = max_post_size

    def serves(self, raw_path: str) -> bool:
        return _PATH.fullmatch(raw_path) is not None

    async def handle(self, request: HttpRequest) -> HttpResponse:
        return await self.answer(request.method, request.raw_path, request.body)

    async def call(self, method: str, raw_path: str, body: bytes) -> tuple[int, list[tuple[str, str]], bytes]:
        """The same, called in this process (`in_process_aws` hands the handlers' requests here)."""
        response = await self.answer(method, raw_path, body)
        return response.status, response.headers, response.body

    async def answer(self, method: str, raw_path: str, body: bytes) -> HttpResponse:
        match = _PATH.fullmatch(raw_path)
        if match is None:
            return _aws_error(404, "NotFoundException", f"No route {raw_path}")
        connection_id = unquote(match.group(1))
        connection = self._websocket_api.connection(connection_id)
        if connection is None or not connection.is_open:
            return _aws_error(410, "GoneException", f"Connection {connection_id} is gone")
        if method == "POST":
            if len(body) > self._max_post_size:
                return _aws_error(413, "PayloadTooLargeException", "Message too long")
            try:
                data: str | bytes = body.decode()
            except UnicodeDecodeError:
                data = body
            try:
                await self._websocket_api.send(connection, data)
            except ConnectionClosed:
                return _aws_error(410, "GoneException", f"Connection {connection_id} is gone")
            return HttpResponse(200)
        if method == "GET":
            info = connection.info
            # Wire names of GetConnection (boto3 shows them as ConnectedAt, Identity.SourceIp, ...).
            identity: dict[str, Any] = {"sourceIp": info.source_ip}
            if info.user_agent is not None:
                identity["userAgent"] = info.user_agent
            return json_response(
                200,
                {
                    "connectedAt": _iso(info.connected_at_ms),
                    "identity": identity,
                    "lastActiveAt": _iso(connection.last_active_ms),
                },
            )
        if method == "DELETE":
            log.info("%s %s: DeleteConnection", connection.charge_point_id, connection.id)
            self._websocket_api.delete(connection)
            return HttpResponse(204)
        return _aws_error(404, "NotFoundException", f"No method {method} on @connections")
