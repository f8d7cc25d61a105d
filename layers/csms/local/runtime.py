"""`csms local`: moto, the local endpoints and every function of the catalogue, in one process (and DynamoDB in one
of its own, `dynamodb_process`).

Order matters: moto starts and the endpoints bind their port first (the handlers' environment
names both), then the environment is set, and only then are the `functions.*` modules
imported (they read settings and build clients from the environment). Each function of
`csms.function_catalogue` is then attached to what triggers it: a route of the WebSocket API,
the HTTP API, the command steps queue (which moto's Step Functions fills), the tables' streams,
or a schedule. Until the functions are in, the APIs answer 503.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import gc
import logging
import os
import secrets
import signal
import sys
import threading
import time
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from csms import constants
from csms.composition import get_services
from csms.function_catalogue import (
    BILLING_RUN,
    CERTIFICATE_RENEWAL,
    COST_UPDATES,
    FUNCTIONS,
    SITE_TICK,
    HttpApi,
    LambdaFunction,
    Schedule,
    SqsQueue,
    TableStreams,
    Trigger,
    WebSocketAuthorizer,
    WebSocketRoute,
)
from csms.local import lambda_functions
from csms.local.aws_backend import AwsBackend, apply_environment, restore_environment
from csms.local.ca_key import ImportedCa
from csms.local.cloudfront import OcppDistribution
from csms.local.console_files import DEFAULT_CONSOLE_DIR
from csms.local.endpoints import Endpoints, EndpointsConfig
from csms.local.event_sources.dynamodb_streams import DRAIN_SECONDS, StreamPoller
from csms.local.event_sources.schedule import RateSchedule
from csms.local.event_sources.sqs_queue import QueuePoller
from csms.local.http_api import HttpApiConfig
from csms.local.lambda_functions import LocalFunction
from csms.local.tls import TlsOptions
from csms.local.websocket_api import WebSocketApiConfig
from csms.settings import get_settings

log = logging.getLogger("local-runtime")

_STOPPING_SWITCH_INTERVAL_SECONDS = 0.001
# Shutdown: closing the connections, then the streams' last deliveries, together within this (SIGTERM is
# done within 5 s); the streams get at most their usual drain, and at least half a second after a slow close.
_STOP_SECONDS = 3.5
_LEAST_DRAIN_SECONDS = 0.5
# ... and whatever happens, the process is gone this long after SIGTERM: a stop not done by then (a machine so
# loaded that the stop's own timers ran late) ends as SIGKILL would, which loses no answered write.
_EXIT_DEADLINE_SECONDS = 4.5


@dataclass(frozen=True)
class RuntimeOptions:
    host: str = "127.0.0.1"
    port: int = 9000
    api_token: str | None = None  # an administrator's; None: generated (secrets.token_urlsafe)
    # Tokens of an operator and of a viewer (`csms.users.roles`); None: no such token.
    operator_token: str | None = None
    viewer_token: str | None = None
    accept_unknown_charge_points: bool = False
    idle_timeout: float = 600.0
    max_connection_duration: float = 7200.0
    table_prefix: str = "csms-local"
    # Where the tables are kept across restarts (`data_directory`); None: in memory only.
    data_dir: Path | None = None
    # The billing schedule (the stack's billingRateMinutes); 0 or less: no scheduled runs.
    billing_interval_seconds: float = 60.0  # the stack's default is 15 minutes: sooner here, to see invoices
    # The CostUpdated schedule (the stack's costUpdateIntervalMinutes); 0 or less: none sent.
    cost_update_interval_seconds: float = 900.0
    # The site tick (the stack's siteTickMinutes); 0 or less: no ticks (rebalances still plan a minute ahead).
    site_tick_interval_seconds: float = 60.0
    # The certificate renewal run (the stack's certificateRenewalRateMinutes); 0 or less: none.
    certificate_renewal_interval_seconds: float = 3600.0
    # The web console's build served at `/` (None: the source checkout's console/dist).
    console_dir: Path | None = None
    # `wss://` with client certificates on a second port (security profile 3); None: none.
    tls: TlsOptions | None = None
    # An operator's CA (certificate and key) instead of the generated one; None: generated (kept in data_dir).
    imported_ca: ImportedCa | None = None
    # Extra environment for the handlers (e.g. POWERTOOLS_LOG_LEVEL), applied last.
    extra_env: Mapping[str, str] = field(default_factory=dict)

    def interval_seconds(self, schedule: Schedule) -> float:
        """How often a schedule fires here: the option standing in for its CDK context setting."""
        intervals = {
            BILLING_RUN.trigger.rate_setting: self.billing_interval_seconds,
            COST_UPDATES.trigger.rate_setting: self.cost_update_interval_seconds,
            CERTIFICATE_RENEWAL.trigger.rate_setting: self.certificate_renewal_interval_seconds,
            SITE_TICK.trigger.rate_setting: self.site_tick_interval_seconds,
        }
        return intervals[schedule.rate_setting]


class LocalRuntime:
    """The embedded runtime. `await start()`, use `.ws_url` / `.api_url` / `.token`, `await stop()`.

    Single use: a stopped runtime cannot be started again (make a new one).
    """

    def __init__(
        self,
        options: RuntimeOptions | None = None,
        *,
        load: Callable[[LambdaFunction[Trigger]], LocalFunction] = lambda_functions.load,
    ) -> None:
        self.options = options or RuntimeOptions()
        self.token = self.options.api_token or secrets.token_urlsafe(24)
        self.token_generated = self.options.api_token is None
        self.origin_verify_secret = secrets.token_urlsafe(32)
        self.backend = AwsBackend(
            table_prefix=self.options.table_prefix, data_dir=self.options.data_dir, imported_ca=self.options.imported_ca
        )
        self.endpoints = Endpoints(
            EndpointsConfig(
                distribution=OcppDistribution(self.origin_verify_secret),
                http_api=HttpApiConfig(
                    api_token=self.token,
                    operator_token=self.options.operator_token,
                    viewer_token=self.options.viewer_token,
                ),
                websocket_api=WebSocketApiConfig(
                    idle_timeout=self.options.idle_timeout,
                    max_connection_duration=self.options.max_connection_duration,
                ),
                host=self.options.host,
                port=self.options.port,
                console_dir=self.options.console_dir or DEFAULT_CONSOLE_DIR,
            )
        )
        self.environment: dict[str, str] = {}
        self._load = load
        self._queues: list[QueuePoller] = []
        self._streams: list[StreamPoller] = []
        # By function name (the catalogue's module name, "billing_run").
        self.schedules: dict[str, RateSchedule] = {}
        self._previous_env: dict[str, str | None] | None = None
        self._stopped = False

    # Addresses (valid after start)
    @property
    def base_url(self) -> str:
        return self.endpoints.base_url

    @property
    def ws_url(self) -> str:
        """`ws://host:port/ocpp`: a charge point connects to `f"{ws_url}/{charge_point_id}"`."""
        return self.endpoints.ws_url

    @property
    def tls_ws_url(self) -> str | None:
        """`wss://host:tls-port/ocpp` with TLS options, else None."""
        return self.endpoints.tls_ws_url

    @property
    def api_url(self) -> str:
        """`http://host:port/api` (send `Authorization: Bearer {token}`)."""
        return self.endpoints.api_url

    @property
    def management_endpoint(self) -> str:
        return self.endpoints.management_endpoint

    @property
    def port(self) -> int:
        return self.endpoints.port

    async def start(self) -> None:
        try:
            await asyncio.to_thread(self.backend.start)
            await self.endpoints.start()
            self.backend.route_management_api(
                self.endpoints.management_endpoint, self.endpoints.management_api.call, asyncio.get_running_loop()
            )
            self.backend.route_files(self.endpoints.files_endpoint)
            self.environment = self.backend.environment(
                management_endpoint=self.endpoints.management_endpoint,
                files_endpoint=self.endpoints.files_endpoint,
                public_api_url=self.endpoints.api_url,
                origin_verify_secret=self.origin_verify_secret,
                accept_unknown_charge_points=self.options.accept_unknown_charge_points,
            )
            if self.options.cost_update_interval_seconds > 0:
                interval = str(self.options.cost_update_interval_seconds)
                self.environment[constants.ENV_COST_UPDATE_INTERVAL_SECONDS] = interval
            if self.options.site_tick_interval_seconds > 0:
                tick = str(self.options.site_tick_interval_seconds)
                self.environment[constants.ENV_SITE_TICK_INTERVAL_SECONDS] = tick
            self.environment.update(self.options.extra_env)
            self._previous_env = apply_environment(self.environment)
            _clear_settings_cache()
            # Commands and campaigns whose workflows stopped with the last run, before anything else can move them.
            await asyncio.to_thread(get_services().recover_after_restart)
            if self.options.tls is not None:
                await self._start_tls(self.options.tls)
            await self._attach_functions()
            log.info("runtime started on %s", self.base_url)
        except BaseException:
            await self.stop()
            raise

    async def _start_tls(self, tls: TlsOptions) -> None:
        """The TLS port, its server certificate issued by the CA (in moto's KMS) unless one is given."""
        from csms.local.tls import server_context  # noqa: PLC0415 - imports cryptography and the CA

        context = await asyncio.to_thread(server_context, tls, self.options.host, get_services().certificates)
        await self.endpoints.start_tls(tls.port, context)

    async def _attach_functions(self) -> None:
        """Load every function of the catalogue and attach it to its trigger; the APIs last, so that
        nothing is served before everything runs."""
        api_functions: dict[Trigger, LocalFunction] = {}
        for function in FUNCTIONS:
            trigger = function.trigger
            if isinstance(trigger, Schedule) and self.options.interval_seconds(trigger) <= 0:
                continue  # that schedule is off here
            loaded = await asyncio.to_thread(self._load, function)
            match trigger:
                case WebSocketAuthorizer() | WebSocketRoute() | HttpApi():
                    api_functions[trigger] = loaded
                case SqsQueue(url_setting=url_setting):
                    queue = QueuePoller(self.backend.client("sqs"), self.environment[url_setting], loaded)
                    self._queues.append(queue)
                    queue.start()
                case TableStreams(batch_size=batch_size, retry_attempts=retry_attempts):
                    for table in self.backend.streamed_tables:
                        streams = self.backend.client("dynamodbstreams")
                        poller = StreamPoller(
                            streams,
                            table,
                            loaded,
                            batch_size=batch_size,
                            max_retries=retry_attempts,
                            written=self.backend.stream_written(table),
                        )
                        self._streams.append(poller)
                        poller.start()
                case Schedule():
                    self.schedules[loaded.name] = RateSchedule(loaded, self.options.interval_seconds(trigger))
                    self.schedules[loaded.name].start()
        self.endpoints.websocket_api.set_functions(
            {t: f for t, f in api_functions.items() if isinstance(t, WebSocketAuthorizer | WebSocketRoute)}
        )
        await self.endpoints.websocket_api.disconnect_lost(await asyncio.to_thread(self.backend.open_connections))
        self.endpoints.http_api.set_function(api_functions[HttpApi()])

    async def stop(self) -> None:
        """Close every WebSocket with 1001 (each gets its `$disconnect`), then stop moto."""
        if self._stopped:
            return
        self._stopped = True
        started = time.monotonic()
        # Every socket the event loop closes gives up the interpreter lock, and with other threads busy,
        # getting it back takes a switch interval: 1 ms while stopping, rather than Python's 5 (which the
        # runtime keeps while serving: switching five times as often costs a seventh of its throughput).
        switch_interval = sys.getswitchinterval()
        sys.setswitchinterval(_STOPPING_SWITCH_INTERVAL_SECONDS)
        try:
            await self._stop(started)
        finally:
            sys.setswitchinterval(switch_interval)

    async def _stop(self, started: float) -> None:
        # Nothing starts now that would compete with closing the connections; the streams deliver after it.
        for schedule in self.schedules.values():
            schedule.stop_firing()
        for stream in self._streams:
            stream.hold()
        await self.endpoints.close(1001)
        log.info("connections closed (%.1f s)", time.monotonic() - started)
        # At once, for what is left of the budget: each stream hands over what it still holds, and a
        # scheduled run in progress gets to end.
        drain_seconds = min(DRAIN_SECONDS, max(_LEAST_DRAIN_SECONDS, _STOP_SECONDS - (time.monotonic() - started)))
        stops: list[Callable[[], None]] = [
            *(queue.stop for queue in self._queues),
            *(functools.partial(stream.stop, drain_seconds) for stream in self._streams),
            *(functools.partial(schedule.stop, drain_seconds) for schedule in self.schedules.values()),
        ]
        await asyncio.gather(*(asyncio.to_thread(stop) for stop in stops))
        log.info("event sources stopped (%.1f s)", time.monotonic() - started)
        await asyncio.to_thread(self.backend.stop)
        if self._previous_env is not None:
            restore_environment(self._previous_env)
            self._previous_env = None
            _clear_settings_cache()
        log.info("runtime stopped (%.1f s)", time.monotonic() - started)

    def banner(self) -> str:
        token_notes = {self.token: "; generated"} if self.token_generated else {}
        return "\n".join(
            [
                "CSMS local runtime ready",
                f"  Web console:     {self.base_url}/  (sign in with the API token)",
                f"  OCPP WebSocket:  {self.ws_url}/{{chargePointId}}",
                *(
                    [
                        f"  OCPP over TLS:   {self.tls_ws_url}/{{chargePointId}}  (client certificates; "
                        "trust /api/pki/ca)"
                    ]
                    if self.tls_ws_url
                    else []
                ),
                f"  Operator API:    {self.api_url}  (Authorization: Bearer <token>; /api/health is open)",
                *(
                    f"  API token:       {token} ({role.value}{token_notes.get(token, '')})"
                    for token, role in self.endpoints.http_api.config.tokens()
                ),
                f"  Management API:  {self.management_endpoint}/@connections/{{connectionId}}",
                f"  Charger files:   {self.endpoints.files_endpoint}/{self.backend.fleet_files_bucket}/...  "
                "(moto S3: presigned log uploads, in memory only)",
                f"  AWS:             moto (DynamoDB in a process of its own); {self._state_note()}",
                f"  Commands:        {self.backend.command_state_machine_arn}",
                f"  Domain events:   EventBridge bus {self.backend.event_bus_name}",
                "Press Ctrl+C to stop.",
            ]
        )

    def _state_note(self) -> str:
        restored = self.backend.restored
        if self.options.data_dir is None:
            return "state in memory only (--ephemeral)"
        loaded = f" ({restored.items} items, {restored.writes} journaled writes loaded)" if restored else ""
        return f"state in {self.options.data_dir}{loaded}"


def _clear_settings_cache() -> None:
    """Forget settings and services cached from an earlier environment (another runtime)."""
    get_settings.cache_clear()
    services = sys.modules.get("csms.composition")  # imported by the handlers, once the environment is set
    if services is not None:
        services.get_services.cache_clear()


@contextlib.asynccontextmanager
async def running_runtime(
    port: int = 0,
    api_token: str | None = None,
    accept_unknown: bool = False,
    *,
    host: str = "127.0.0.1",
    **options: Any,
) -> AsyncIterator[LocalRuntime]:
    """Run the whole runtime in-process for a test: `async with running_runtime() as rt: ...`.

    Port 0 picks a free port; `rt.ws_url`, `rt.api_url`, `rt.token` (generated unless given).
    Other keyword options are those of `RuntimeOptions` (idle_timeout, extra_env, ...).
    """
    runtime = LocalRuntime(
        RuntimeOptions(
            host=host, port=port, api_token=api_token, accept_unknown_charge_points=accept_unknown, **options
        )
    )
    await runtime.start()
    try:
        yield runtime
    finally:
        await runtime.stop()


async def serve(options: RuntimeOptions, announce: Callable[[str], None] = print) -> None:
    """Run until SIGINT or SIGTERM, then shut down cleanly."""
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    installed: list[signal.Signals] = []
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(signum, stop.set)
            installed.append(signum)
    runtime = LocalRuntime(options)
    try:
        await runtime.start()
        # What start-up made (moto, botocore, the handlers' modules) lives as long as the process:
        # kept out of the collector's sight, a full collection takes milliseconds, not a second.
        gc.freeze()
        announce(runtime.banner())
        await stop.wait()
        announce("Shutting down...")
        _exit_at_the_latest(_EXIT_DEADLINE_SECONDS)
    finally:
        await runtime.stop()
        for signum in installed:
            loop.remove_signal_handler(signum)
        # The process exits next: a last garbage collection over moto's and botocore's objects
        # would only delay the exit by seconds, and the OS frees them all anyway.
        gc.freeze()


def _exit_at_the_latest(seconds: float) -> None:
    def exit_now() -> None:
        log.warning("the stop took more than %.1f s: exiting now (nothing answered is lost)", seconds)
        sys.stderr.flush()
        os._exit(1)

    deadline = threading.Timer(seconds, exit_now)
    deadline.daemon = True
    deadline.start()
