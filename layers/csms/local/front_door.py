"""The one TCP port of `csms local`, standing in for the public endpoints (CloudFront, execute-api).

An asyncio server reads each request head. WebSocket upgrades are spliced, byte for byte (plus
an `X-Forwarded-For` header), to the WebSocket API's `websockets` server on a private unix
socket; everything else is answered as plain HTTP/1.1 (one request per connection, then
`Connection: close`), because `websockets` refuses requests with a body. A plain request goes to
the first HTTP service that serves its path (the management API, the HTTP API), else 404.
"""

from __future__ import annotations

import asyncio
import contextlib
import http
import json
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, cast

# No "csms" in the name: the handlers' Powertools logger is named "csms" and filters every record
# whose logger name contains it out of the root handlers (SuppressFilter).
log = logging.getLogger("local-runtime.front-door")

KB = 1024
_HEAD_LIMIT = 64 * KB
_HEAD_TIMEOUT = 30.0
_PIPE_CHUNK = 64 * KB
_PIPE_DRAIN_GRACE = 5.0


@dataclass(frozen=True)
class Address:
    """Where the front door listens; `host` is one a local client can use."""

    host: str
    port: int

    @property
    def authority(self) -> str:
        return f"[{self.host}]:{self.port}" if ":" in self.host else f"{self.host}:{self.port}"

    @property
    def base_url(self) -> str:
        return f"http://{self.authority}"


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
    """`start()` binds (port 0: any free port), `close()` stops accepting and ends open requests."""

    def __init__(
        self,
        host: str,
        port: int,
        upgrades: UpgradeTarget,
        services: Sequence[HttpService],
        max_body_size: int = 10 * 1024 * KB,
    ) -> None:
        self._host = host
        self._port = port
        self._upgrades = upgrades
        self._services = services
        self._max_body_size = max_body_size
        self._server: asyncio.Server | None = None
        self._address: Address | None = None
        self._client_tasks: set[asyncio.Task[None]] = set()

    @property
    def address(self) -> Address:
        if self._address is None:
            raise RuntimeError("front door not started")
        return self._address

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._serve_client, self._host, self._port, limit=_HEAD_LIMIT)
        port = self._server.sockets[0].getsockname()[1]
        self._address = Address(_local_host(self._host), port)
        log.info("listening on %s", self._address.base_url)

    def stop_accepting(self) -> None:
        if self._server is not None:
            self._server.close()

    async def close(self) -> None:
        """Stop accepting, give open requests (spliced WebSockets included) a grace period, then end them."""
        self.stop_accepting()
        if self._client_tasks:
            _, pending = await asyncio.wait(self._client_tasks, timeout=_PIPE_DRAIN_GRACE)
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
        if self._server is not None:
            await self._server.wait_closed()

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
                await _write_response(writer, HttpResponse(431), head_only=False)
                return
            except (asyncio.IncompleteReadError, TimeoutError, ConnectionError):
                return
            try:
                method, target, version, headers = _parse_head(head)
            except ValueError:
                await _write_response(writer, HttpResponse(400), head_only=False)
                return
            if _is_websocket_upgrade(headers):
                await self._splice(method, target, version, headers, reader, writer, peer_ip)
            else:
                await self._serve_http(method, target, headers, reader, writer, peer_ip)
        except ConnectionError:
            pass
        except Exception:
            log.exception("request failed")
        finally:
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()
            if task is not None:
                self._client_tasks.discard(cast("asyncio.Task[None]", task))

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
            await _write_response(writer, HttpResponse(503), head_only=False)
            return
        forwarded = [(n, v) for n, v in headers if n.lower() != "x-forwarded-for"]
        forwarded.append(("X-Forwarded-For", peer_ip))
        head = f"{method} {target} {version}\r\n" + "".join(f"{n}: {v}\r\n" for n, v in forwarded) + "\r\n"
        upstream_writer.write(head.encode("latin-1"))
        pipes = [
            asyncio.ensure_future(_pipe(reader, upstream_writer)),
            asyncio.ensure_future(_pipe(upstream_reader, writer)),
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
            body = await self._read_body(headers, reader, writer)
            raw_path, _, raw_query = target.partition("?")
            request = HttpRequest(method, raw_path, raw_query, headers, body, peer_ip, self.address)
            response = await self._route(request)
        except _HttpError as error:
            response = json_response(error.status, {"message": str(error)})
        await _write_response(writer, response, head_only=method == "HEAD")

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
            await writer.drain()
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


def _local_host(host: str) -> str:
    """A host name a local client can use (the bind address unless it is a wildcard)."""
    if host in ("", "0.0.0.0"):  # noqa: S104 - mapping the wildcard, not binding to it
        return "127.0.0.1"
    if host == "::":
        return "::1"
    return host


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


async def _write_response(writer: asyncio.StreamWriter, response: HttpResponse, *, head_only: bool) -> None:
    lines = [f"HTTP/1.1 {response.status} {reason(response.status)}"]
    skip = {"content-length", "connection", "transfer-encoding"}
    lines.extend(f"{n}: {v}" for n, v in response.headers if n.lower() not in skip)
    if header(response.headers, "date") is None:
        lines.append(f"Date: {time.strftime('%a, %d %b %Y %H:%M:%S GMT', time.gmtime())}")
    lines.append(f"Content-Length: {len(response.body)}")
    lines.append("Connection: close")
    writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1", errors="replace"))
    if not head_only:
        writer.write(response.body)
    with contextlib.suppress(ConnectionError):
        await writer.drain()
