"""The WebSocket API as API Gateway runs it behind the CloudFront distribution.

  * the distribution's rewrite first (`OcppDistribution`): `/ocpp/{id}` only, else 404;
  * the REQUEST authorizer ("Unauthorized" -> 401, Deny -> 403), then `$connect` (non-2xx
    refuses; its `Sec-WebSocket-Protocol` header is the accepted subprotocol);
  * one `$default` invocation per text message, sequential per connection, with the authorizer
    context; binary -> close 1003; messages over 128 KB -> close 1009;
  * idle timeout and maximum connection duration; `$disconnect` exactly once;
  * a charge point whose socket takes no bytes for `send_timeout` is cut off (the front door aborts
    it): a PostToConnection waiting on it fails with GoneException, as on AWS.

A `websockets` server on a private unix socket does the WebSocket protocol; the front door
splices upgrade requests to it. Handlers run on the invoker's threads, so the loop keeps serving
while they call back into the management API.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import secrets
import shutil
import tempfile
import time
import weakref
from collections.abc import Awaitable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

from websockets.asyncio.server import Server, ServerConnection, unix_serve
from websockets.datastructures import Headers as WsHeaders
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response
from websockets.typing import Subprotocol

from csms.function_catalogue import WebSocketAuthorizer, WebSocketRoute
from csms.local import lambda_events
from csms.local.cloudfront import OcppDistribution
from csms.local.front_door import KB, LISTEN_BACKLOG, Address, header, reason
from csms.local.lambda_events import ApiInfo, ConnectionInfo
from csms.local.lambda_functions import InvocationDroppedError, Invoker, LocalFunction, Priority

log = logging.getLogger("local-runtime.websocket-api")

CONNECT, DEFAULT, DISCONNECT = WebSocketRoute("$connect"), WebSocketRoute("$default"), WebSocketRoute("$disconnect")
TRIGGERS = frozenset({WebSocketAuthorizer(), CONNECT, DEFAULT, DISCONNECT})
# Hop-by-hop headers of the upgrade request, which API Gateway does not pass on to the integrations.
_HOP_BY_HOP = frozenset({"connection", "upgrade"})


# Abandoning the connections' tasks at close: their `$disconnect` invocations get this long, then
# at most this many rounds of cancelling them.
_DISCONNECT_GRACE_SECONDS = 1.0
_ABANDON_ROUNDS = 5
_ABANDON_ROUND_SECONDS = 0.1


class _ClientLeftError(Exception):
    pass


async def _unless_client_left(websocket: ServerConnection, invocation: Awaitable[Any]) -> Any:
    """The invocation's result; if the client leaves first, the invocation is dropped (not run, if
    it still waits for a handler thread), so a burst of clients that gave up and retried does not
    cost a password check for every abandoned attempt."""
    task = asyncio.ensure_future(invocation)
    await asyncio.wait({task, websocket.connection_lost_waiter}, return_when=asyncio.FIRST_COMPLETED)
    if not task.done():
        task.cancel()
        raise _ClientLeftError
    return task.result()


@dataclass(frozen=True)
class WebSocketApiConfig:
    stage: str = "local"
    api_id: str = "localwsapi"
    idle_timeout: float = 600.0
    max_connection_duration: float = 7200.0
    max_message_size: int = 128 * KB
    # API Gateway's frame limit is 32 KB; None accepts any frame up to max_message_size.
    max_frame_size: int | None = None
    # How long API Gateway waits for an integration (and so for the authorizer and `$connect`).
    integration_timeout: float = 29.0
    # A charge point whose socket takes no bytes this long while frames wait for it is cut off.
    send_timeout: float = 3.0
    # A closing handshake not completed within this ends with an abort.
    close_timeout: float = 1.0
    # `close()`: how long the connections and their `$disconnect` invocations have in all; what
    # still runs then is abandoned (`$disconnect` is best effort on AWS too).
    shutdown_timeout: float = 1.5


@dataclass(eq=False)
class Connection:
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

    @property
    def is_open(self) -> bool:
        return not self.closing and self.websocket is not None

    def touch(self) -> None:
        self.last_active = time.monotonic()
        self.last_active_ms = lambda_events.now_ms()


async def _completes(future: asyncio.Future[None], timeout: float) -> bool:
    done, _ = await asyncio.wait([future], timeout=max(timeout, 0))
    return bool(done)


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


def _reject(status: int, text: str) -> Response:
    body = f"{text}\n".encode()
    headers = WsHeaders(
        [
            ("Connection", "close"),
            ("Content-Length", str(len(body))),
            ("Content-Type", "text/plain; charset=utf-8"),
        ]
    )
    return Response(status, reason(status), headers, body)


class WebSocketApi:
    """`start(address)`, then `set_functions()`, then `close()`. Until the functions are in, upgrades get 503."""

    def __init__(self, config: WebSocketApiConfig, distribution: OcppDistribution, invoker: Invoker) -> None:
        self.config = config
        self._distribution = distribution
        self._invoker = invoker
        self._functions: Mapping[WebSocketAuthorizer | WebSocketRoute, LocalFunction] = {}
        self._server: Server | None = None
        self._socket_dir: str | None = None
        self._address: Address | None = None
        self.socket_path = ""
        # Weak: a handshake that fails after $connect (client gone) leaves nothing behind.
        self._handshakes: weakref.WeakKeyDictionary[ServerConnection, Connection] = weakref.WeakKeyDictionary()
        self._connections: dict[str, Connection] = {}
        self._background: set[asyncio.Task[Any]] = set()
        self._closing = False
        self._abandoned_disconnects = 0

    @property
    def ready(self) -> bool:
        return bool(self._functions) and not self._closing

    def set_functions(self, functions: Mapping[WebSocketAuthorizer | WebSocketRoute, LocalFunction]) -> None:
        """The function of the authorizer and of each route (`$connect`, `$default`, `$disconnect`)."""
        if set(functions) != TRIGGERS:
            raise ValueError(f"one function for each of {sorted(map(str, TRIGGERS))}")
        self._functions = dict(functions)

    def connection_ids(self) -> list[str]:
        return list(self._connections)

    def connection(self, connection_id: str) -> Connection | None:
        return self._connections.get(connection_id)

    async def start(self, address: Address) -> None:
        """Serve on a private unix socket; `address` is where clients reach it (for the events)."""
        self._address = address
        self._socket_dir = tempfile.mkdtemp(prefix="csms-ws-")
        socket_path = str(Path(self._socket_dir) / "ws.sock")
        max_size: tuple[int | None, int | None] = (self.config.max_message_size, self.config.max_frame_size)
        self._server = await unix_serve(
            self._handle_connection,
            path=socket_path,
            process_request=self._process_request,
            select_subprotocol=self._select_subprotocol,
            max_size=max_size,
            compression=None,
            ping_interval=None,
            server_header=None,
            open_timeout=2 * self.config.integration_timeout + 5,
            close_timeout=self.config.close_timeout,
            backlog=LISTEN_BACKLOG,  # each connect to the front door is one here
        )
        self.socket_path = socket_path

    async def close(self, code: int) -> None:
        """Close every connection with `code` (`$disconnect` runs for each), in bounded time.

        A connection that has not completed the closing handshake within `close_timeout` (a client
        that does not read) is aborted; handshakes and `$disconnect` invocations still running
        `shutdown_timeout` after the start are abandoned.
        """
        deadline = time.monotonic() + self.config.shutdown_timeout
        self._closing = True
        # Messages still waiting for a thread go unanswered, as the connections close; `$disconnect`s not
        # started by the deadline are sent at the next start.
        self._invoker.wind_down(deadline)
        for connection in list(self._connections.values()):
            connection.closing = True
            connection.server_close = (code, "Going away")
        log.info("closing %d connections (%d)", len(self._connections), code)
        if self._server is not None:
            server = self._server
            server.close(close_connections=True, code=code)
            closed = asyncio.ensure_future(server.wait_closed())
            if not await _completes(closed, self.config.close_timeout):
                for connection in self._connections.values():
                    if connection.websocket is not None:
                        connection.websocket.transport.abort()
                if not await _completes(closed, deadline - time.monotonic()):
                    log.warning("abandoning %d handshakes and $disconnect invocations", len(server.handler_tasks))
                    # A task cancelled in its loop goes on to its `$disconnect` (a `finally`), which the
                    # invoker drops now, and ends within a grace; then whatever is left is cancelled
                    # again until none is. A `$disconnect` abandoned here is sent at the next start.
                    for task in list(server.handler_tasks):
                        task.cancel()
                    if not await _completes(closed, _DISCONNECT_GRACE_SECONDS):
                        for _ in range(_ABANDON_ROUNDS):
                            for task in list(server.handler_tasks):
                                task.cancel()
                            if await _completes(closed, _ABANDON_ROUND_SECONDS):
                                break
        if self._abandoned_disconnects:
            log.info("%d $disconnect invocations abandoned (sent at the next start)", self._abandoned_disconnects)
        if self._background:
            await asyncio.gather(*self._background, return_exceptions=True)
        if self._socket_dir:
            shutil.rmtree(self._socket_dir, ignore_errors=True)
            self._socket_dir = None

    async def send(self, connection: Connection, data: str | bytes) -> None:
        if connection.websocket is None:
            raise ConnectionClosed(None, None)
        await connection.websocket.send(data)
        connection.touch()
        if log.isEnabledFor(logging.DEBUG):
            log.debug("%s %s -> %s", connection.charge_point_id, connection.id, data)

    def delete(self, connection: Connection) -> None:
        """Close a connection from the server side (DeleteConnection); its `$disconnect` follows."""
        connection.closing = True
        connection.server_close = (1000, "Connection deleted (DeleteConnection)")
        if connection.websocket is not None:
            self._spawn(connection.websocket.close(1000))

    def _spawn(self, coroutine: Awaitable[Any]) -> None:
        task = asyncio.ensure_future(coroutine)
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    def _api(self) -> ApiInfo:
        if self._address is None:
            raise RuntimeError("WebSocket API not started")
        return ApiInfo(api_id=self.config.api_id, stage=self.config.stage, domain_name=self._address.authority)

    # ------------------------------------------------------------------- handshake

    def _event_headers(self, origin_headers: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
        """The upgrade request's headers as the authorizer and `$connect` see them."""
        assert self._address is not None
        headers = [(name, value) for name, value in origin_headers if name.lower() not in _HOP_BY_HOP]
        headers.append(("X-Forwarded-Port", str(self._address.port)))
        headers.append(("X-Forwarded-Proto", "http"))
        headers.append(("X-Amzn-Trace-Id", f"Root=1-{int(time.time()):08x}-{secrets.token_hex(12)}"))
        return headers

    async def _process_request(self, websocket: ServerConnection, request: Request) -> Response | None:
        if not self.ready:
            return _reject(503, "Service Unavailable")
        origin_request = self._distribution.origin_request(request.path, request.headers.raw_items())
        if origin_request is None:
            return _reject(404, "Not Found")
        charge_point_id = origin_request.raw_charge_point_id
        info = ConnectionInfo(
            connection_id=lambda_events.new_id(),
            source_ip=request.headers.get("X-Forwarded-For", "127.0.0.1"),
            user_agent=request.headers.get("User-Agent"),
            headers=self._event_headers(origin_request.headers),
            query=parse_qsl(request.path.partition("?")[2], keep_blank_values=True),
        )
        api = self._api()

        try:
            decision = await _unless_client_left(
                websocket,
                self._invoker.invoke(
                    self._functions[WebSocketAuthorizer()],
                    lambda_events.authorizer_event(api, info),
                    droppable=True,
                    priority=Priority.AUTHORIZE,
                ),
            )
        except _ClientLeftError:
            log.debug("%s %s: the client left before the authorizer ran", charge_point_id, info.connection_id)
            return _reject(400, "Bad Request")
        except InvocationDroppedError:
            return _reject(503, "Service Unavailable")  # dropped: the runtime is stopping
        except Exception as exc:
            if str(exc) == "Unauthorized":
                log.info("%s %s: authorizer said Unauthorized (401)", charge_point_id, info.connection_id)
                return _reject(401, "Unauthorized")
            log.exception("%s %s: authorizer failed (500)", charge_point_id, info.connection_id)
            return _reject(500, "Internal Server Error")
        status, authorizer = _authorizer_decision(decision)
        if status:
            log.info("%s %s: authorizer refused (%d)", charge_point_id, info.connection_id, status)
            return _reject(status, "Forbidden" if status == 403 else "Internal Server Error")

        try:
            response = await self._invoker.invoke(
                self._functions[CONNECT],
                lambda_events.connect_event(api, info, authorizer),
                droppable=True,
                priority=Priority.CONNECT,
            )
        except InvocationDroppedError:
            return _reject(503, "Service Unavailable")  # dropped: the runtime is stopping
        except Exception:
            log.exception("%s %s: $connect failed (500)", charge_point_id, info.connection_id)
            return _reject(500, "Internal Server Error")
        status = 200
        subprotocol: str | None = None
        if isinstance(response, Mapping):
            try:
                status = int(response.get("statusCode", 200))
            except (TypeError, ValueError):
                status = 500
            response_headers = response.get("headers") or {}
            if isinstance(response_headers, Mapping):
                subprotocol = header([(str(k), str(v)) for k, v in response_headers.items()], "Sec-WebSocket-Protocol")
        if not 200 <= status < 300:
            log.info("%s %s: $connect refused (%d)", charge_point_id, info.connection_id, status)
            return _reject(status, reason(status))

        self._handshakes[websocket] = Connection(
            info=info, charge_point_id=charge_point_id, authorizer=authorizer, subprotocol=subprotocol
        )
        return None

    def _select_subprotocol(self, websocket: ServerConnection, offered: Sequence[Subprotocol]) -> Subprotocol | None:
        """Exactly what `$connect` answered, as API Gateway does (even if the client did not offer it)."""
        connection = self._handshakes.get(websocket)
        if connection is None or not connection.subprotocol:
            return None
        return Subprotocol(connection.subprotocol)

    # ------------------------------------------------------------------- session

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
            code, close_reason = self._disconnect_status(connection, websocket)
            # At shutdown `close` says how many: a line per connection, written while the handlers' threads
            # want the interpreter lock too, would slow the closing down.
            level = logging.DEBUG if self._closing else logging.INFO
            log.log(level, "%s %s: disconnected (%d %s)", cp, cid, code, close_reason)
            await self._disconnect(connection.info, code, close_reason, connection.authorizer, f"{cp} {cid}")

    async def disconnect_lost(self, connection_ids: Iterable[str]) -> None:
        """`$disconnect` for connections an earlier run never closed (it was killed).

        API Gateway gives every connection its `$disconnect`; a runtime that starts on the state of
        one that was killed does it for that one's connections, so no charger stays marked connected.
        """
        for connection_id in connection_ids:
            info = ConnectionInfo(connection_id, source_ip="", user_agent=None, headers=())
            await self._disconnect(info, 1006, "Going away", None, f"{connection_id} (lost)")

    async def _disconnect(
        self, info: ConnectionInfo, code: int, reason: str, authorizer: Mapping[str, Any] | None, label: str
    ) -> None:
        """The connection's `$disconnect` invocation; a failure is logged, as API Gateway drops it."""
        event = lambda_events.disconnect_event(self._api(), info, code, reason, authorizer)
        try:
            await self._invoker.invoke(self._functions[DISCONNECT], event)
        except InvocationDroppedError:
            log.debug("%s: $disconnect abandoned at shutdown", label)
            self._abandoned_disconnects += 1
        except Exception:
            log.exception("%s: $disconnect failed", label)

    @staticmethod
    def _disconnect_status(connection: Connection, websocket: ServerConnection) -> tuple[int, str]:
        protocol = websocket.protocol
        if protocol.close_rcvd is not None and protocol.close_rcvd_then_sent:
            code = protocol.close_rcvd.code
            close_reason = protocol.close_rcvd.reason or "empty reason"
            return code, f"Client-side close frame status code '{code}' - {close_reason}"
        if protocol.close_sent is not None:
            if connection.server_close is not None:
                return connection.server_close
            return protocol.close_sent.code, protocol.close_sent.reason or "Server-side close"
        return 1006, "Connection closed abnormally"

    async def _dispatch_message(self, connection: Connection, body: str) -> None:
        event = lambda_events.message_event(self._api(), connection.info, body, connection.authorizer)
        try:
            await self._invoker.invoke(self._functions[DEFAULT], event, droppable=True)
        except InvocationDroppedError:
            log.debug("%s %s: message dropped at shutdown", connection.charge_point_id, connection.id)
        except Exception:
            log.exception("%s %s: $default failed", connection.charge_point_id, connection.id)
            # What API Gateway sends the client when the integration fails.
            error = {
                "message": "Internal server error",
                "connectionId": connection.id,
                "requestId": event["requestContext"]["requestId"],
            }
            with contextlib.suppress(ConnectionClosed):
                await self.send(connection, json.dumps(error))

    async def _watchdog(self, connection: Connection) -> None:
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
