"""The public side of `csms local` on one port: CloudFront and API Gateway as the stack deploys them.

The front door (`front_door`) takes every request; WebSocket upgrades pass the CloudFront
distribution (`cloudfront`) into the WebSocket API (`websocket_api`), whose management API
(`management_api`), the operator HTTP API (`http_api`), the FleetFiles bucket at `/s3/` (`s3_files`) and, at
every other path, the web console
(`console_files`) answer plain HTTP. The functions are
set on the APIs once loaded; until then they answer 503. With `--tls-port`, a second front door serves
the same over TLS with client certificates (`csms.local.tls`), started once the CA can issue its certificate.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from ssl import SSLContext

from csms import constants
from csms.local.cloudfront import OcppDistribution
from csms.local.console_files import DEFAULT_CONSOLE_DIR, ConsoleFiles
from csms.local.front_door import FrontDoor
from csms.local.http_api import HttpApi, HttpApiConfig
from csms.local.lambda_functions import Invoker
from csms.local.management_api import ManagementApi
from csms.local.s3_files import LocalS3Files, files_endpoint
from csms.local.websocket_api import WebSocketApi, WebSocketApiConfig

# At close, once the WebSocket API is closed: how long the clients have to close their sockets, and
# requests in flight to be answered, before their sockets are aborted.
_FRONT_DOOR_GRACE = 0.5


@dataclass(frozen=True)
class EndpointsConfig:
    distribution: OcppDistribution
    http_api: HttpApiConfig
    websocket_api: WebSocketApiConfig = field(default_factory=WebSocketApiConfig)
    host: str = "127.0.0.1"
    port: int = 0
    # Handler invocations run at the same time on at most this many threads: each API has its own
    # threads, as each Lambda function has its own concurrency, so that a backlog of charge point
    # messages never keeps the operator API (and its health check) waiting.
    websocket_handler_threads: int = 32
    http_handler_threads: int = 4
    # The web console's build (index.html and assets/).
    console_dir: Path = DEFAULT_CONSOLE_DIR


class Endpoints:
    """`start()`, set the functions, then `close()`."""

    def __init__(self, config: EndpointsConfig) -> None:
        self._invokers = (Invoker(config.websocket_handler_threads), Invoker(config.http_handler_threads))
        self.websocket_api = WebSocketApi(config.websocket_api, config.distribution, self._invokers[0])
        self.management_api = ManagementApi(self.websocket_api)
        self.http_api = HttpApi(config.http_api, self._invokers[1])
        self._config = config
        self.front_door = self._front_door(config.port)
        self.tls_front_door: FrontDoor | None = None

    def _front_door(self, port: int, tls: SSLContext | None = None) -> FrontDoor:
        return FrontDoor(
            self._config.host,
            port,
            self.websocket_api,
            [self.management_api, self.http_api, LocalS3Files(), ConsoleFiles(self._config.console_dir)],
            send_timeout=self._config.websocket_api.send_timeout,
            tls=tls,
        )

    async def start(self) -> None:
        await self.front_door.start()
        await self.websocket_api.start(self.front_door.address)

    async def start_tls(self, port: int, context: SSLContext) -> None:
        """Serve the same endpoints over TLS on `port` (0: any free port)."""
        self.tls_front_door = self._front_door(port, context)
        await self.tls_front_door.start()

    async def close(self, code: int = 1001) -> None:
        """Close every WebSocket with `code` (`$disconnect` runs for each), then stop listening; in
        bounded time, whatever the clients do (`WebSocketApi.close`, `FrontDoor.close`)."""
        self.http_api.close()
        front_doors = [door for door in (self.front_door, self.tls_front_door) if door is not None]
        for door in front_doors:
            door.stop_accepting()
        await self.websocket_api.close(code)
        for door in front_doors:
            await door.close(_FRONT_DOOR_GRACE)
        for invoker in self._invokers:
            invoker.shutdown()

    async def __aenter__(self) -> Endpoints:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    @property
    def port(self) -> int:
        return self.front_door.address.port

    @property
    def base_url(self) -> str:
        return self.front_door.address.base_url

    @property
    def ws_url(self) -> str:
        """Charge points connect to `{ws_url}/{chargePointId}`."""
        return f"ws://{self.front_door.address.authority}{constants.OCPP_PATH_PREFIX.rstrip('/')}"

    @property
    def tls_ws_url(self) -> str | None:
        """`wss://host:tls-port/ocpp` with `--tls-port`, else None."""
        if self.tls_front_door is None:
            return None
        return f"wss://{self.tls_front_door.address.authority}{constants.OCPP_PATH_PREFIX.rstrip('/')}"

    @property
    def api_url(self) -> str:
        return f"{self.base_url}/api"

    @property
    def files_endpoint(self) -> str:
        """The FleetFiles S3 endpoint (`FLEET_FILES_ENDPOINT`): plain HTTP, where local chargers reach it."""
        return files_endpoint(self.base_url)

    @property
    def management_endpoint(self) -> str:
        """The `WEBSOCKET_MANAGEMENT_ENDPOINT` of the handlers (boto3 `endpoint_url`)."""
        return self.base_url
