"""The one TCP port of `csms local`, standing in for the public endpoints (CloudFront, execute-api).

An asyncio server reads each request head. WebSocket upgrades are spliced, byte for byte (plus
an `X-Forwarded-For` header), to the WebSocket API's `websockets` server on a private unix
socket; everything else is answered as plain HTTP/1.1 (one request per connection, then
`Connection: close`), because `websockets` refuses requests with a body. A plain request goes to
the first HTTP service that serves its path (the management API, the HTTP API), else 404.

No client can hold anything up: a client that takes no bytes for `send_timeout` seconds while its
write buffer is over the high-water mark is cut off (its socket aborted, and with a WebSocket the
private socket behind it, so that a pending PostToConnection fails with GoneException), and
`close()` aborts whatever has not finished within its grace period.

With a TLS context (`csms local --tls-port`, `csms.local.tls`) it serves the same over TLS and, as
CloudFront viewer mTLS does, passes the client certificate the handshake verified on with a
WebSocket upgrade (`csms.viewer_certificate`); either way a client's own copies of those headers
are dropped.
"""

from __future__ import annotations

import asyncio
import contextlib
import http
import json
import logging
import ssl
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, cast

from csms.viewer_certificate import HEADER_PREFIX as VIEWER_CERTIFICATE_HEADERS
from csms.viewer_certificate import viewer_certificate_headers

# No "csms" in the name: the handlers' Powertools logger is named "csms" and filters every record
# whose logger name contains it out of the root handlers (SuppressFilter).
log = logging.getLogger("local-runtime.front-door")

KB = 1024
_HEAD_LIMIT = 64 * KB
# A plain request's head and body must arrive within this.
_REQUEST_TIMEOUT = 30.0
_PIPE_CHUNK = 64 * KB
# Once one direction of a spliced WebSocket has ended, how long the other may take to follow.
_PIPE_DRAIN_GRACE = 5.0
# Connects the kernel queues until the loop accepts them (capped by net.core.somaxconn): enough for
# a thousand charge points connecting at once. The WebSocket API's private socket takes the same.
LISTEN_BACKLOG = 4096
# A client's write buffer above this means it is not keeping up (asyncio's default, made explicit).
WRITE_HIGH_WATER = 64 * KB


@dataclass(frozen=True)
class Address:
    """Where the front door listens; `host` is one a local client can use."""

    host: str
    port: int
    secure: bool = False  # TLS

    @property
    def authority(self) -> str:
        return f"[{self.host}]:{self.port}" if ":" in self.host else f"{self.host}:{self.port}"

    @property
    def base_url(self) -> str:
        return f"{'https' if self.secure else 'http'}://{self.authority}"


@dataclass(frozen=True)
class HttpRequest:
    method: str
    raw_path: str
    raw_query: str
    headers: list[tuple[str, str]]
    body: bytes
    peer_ip: str
    address: Address


@dataclass
class HttpResponse:
    status: int
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""


class HttpService(Protocol):
    def serves(self, raw_path: str) -> bool: ...

    async def handle(self, request: HttpRequest) -> HttpResponse: ...


class UpgradeTarget(Protocol):
    @property
    def socket_path(self) -> str:
        """The unix socket of the server that answers WebSocket upgrades."""


def json_response(status: int, payload: Any, *extra_headers: tuple[str, str]) -> HttpResponse:
    headers = [("Content-Type", "application/json"), *extra_headers]
    return HttpResponse(status, headers, json.dumps(payload).encode())


def reason(status: int) -> str:
    try:
        return http.HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"


def header(headers: Sequence[tuple[str, str]], name: str) -> str | None:
    lowered = name.lower()
    for key, value in headers:
        if key.lower() == lowered:
            return value
    return None


class _PeerStalledError(Exception):
    """The peer took no bytes for the send timeout while its write buffer was full; it was cut off."""


class _HttpError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


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


def _is_websocket_upgrade(headers: Sequence[tuple[str, str]]) -> bool:
    upgrade = header(headers, "upgrade") or ""
    return "websocket" in upgrade.lower()


class FrontDoor:
    """`start()` binds (port 0: any free port), `close()` stops accepting and ends open requests.

    `send_timeout`: how long a client (or the WebSocket API's socket) may take no bytes while its
    write buffer is over `WRITE_HIGH_WATER` before it is cut off.
    """

    def __init__(
        self,
        host: str,
        port: int,
        upgrades: UpgradeTarget,
        services: Sequence[HttpService],
        *,
        send_timeout: float,
        max_body_size: int = 10 * 1024 * KB,
        tls: ssl.SSLContext | None = None,
    ) -> None:
        self._tls = tls
        self._host = host
        self._port = port
        self._upgrades = upgrades
        self._services = services
        self._send_timeout = send_timeout
        self._max_body_size = max_body_size
        self._server: asyncio.Server | None = None
        self._address: Address | None = None
        self._client_tasks: set[asyncio.Task[None]] = set()
        # Every open stream, client or private socket: what `close()` aborts after its grace period.
        self._writers: set[asyncio.StreamWriter] = set()

    @property
    def address(self) -> Address:
        if self._address is None:
            raise RuntimeError("front door not started")
        return self._address

    async def start(self) -> None:
        self._server = await asyncio.start_server(
            self._serve_client, self._host, self._port, limit=_HEAD_LIMIT, backlog=LISTEN_BACKLOG, ssl=self._tls
        )
        port = self._server.sockets[0].getsockname()[1]
        self._address = Address(_local_host(self._host), port, secure=self._tls is not None)
        log.info("listening on %s", self._address.base_url)

    def stop_accepting(self) -> None:
        if self._server is not None:
            self._server.close()

    async def close(self, grace: float) -> None:
        """Stop accepting, give open requests (spliced WebSockets included) `grace` seconds, then
        abort their sockets."""
        self.stop_accepting()
        if self._client_tasks:
            _, pending = await asyncio.wait(self._client_tasks, timeout=grace)
            if pending:
                log.info("aborting %d connections still open after %.1f s", len(pending), grace)
                for writer in self._writers:
                    writer.transport.abort()
                # Without their sockets they end by themselves; cancelling would only log errors.
                _, pending = await asyncio.wait(pending, timeout=grace)
                for task in pending:
                    task.cancel()
                await asyncio.gather(*pending, return_exceptions=True)
        if self._server is not None:
            await self._server.wait_closed()

    async def _serve_client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._client_tasks.add(cast("asyncio.Task[None]", task))
        self._writers.add(writer)
        writer.transport.set_write_buffer_limits(high=WRITE_HIGH_WATER)
        peer = writer.get_extra_info("peername")
        peer_ip = str(peer[0]) if peer else "127.0.0.1"
        try:
            try:
                async with asyncio.timeout(_REQUEST_TIMEOUT):
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
        except (ConnectionError, _PeerStalledError):
            pass
        except Exception:
            log.exception("request failed")
        finally:
            await self._close_writer(writer)
            if task is not None:
                self._client_tasks.discard(cast("asyncio.Task[None]", task))

    async def _drain(self, writer: asyncio.StreamWriter) -> None:
        """`writer.drain()`, cutting the peer off if it takes nothing for the send timeout."""
        try:
            async with asyncio.timeout(self._send_timeout):
                await writer.drain()
        except TimeoutError:
            writer.transport.abort()
            raise _PeerStalledError from None

    async def _close_writer(self, writer: asyncio.StreamWriter) -> None:
        """Close, flushing what is buffered unless the peer takes nothing for the send timeout."""
        writer.close()
        try:
            async with asyncio.timeout(self._send_timeout):
                await writer.wait_closed()
        except TimeoutError:
            writer.transport.abort()
        except Exception:  # noqa: S110 - the connection is gone, which was the point
            pass
        self._writers.discard(writer)

    # ------------------------------------------------------------------ WebSocket upgrades

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
            upstream_reader, upstream_writer = await asyncio.open_unix_connection(self._upgrades.socket_path)
        except OSError:
            await self._write_response(writer, HttpResponse(503), head_only=False)
            return
        self._writers.add(upstream_writer)
        forwarded = [
            (n, v)
            for n, v in headers
            if n.lower() != "x-forwarded-for" and not n.lower().startswith(VIEWER_CERTIFICATE_HEADERS)
        ]
        forwarded.append(("X-Forwarded-For", peer_ip))
        if self._tls is not None:
            forwarded.extend(viewer_certificate_headers(_peer_certificate_pem(writer.get_extra_info("ssl_object"))))
        head = f"{method} {target} {version}\r\n" + "".join(f"{n}: {v}\r\n" for n, v in forwarded) + "\r\n"
        upstream_writer.write(head.encode("latin-1"))
        # Towards the client with the send timeout; towards the WebSocket API without: a charge
        # point that sends faster than its messages are handled is slowed down, not cut off.
        to_client = asyncio.ensure_future(self._pipe(upstream_reader, writer, self._drain))
        to_upstream = asyncio.ensure_future(self._pipe(reader, upstream_writer, asyncio.StreamWriter.drain))
        pipes = [to_client, to_upstream]
        try:
            await asyncio.wait(pipes, return_when=asyncio.FIRST_COMPLETED)
            await asyncio.wait(pipes, timeout=_PIPE_DRAIN_GRACE)
        finally:
            for pipe in pipes:
                pipe.cancel()
            to_client_outcome, _ = await asyncio.gather(*pipes, return_exceptions=True)
            if isinstance(to_client_outcome, _PeerStalledError):
                log.info("WebSocket client %s took no bytes for %.1f s: cut off", peer_ip, self._send_timeout)
                upstream_writer.transport.abort()  # the WebSocket API sees the connection gone (1006)
            await self._close_writer(upstream_writer)

    @staticmethod
    async def _pipe(
        source: asyncio.StreamReader,
        sink: asyncio.StreamWriter,
        drain: Callable[[asyncio.StreamWriter], Awaitable[None]],
    ) -> None:
        """Copy until end of stream, then pass it on (raises _PeerStalledError if `drain` cut the sink off)."""
        try:
            while data := await source.read(_PIPE_CHUNK):
                sink.write(data)
                await drain(sink)
        except (ConnectionError, OSError):
            pass
        finally:
            with contextlib.suppress(Exception):
                if sink.can_write_eof():
                    sink.write_eof()
                else:
                    sink.close()

    # ------------------------------------------------------------------------- plain HTTP

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
            try:
                async with asyncio.timeout(_REQUEST_TIMEOUT):
                    body = await self._read_body(headers, reader, writer)
            except TimeoutError as exc:
                raise _HttpError(408, "Request Timeout") from exc
            raw_path, _, raw_query = target.partition("?")
            request = HttpRequest(method, raw_path, raw_query, headers, body, peer_ip, self.address)
            response = await self._route(request)
        except _HttpError as error:
            response = json_response(error.status, {"message": str(error)})
        await self._write_response(writer, response, head_only=method == "HEAD")

    async def _write_response(self, writer: asyncio.StreamWriter, response: HttpResponse, *, head_only: bool) -> None:
        writer.write(_response_bytes(response, head_only=head_only))
        await self._drain(writer)

    async def _route(self, request: HttpRequest) -> HttpResponse:
        for service in self._services:
            if service.serves(request.raw_path):
                return await service.handle(request)
        return json_response(404, {"message": "Not Found"})

    async def _read_body(
        self, headers: list[tuple[str, str]], reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> bytes:
        limit = self._max_body_size
        if (header(headers, "expect") or "").lower() == "100-continue":
            writer.write(b"HTTP/1.1 100 Continue\r\n\r\n")
            await self._drain(writer)
        if "chunked" in (header(headers, "transfer-encoding") or "").lower():
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
        length_header = header(headers, "content-length")
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


def _peer_certificate_pem(ssl_object: ssl.SSLObject | None) -> str | None:
    """The leaf the TLS client presented and the handshake verified (PEM), if any."""
    der = ssl_object.getpeercert(binary_form=True) if ssl_object is not None else None
    return ssl.DER_cert_to_PEM_cert(der) if der else None


def _local_host(host: str) -> str:
    """A host name a local client can use (the bind address unless it is a wildcard)."""
    if host in ("", "0.0.0.0"):  # noqa: S104 - mapping the wildcard, not binding to it
        return "127.0.0.1"
    if host == "::":
        return "::1"
    return host


def _response_bytes(response: HttpResponse, *, head_only: bool) -> bytes:
    lines = [f"HTTP/1.1 {response.status} {reason(response.status)}"]
    skip = {"content-length", "connection", "transfer-encoding"}
    lines.extend(f"{n}: {v}" for n, v in response.headers if n.lower() not in skip)
    if header(response.headers, "date") is None:
        lines.append(f"Date: {time.strftime('%a, %d %b %Y %H:%M:%S GMT', time.gmtime())}")
    lines.append(f"Content-Length: {len(response.body)}")
    lines.append("Connection: close")
    head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1", errors="replace")
    return head if head_only else head + response.body
