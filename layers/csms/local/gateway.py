"""A local stand-in for CloudFront + API Gateway: the WebSocket API, its Management API and the
operator HTTP API, all on one port.

An asyncio "front door" reads each request head. WebSocket upgrades are spliced, byte for byte
(plus an `X-Forwarded-For` header), to an internal `websockets` server on a private unix
socket; everything else is answered as plain HTTP/1.1 (one request per connection, then
`Connection: close`), because `websockets` refuses requests with a body.

WebSocket side, as API Gateway (behind the CloudFront function) behaves:
  * `/ocpp/{id}` only (`csms.gateway_path.rewrite_ocpp_path`), else 404; the id header and the
    origin-verify secret are injected and client-forged copies removed, as CloudFront does;
  * the REQUEST authorizer runs first ("Unauthorized" -> 401, Deny -> 403), then `$connect`
    (non-2xx refuses; its `Sec-WebSocket-Protocol` header is the accepted subprotocol);
  * one `$default` invocation per text message, sequential per connection, with the
    authorizer context; binary -> close 1003; messages over 128 KB -> close 1009;
  * idle timeout and maximum connection duration; `$disconnect` exactly once.
HTTP side:
  * `/@connections/{id}`: POST (send), GET (info), DELETE (close); 410 GoneException if unknown;
  * `/api/...`: bearer token (constant time) except `GET /api/health`, then the operator
    handler with an HTTP API payload 2.0 event;
  * anything else 404.

Handlers are synchronous Lambda handlers, injected (`Handlers`) and run in worker threads, so
the loop keeps serving while they call back into the Management API.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import contextvars
import functools
import hmac
import http
import json
import logging
import re
import secrets
import shutil
import tempfile
import time
import weakref
from collections.abc import Awaitable, Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast
from urllib.parse import parse_qsl, unquote

from websockets.asyncio.server import Server, ServerConnection, unix_serve
from websockets.datastructures import Headers as WsHeaders
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response
from websockets.typing import Subprotocol

from csms import constants
from csms.gateway_path import AUTHORIZATION_COPY_HEADER, rewrite_ocpp_path
from csms.local import lambda_events
from csms.local.lambda_events import ApiInfo, ConnectionInfo

# No "csms" in the name: the handlers' Powertools logger is named "csms" and filters every record
# whose logger name contains it out of the root handlers (SuppressFilter).
log = logging.getLogger("local-runtime.gateway")

Handler = Callable[[dict[str, Any], Any], Any]
"""A synchronous Lambda handler: `handler(event, context)`."""

KB = 1024
HEALTH_PATH = "/api/health"
DEFAULT_OPERATOR_CLAIMS: Mapping[str, Any] = {
    "sub": "local-operator",
    "username": "local-operator",
    "cognito:username": "local-operator",
    "token_use": "access",
    "client_id": "csms-local",
    "iss": "csms-local",
}

_HEAD_LIMIT = 64 * KB
_HEAD_TIMEOUT = 30.0
_PIPE_CHUNK = 64 * KB
_PIPE_DRAIN_GRACE = 5.0
# `/@connections/{id}`, optionally after a stage segment (`{endpoint}/{stage}/@connections/...`).
_MANAGEMENT_PATH = re.compile(r"(?:/[^/@]+)?/@connections/([^/]+)")
# Stripped from the client's upgrade request before API Gateway sees it: hop-by-hop headers,
# and the headers only CloudFront (the edge function, the origin custom header) may set.
_HOP_BY_HOP = frozenset({"connection", "upgrade"})
_EDGE_ONLY = frozenset({constants.CHARGE_POINT_ID_HEADER, constants.ORIGIN_VERIFY_HEADER, AUTHORIZATION_COPY_HEADER})


@dataclass(frozen=True)
class Handlers:
    """The five Lambda handlers behind the two APIs."""

    authorizer: Handler
    connect: Handler
    disconnect: Handler
    message: Handler
    operator_api: Handler


@dataclass(frozen=True)
class GatewayConfig:
    origin_verify_secret: str
    api_token: str
    host: str = "127.0.0.1"
    port: int = 0
    stage: str = "local"
    websocket_api_id: str = "localwsapi"
    http_api_id: str = "localhttpapi"
    idle_timeout: float = 600.0
    max_connection_duration: float = 7200.0
    max_message_size: int = 128 * KB
    # API Gateway's frame limit is 32 KB; None accepts any frame up to max_message_size.
    max_frame_size: int | None = None
    max_post_size: int = 128 * KB
    max_http_body_size: int = 10 * 1024 * KB
    # CloudFront drops `Authorization` (it only reaches the origin as x-ocpp-authorization).
    forward_authorization: bool = False
    # What the Cognito JWT authorizer would put in requestContext.authorizer.jwt.claims.
    operator_claims: Mapping[str, Any] = field(default_factory=lambda: dict(DEFAULT_OPERATOR_CLAIMS))
    handler_timeout: float = 29.0
    handler_threads: int = 32


@dataclass(eq=False)
class _Connection:
    """A WebSocket connection as API Gateway tracks it."""

    info: ConnectionInfo
    charge_point_id: str
    authorizer: dict[str, Any]
    subprotocol: str | None
    websocket: ServerConnection | None = None
    opened: float = field(default_factory=time.monotonic)
    last_active: float = field(default_factory=time.monotonic)
    last_active_ms: int = field(default_factory=lambda_events.now_ms)
    closing: bool = False
    server_close: tuple[int, str] | None = None  # (code, $disconnect reason) when we close

    @property
    def id(self) -> str:
        return self.info.connection_id

    def touch(self) -> None:
        self.last_active = time.monotonic()
        self.last_active_ms = lambda_events.now_ms()


class _HttpError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class HttpResponse:
    status: int
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""


def _json_response(status: int, payload: Any, *extra_headers: tuple[str, str]) -> HttpResponse:
    headers = [("Content-Type", "application/json"), *extra_headers]
    return HttpResponse(status, headers, json.dumps(payload).encode())


def _aws_error(status: int, error_type: str, message: str) -> HttpResponse:
    """An error as AWS REST-JSON services send it, so botocore raises `error_type`."""
    return _json_response(status, {"message": message}, ("x-amzn-ErrorType", error_type))


def _iso(epoch_ms: int) -> str:
    stamp = datetime.fromtimestamp(epoch_ms / 1000, tz=UTC)
    return stamp.strftime("%Y-%m-%dT%H:%M:%S.") + f"{epoch_ms % 1000:03d}Z"


def _reason(status: int) -> str:
    try:
        return http.HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"


def _parse_head(head: bytes) -> tuple[str, str, str, list[tuple[str, str]]]:
    lines = head.decode("latin-1").split("\r\n")
    parts = lines[0].split(" ")
    if len(parts) != 3 or not parts[2].startswith("HTTP/1."):
        raise ValueError(f"bad request line {lines[0]!r}")
    method, target, version = parts
    headers: list[tuple[str, str]] = []
    for line in lines[1:]:
        if not line:
            continue
        name, sep, value = line.partition(":")
        if not sep or not name or name != name.strip():
            raise ValueError(f"bad header line {line!r}")
        headers.append((name, value.strip()))
    return method, target, version, headers


def _header(headers: Sequence[tuple[str, str]], name: str) -> str | None:
    lowered = name.lower()
    for key, value in headers:
        if key.lower() == lowered:
            return value
    return None


def _is_websocket_upgrade(headers: Sequence[tuple[str, str]]) -> bool:
    upgrade = _header(headers, "upgrade") or ""
    return "websocket" in upgrade.lower()


def _authorizer_decision(response: Any) -> tuple[int, dict[str, Any]]:
    """(0, context) if the policy allows `$connect`, else the HTTP status API Gateway answers."""
    if not isinstance(response, Mapping):
        return 500, {}
    policy = response.get("policyDocument")
    statements = policy.get("Statement") if isinstance(policy, Mapping) else None
    if isinstance(statements, Mapping):
        statements = [statements]
    if not isinstance(statements, list) or "principalId" not in response:
        return 500, {}
    effects = {str(s.get("Effect", "")).lower() for s in statements if isinstance(s, Mapping)}
    if "deny" in effects or "allow" not in effects:
        return 403, {}
    context = response.get("context") or {}
    if not isinstance(context, Mapping) or any(
        not isinstance(value, str | int | float | bool) and value is not None for value in context.values()
    ):
        # API Gateway only accepts primitive context values (AuthorizerConfigurationException).
        return 500, {}
    authorizer = dict(context)
    authorizer["principalId"] = response["principalId"]
    return 0, authorizer


class Gateway:
    """The local API Gateway. `start()`, then `set_handlers()` (or pass them in), then `close()`."""

    def __init__(self, config: GatewayConfig, handlers: Handlers | None = None) -> None:
        self.config = config
        self._handlers = handlers
        self._front: asyncio.Server | None = None
        self._ws_server: Server | None = None
        self._socket_dir: str | None = None
        self._socket_path = ""
        self._port: int | None = None
        self._executor = ThreadPoolExecutor(max_workers=config.handler_threads, thread_name_prefix="csms-local-handler")
        # Weak: a handshake that fails after $connect (client gone) leaves nothing behind.
        self._handshakes: weakref.WeakKeyDictionary[ServerConnection, _Connection] = weakref.WeakKeyDictionary()
        self._connections: dict[str, _Connection] = {}
        self._client_tasks: set[asyncio.Task[None]] = set()
        self._background: set[asyncio.Task[Any]] = set()
        self._shutting_down = False
        # One operator API request at a time, as in one Lambda instance: the Powertools resolver
        # keeps per-request state on its module-level app, so concurrent calls would mix.
        self._operator_api_lock = asyncio.Lock()

    # ------------------------------------------------------------------ lifecycle and addresses

    @property
    def ready(self) -> bool:
        return self._handlers is not None and not self._shutting_down

    def set_handlers(self, handlers: Handlers) -> None:
        """Inject the handlers; until then WebSocket upgrades and `/api` answer 503."""
        self._handlers = handlers

    @property
    def port(self) -> int:
        if self._port is None:
            raise RuntimeError("gateway not started")
        return self._port

    @property
    def local_host(self) -> str:
        """A host name a local client can use (the bind address unless it is a wildcard)."""
        host = self.config.host
        if host in ("", "0.0.0.0"):  # noqa: S104 - mapping the wildcard, not binding to it
            return "127.0.0.1"
        if host == "::":
            return "::1"
        return host

    @property
    def authority(self) -> str:
        host = self.local_host
        return f"[{host}]:{self.port}" if ":" in host else f"{host}:{self.port}"

    @property
    def base_url(self) -> str:
        return f"http://{self.authority}"

    @property
    def ws_url(self) -> str:
        """Charge points connect to `{ws_url}/{chargePointId}`."""
        return f"ws://{self.authority}{constants.OCPP_PATH_PREFIX.rstrip('/')}"

    @property
    def api_url(self) -> str:
        return f"{self.base_url}/api"

    @property
    def management_endpoint(self) -> str:
        """The `WEBSOCKET_MANAGEMENT_ENDPOINT` of the handlers (boto3 `endpoint_url`)."""
        return self.base_url

    def connection_ids(self) -> list[str]:
        return list(self._connections)

    def _ws_api(self) -> ApiInfo:
        return ApiInfo(api_id=self.config.websocket_api_id, stage=self.config.stage, domain_name=self.authority)

    def _http_api(self) -> ApiInfo:
        return ApiInfo(api_id=self.config.http_api_id, stage="$default", domain_name=self.authority)

    async def start(self) -> None:
        self._socket_dir = tempfile.mkdtemp(prefix="csms-gw-")
        socket_path = str(Path(self._socket_dir) / "ws.sock")
        max_size: tuple[int | None, int | None] = (self.config.max_message_size, self.config.max_frame_size)
        self._ws_server = await unix_serve(
            self._handle_connection,
            path=socket_path,
            process_request=self._process_request,
            select_subprotocol=self._select_subprotocol,
            max_size=max_size,
            compression=None,
            ping_interval=None,
            server_header=None,
            open_timeout=2 * self.config.handler_timeout + 5,
        )
        self._socket_path = socket_path
        self._front = await asyncio.start_server(
            self._serve_client, self.config.host, self.config.port, limit=_HEAD_LIMIT
        )
        self._port = self._front.sockets[0].getsockname()[1]
        log.info("gateway listening on %s", self.base_url)

    async def close(self, code: int = 1001) -> None:
        """Close every WebSocket (`$disconnect` runs for each), then stop listening."""
        self._shutting_down = True
        if self._front is not None:
            self._front.close()
        for connection in list(self._connections.values()):
            connection.closing = True
            connection.server_close = (code, "Going away")
        if self._ws_server is not None:
            self._ws_server.close(close_connections=True, code=code)
            await self._ws_server.wait_closed()
        tasks = [*self._client_tasks, *self._background]
        if tasks:
            _, pending = await asyncio.wait(tasks, timeout=_PIPE_DRAIN_GRACE)
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
        if self._front is not None:
            await self._front.wait_closed()
        self._executor.shutdown(wait=False, cancel_futures=True)
        if self._socket_dir:
            shutil.rmtree(self._socket_dir, ignore_errors=True)
            self._socket_dir = None

    async def __aenter__(self) -> Gateway:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    # ------------------------------------------------------------------------- invocations

    async def _invoke(self, name: str, event: dict[str, Any]) -> Any:
        if self._handlers is None:
            raise RuntimeError("handlers not set")
        handler: Handler = getattr(self._handlers, name)
        context = lambda_events.lambda_context(f"csms-local-{name}", self.config.handler_timeout)
        call = functools.partial(contextvars.copy_context().run, handler, event, context)
        return await asyncio.get_running_loop().run_in_executor(self._executor, call)

    def _spawn(self, coroutine: Awaitable[Any]) -> None:
        task = asyncio.ensure_future(coroutine)
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    # -------------------------------------------------------------------------- front door

    async def _serve_client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._client_tasks.add(cast("asyncio.Task[None]", task))
        peer = writer.get_extra_info("peername")
        peer_ip = str(peer[0]) if peer else "127.0.0.1"
        try:
            try:
                async with asyncio.timeout(_HEAD_TIMEOUT):
                    head = await reader.readuntil(b"\r\n\r\n")
            except asyncio.LimitOverrunError:
                await self._write_response(writer, HttpResponse(431), head_only=False)
                return
            except (asyncio.IncompleteReadError, TimeoutError, ConnectionError):
                return
            try:
                method, target, version, headers = _parse_head(head)
            except ValueError:
                await self._write_response(writer, HttpResponse(400), head_only=False)
                return
            if _is_websocket_upgrade(headers):
                await self._splice(method, target, version, headers, reader, writer, peer_ip)
            else:
                await self._serve_http(method, target, headers, reader, writer, peer_ip)
        except ConnectionError:
            pass
        except Exception:
            log.exception("gateway request failed")
        finally:
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()
            if task is not None:
                self._client_tasks.discard(cast("asyncio.Task[None]", task))

    async def _splice(
        self,
        method: str,
        target: str,
        version: str,
        headers: list[tuple[str, str]],
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        peer_ip: str,
    ) -> None:
        try:
            upstream_reader, upstream_writer = await asyncio.open_unix_connection(self._socket_path)
        except OSError:
            await self._write_response(writer, HttpResponse(503), head_only=False)
            return
        forwarded = [(n, v) for n, v in headers if n.lower() != "x-forwarded-for"]
        forwarded.append(("X-Forwarded-For", peer_ip))
        head = f"{method} {target} {version}\r\n" + "".join(f"{n}: {v}\r\n" for n, v in forwarded) + "\r\n"
        upstream_writer.write(head.encode("latin-1"))
        pipes = [
            asyncio.ensure_future(self._pipe(reader, upstream_writer)),
            asyncio.ensure_future(self._pipe(upstream_reader, writer)),
        ]
        try:
            _, pending = await asyncio.wait(pipes, return_when=asyncio.FIRST_COMPLETED)
            if pending:
                _, pending = await asyncio.wait(pending, timeout=_PIPE_DRAIN_GRACE)
        finally:
            for pipe in pipes:
                pipe.cancel()
            await asyncio.gather(*pipes, return_exceptions=True)
            upstream_writer.close()

    @staticmethod
    async def _pipe(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
        try:
            while data := await source.read(_PIPE_CHUNK):
                sink.write(data)
                await sink.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            with contextlib.suppress(Exception):
                if sink.can_write_eof():
                    sink.write_eof()
                else:
                    sink.close()

    # ------------------------------------------------------------------- WebSocket handshake

    def _event_headers(self, request: Request, charge_point_id: str) -> list[tuple[str, str]]:
        """The upgrade request's headers as the authorizer and `$connect` see them on AWS."""
        headers: list[tuple[str, str]] = []
        authorization: str | None = None
        for name, value in request.headers.raw_items():
            lowered = name.lower()
            if lowered == "authorization":
                authorization = value
                if not self.config.forward_authorization:
                    continue
            if lowered in _HOP_BY_HOP or lowered in _EDGE_ONLY:
                continue
            headers.append((name, value))
        headers.append((constants.CHARGE_POINT_ID_HEADER, charge_point_id))
        if authorization is not None:
            headers.append((AUTHORIZATION_COPY_HEADER, authorization))
        headers.append((constants.ORIGIN_VERIFY_HEADER, self.config.origin_verify_secret))
        headers.append(("X-Forwarded-Port", str(self.port)))
        headers.append(("X-Forwarded-Proto", "http"))
        headers.append(("X-Amzn-Trace-Id", f"Root=1-{int(time.time()):08x}-{secrets.token_hex(12)}"))
        return headers

    @staticmethod
    def _reject(status: int, text: str) -> Response:
        body = f"{text}\n".encode()
        headers = WsHeaders(
            [
                ("Connection", "close"),
                ("Content-Length", str(len(body))),
                ("Content-Type", "text/plain; charset=utf-8"),
            ]
        )
        return Response(status, _reason(status), headers, body)

    async def _process_request(self, websocket: ServerConnection, request: Request) -> Response | None:
        if not self.ready:
            return self._reject(503, "Service Unavailable")
        raw_path, _, raw_query = request.path.partition("?")
        charge_point_id = rewrite_ocpp_path(raw_path)
        if charge_point_id is None:
            return self._reject(404, "Not Found")
        info = ConnectionInfo(
            connection_id=lambda_events.new_id(),
            source_ip=request.headers.get("X-Forwarded-For", "127.0.0.1"),
            user_agent=request.headers.get("User-Agent"),
            headers=self._event_headers(request, charge_point_id),
            query=parse_qsl(raw_query, keep_blank_values=True),
        )
        api = self._ws_api()

        try:
            decision = await self._invoke("authorizer", lambda_events.authorizer_event(api, info))
        except Exception as exc:
            if str(exc) == "Unauthorized":
                log.info("%s %s: authorizer said Unauthorized (401)", charge_point_id, info.connection_id)
                return self._reject(401, "Unauthorized")
            log.exception("%s %s: authorizer failed (500)", charge_point_id, info.connection_id)
            return self._reject(500, "Internal Server Error")
        status, authorizer = _authorizer_decision(decision)
        if status:
            log.info("%s %s: authorizer refused (%d)", charge_point_id, info.connection_id, status)
            return self._reject(status, "Forbidden" if status == 403 else "Internal Server Error")

        try:
            response = await self._invoke("connect", lambda_events.connect_event(api, info, authorizer))
        except Exception:
            log.exception("%s %s: $connect failed (500)", charge_point_id, info.connection_id)
            return self._reject(500, "Internal Server Error")
        status = 200
        subprotocol: str | None = None
        if isinstance(response, Mapping):
            try:
                status = int(response.get("statusCode", 200))
            except (TypeError, ValueError):
                status = 500
            response_headers = response.get("headers") or {}
            if isinstance(response_headers, Mapping):
                subprotocol = _header([(str(k), str(v)) for k, v in response_headers.items()], "Sec-WebSocket-Protocol")
        if not 200 <= status < 300:
            log.info("%s %s: $connect refused (%d)", charge_point_id, info.connection_id, status)
            return self._reject(status, _reason(status))

        self._handshakes[websocket] = _Connection(
            info=info, charge_point_id=charge_point_id, authorizer=authorizer, subprotocol=subprotocol
        )
        return None

    def _select_subprotocol(self, websocket: ServerConnection, offered: Sequence[Subprotocol]) -> Subprotocol | None:
        """Exactly what `$connect` answered, as API Gateway does (even if the client did not offer it)."""
        connection = self._handshakes.get(websocket)
        if connection is None or not connection.subprotocol:
            return None
        return Subprotocol(connection.subprotocol)

    # -------------------------------------------------------------------- WebSocket session

    async def _handle_connection(self, websocket: ServerConnection) -> None:
        connection = self._handshakes.pop(websocket, None)
        if connection is None:  # cannot happen: process_request registered it
            await websocket.close(1011)
            return
        connection.websocket = websocket
        connection.touch()
        self._connections[connection.id] = connection
        cp, cid = connection.charge_point_id, connection.id
        log.info("%s %s: connected (subprotocol %s)", cp, cid, connection.subprotocol)
        watchdog = asyncio.ensure_future(self._watchdog(connection))
        try:
            async for message in websocket:
                if isinstance(message, bytes):
                    log.info("%s %s: binary frame refused (1003)", cp, cid)
                    connection.closing = True
                    connection.server_close = (1003, "Binary frames are not supported")
                    await websocket.close(1003, "Binary frames are not supported")
                    break
                connection.touch()
                log.debug("%s %s <- %s", cp, cid, message)
                await self._dispatch_message(connection, message)
        except ConnectionClosed:
            pass
        finally:
            watchdog.cancel()
            connection.closing = True
            if self._connections.get(connection.id) is connection:
                del self._connections[connection.id]
            code, reason = self._disconnect_status(connection, websocket)
            log.info("%s %s: disconnected (%d %s)", cp, cid, code, reason)
            event = lambda_events.disconnect_event(self._ws_api(), connection.info, code, reason, connection.authorizer)
            try:
                await self._invoke("disconnect", event)
            except Exception:
                log.exception("%s %s: $disconnect failed", cp, cid)

    @staticmethod
    def _disconnect_status(connection: _Connection, websocket: ServerConnection) -> tuple[int, str]:
        protocol = websocket.protocol
        if protocol.close_rcvd is not None and protocol.close_rcvd_then_sent:
            code = protocol.close_rcvd.code
            reason = protocol.close_rcvd.reason or "empty reason"
            return code, f"Client-side close frame status code '{code}' - {reason}"
        if protocol.close_sent is not None:
            if connection.server_close is not None:
                return connection.server_close
            return protocol.close_sent.code, protocol.close_sent.reason or "Server-side close"
        return 1006, "Connection closed abnormally"

    async def _dispatch_message(self, connection: _Connection, body: str) -> None:
        event = lambda_events.message_event(self._ws_api(), connection.info, body, connection.authorizer)
        try:
            await self._invoke("message", event)
        except Exception:
            log.exception("%s %s: $default failed", connection.charge_point_id, connection.id)
            # What API Gateway sends the client when the integration fails.
            error = {
                "message": "Internal server error",
                "connectionId": connection.id,
                "requestId": event["requestContext"]["requestId"],
            }
            with contextlib.suppress(ConnectionClosed):
                await self._send(connection, json.dumps(error))

    async def _send(self, connection: _Connection, data: str | bytes) -> None:
        if connection.websocket is None:
            raise ConnectionClosed(None, None)
        await connection.websocket.send(data)
        connection.touch()
        if log.isEnabledFor(logging.DEBUG):
            log.debug("%s %s -> %s", connection.charge_point_id, connection.id, data)

    async def _watchdog(self, connection: _Connection) -> None:
        """API Gateway's idle timeout and maximum connection duration."""
        while True:
            now = time.monotonic()
            idle_deadline = connection.last_active + self.config.idle_timeout
            max_deadline = connection.opened + self.config.max_connection_duration
            if now >= max_deadline or now >= idle_deadline:
                what = "maximum connection duration" if now >= max_deadline else "idle timeout"
                log.info("%s %s: %s, closing", connection.charge_point_id, connection.id, what)
                connection.closing = True
                connection.server_close = (1001, f"Going away ({what})")
                if connection.websocket is not None:
                    await connection.websocket.close(1001, "Going away")
                return
            await asyncio.sleep(min(idle_deadline, max_deadline) - now)

    # -------------------------------------------------------------------------- plain HTTP

    async def _serve_http(
        self,
        method: str,
        target: str,
        headers: list[tuple[str, str]],
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        peer_ip: str,
    ) -> None:
        try:
            body = await self._read_body(headers, reader, writer)
            raw_path, _, raw_query = target.partition("?")
            response = await self._route(method, raw_path, raw_query, headers, body, peer_ip)
        except _HttpError as error:
            response = _json_response(error.status, {"message": str(error)})
        await self._write_response(writer, response, head_only=method == "HEAD")

    async def _read_body(
        self, headers: list[tuple[str, str]], reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> bytes:
        limit = self.config.max_http_body_size
        if (_header(headers, "expect") or "").lower() == "100-continue":
            writer.write(b"HTTP/1.1 100 Continue\r\n\r\n")
            await writer.drain()
        if "chunked" in (_header(headers, "transfer-encoding") or "").lower():
            chunks: list[bytes] = []
            size = 0
            while True:
                line = await reader.readuntil(b"\r\n")
                try:
                    length = int(line.split(b";", 1)[0].strip(), 16)
                except ValueError as exc:
                    raise _HttpError(400, "Bad chunked encoding") from exc
                if length == 0:
                    while (await reader.readuntil(b"\r\n")) != b"\r\n":  # trailers
                        pass
                    return b"".join(chunks)
                size += length
                if size > limit:
                    raise _HttpError(413, "Request Entity Too Large")
                chunks.append(await reader.readexactly(length))
                await reader.readexactly(2)
        length_header = _header(headers, "content-length")
        if not length_header:
            return b""
        try:
            length = int(length_header)
        except ValueError as exc:
            raise _HttpError(400, "Bad Content-Length") from exc
        if length < 0:
            raise _HttpError(400, "Bad Content-Length")
        if length > limit:
            raise _HttpError(413, "Request Entity Too Large")
        return await reader.readexactly(length)

    @staticmethod
    async def _write_response(writer: asyncio.StreamWriter, response: HttpResponse, *, head_only: bool) -> None:
        lines = [f"HTTP/1.1 {response.status} {_reason(response.status)}"]
        skip = {"content-length", "connection", "transfer-encoding"}
        lines.extend(f"{n}: {v}" for n, v in response.headers if n.lower() not in skip)
        if _header(response.headers, "date") is None:
            lines.append(f"Date: {time.strftime('%a, %d %b %Y %H:%M:%S GMT', time.gmtime())}")
        lines.append(f"Content-Length: {len(response.body)}")
        lines.append("Connection: close")
        writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1", errors="replace"))
        if not head_only:
            writer.write(response.body)
        with contextlib.suppress(ConnectionError):
            await writer.drain()

    async def _route(
        self,
        method: str,
        raw_path: str,
        raw_query: str,
        headers: list[tuple[str, str]],
        body: bytes,
        peer_ip: str,
    ) -> HttpResponse:
        match = _MANAGEMENT_PATH.fullmatch(raw_path)
        if match:
            return await self._management(method, unquote(match.group(1)), body)
        if raw_path == "/api" or raw_path.startswith("/api/"):
            return await self._operator_api(method, raw_path, raw_query, headers, body, peer_ip)
        return _json_response(404, {"message": "Not Found"})

    # ---------------------------------------------------------------- API Gateway Management API

    async def _management(self, method: str, connection_id: str, body: bytes) -> HttpResponse:
        connection = self._connections.get(connection_id)
        if connection is None or connection.closing or connection.websocket is None:
            return _aws_error(410, "GoneException", f"Connection {connection_id} is gone")
        if method == "POST":
            if len(body) > self.config.max_post_size:
                return _aws_error(413, "PayloadTooLargeException", "Message too long")
            try:
                data: str | bytes = body.decode()
            except UnicodeDecodeError:
                data = body
            try:
                await self._send(connection, data)
            except ConnectionClosed:
                return _aws_error(410, "GoneException", f"Connection {connection_id} is gone")
            return HttpResponse(200)
        if method == "GET":
            info = connection.info
            # Wire names of GetConnection (boto3 shows them as ConnectedAt, Identity.SourceIp, ...).
            identity: dict[str, Any] = {"sourceIp": info.source_ip}
            if info.user_agent is not None:
                identity["userAgent"] = info.user_agent
            return _json_response(
                200,
                {
                    "connectedAt": _iso(info.connected_at_ms),
                    "identity": identity,
                    "lastActiveAt": _iso(connection.last_active_ms),
                },
            )
        if method == "DELETE":
            log.info("%s %s: DeleteConnection", connection.charge_point_id, connection.id)
            connection.closing = True
            connection.server_close = (1000, "Connection deleted (DeleteConnection)")
            self._spawn(connection.websocket.close(1000))
            return HttpResponse(204)
        return _aws_error(404, "NotFoundException", f"No method {method} on @connections")

    # ------------------------------------------------------------------------- operator API

    def _token_ok(self, headers: Sequence[tuple[str, str]]) -> bool:
        scheme, _, token = (_header(headers, "authorization") or "").strip().partition(" ")
        return scheme.lower() == "bearer" and hmac.compare_digest(
            token.strip().encode(), self.config.api_token.encode()
        )

    async def _operator_api(
        self,
        method: str,
        raw_path: str,
        raw_query: str,
        headers: list[tuple[str, str]],
        body: bytes,
        peer_ip: str,
    ) -> HttpResponse:
        if not self.ready:
            return _json_response(503, {"message": "Service Unavailable"})
        public = raw_path == HEALTH_PATH and method in ("GET", "HEAD")
        if not public and not self._token_ok(headers):
            return _json_response(401, {"message": "Unauthorized"}, ("www-authenticate", "Bearer"))
        request_headers = [(n, v) for n, v in headers if n.lower() != "x-forwarded-for"]
        request_headers += [
            ("x-forwarded-for", peer_ip),
            ("x-forwarded-port", str(self.port)),
            ("x-forwarded-proto", "http"),
        ]
        event = lambda_events.http_api_event(
            self._http_api(),
            method=method,
            raw_path=raw_path,
            raw_query=raw_query,
            query=parse_qsl(raw_query, keep_blank_values=True),
            headers=request_headers,
            body=body,
            source_ip=peer_ip,
            jwt_claims=None if public else self.config.operator_claims,
        )
        try:
            async with self._operator_api_lock:
                result = await self._invoke("operator_api", event)
        except Exception:
            log.exception("operator API handler failed")
            return _json_response(500, {"message": "Internal Server Error"})
        return _http_api_response(result)


def _http_api_response(result: Any) -> HttpResponse:
    """Map a payload format 2.0 Lambda response to HTTP, as HTTP APIs do."""
    if not isinstance(result, Mapping) or "statusCode" not in result:
        # Format 2.0 infers a 200 JSON response from anything else.
        body = result if isinstance(result, str) else json.dumps(result)
        return HttpResponse(200, [("Content-Type", "application/json")], body.encode())
    try:
        status = int(result["statusCode"])
    except (TypeError, ValueError):
        return _json_response(500, {"message": "Internal Server Error"})
    headers: list[tuple[str, str]] = []
    for name, value in (result.get("headers") or {}).items():
        headers.append((str(name), str(value)))
    for name, values in (result.get("multiValueHeaders") or {}).items():
        headers.extend((str(name), str(value)) for value in values)
    headers.extend(("Set-Cookie", str(cookie)) for cookie in result.get("cookies") or ())
    raw_body = result.get("body")
    if raw_body is None:
        payload = b""
    elif result.get("isBase64Encoded"):
        payload = base64.b64decode(raw_body)
    else:
        payload = str(raw_body).encode()
    return HttpResponse(status, headers, payload)
