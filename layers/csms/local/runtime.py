"""`csms local`: moto + the local gateway + the real Lambda handlers, in one process.

Order matters: moto starts and the gateway binds its port first (the handlers' environment
names both), then the environment is set, and only then are the `functions.*` modules
imported (they read settings and build clients from the environment). Until the handlers
are in, the gateway answers 503. The command worker is fed by a local SQS event source
mapping (`QueuePoller`) on the command steps queue, which moto's Step Functions fills.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import logging
import secrets
import signal
import sys
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from csms import constants
from csms.local.aws_backend import AwsBackend, apply_environment, restore_environment
from csms.local.gateway import Gateway, GatewayConfig, Handler, Handlers
from csms.local.queue_poller import QueuePoller
from csms.local.scheduler import RateSchedule
from csms.local.stream_poller import StreamPoller
from csms.settings import get_settings

log = logging.getLogger("local-runtime")

HANDLER_MODULES: Mapping[str, str] = {
    "authorizer": "functions.ocpp_authorizer",
    "connect": "functions.ocpp_connect",
    "disconnect": "functions.ocpp_disconnect",
    "message": "functions.ocpp_message",
    "operator_api": "functions.operator_api",
}
COMMAND_WORKER_MODULE = "functions.command_worker"
DOMAIN_EVENTS_MODULE = "functions.domain_events"
# Functions the stack runs on an EventBridge Scheduler schedule, by name.
SCHEDULED_MODULES: Mapping[str, str] = {
    "billing_run": "functions.billing_run",
    "cost_updates": "functions.cost_updates",
}


def load_handlers() -> Handlers:
    """Import the Lambda handler modules (call only once the environment is set)."""
    loaded: dict[str, Handler] = {}
    for name, module_name in HANDLER_MODULES.items():
        module = importlib.import_module(module_name)
        loaded[name] = module.handler
    return Handlers(**loaded)


def load_command_worker() -> Handler:
    """Import the command worker's handler (call only once the environment is set)."""
    handler: Handler = importlib.import_module(COMMAND_WORKER_MODULE).handler
    return handler


def load_domain_events() -> Handler:
    """Import the domain events publisher's handler (call only once the environment is set)."""
    handler: Handler = importlib.import_module(DOMAIN_EVENTS_MODULE).handler
    return handler


def load_scheduled(name: str) -> Handler:
    """Import a scheduled function's handler (call only once the environment is set)."""
    handler: Handler = importlib.import_module(SCHEDULED_MODULES[name]).handler
    return handler


@dataclass(frozen=True)
class RuntimeOptions:
    host: str = "127.0.0.1"
    port: int = 9000
    api_token: str | None = None  # None: generated (secrets.token_urlsafe)
    accept_unknown_charge_points: bool = False
    idle_timeout: float = 600.0
    max_connection_duration: float = 7200.0
    table_prefix: str = "csms-local"
    # The billing schedule (the stack's billingRateMinutes); 0 or less: no scheduled runs.
    billing_interval_seconds: float = 900.0
    # The CostUpdated schedule (the stack's costUpdateIntervalMinutes); 0 or less: none sent.
    cost_update_interval_seconds: float = 900.0
    # Extra environment for the handlers (e.g. POWERTOOLS_LOG_LEVEL), applied last.
    extra_env: Mapping[str, str] = field(default_factory=dict)


class LocalRuntime:
    """The embedded runtime. `await start()`, use `.ws_url` / `.api_url` / `.token`, `await stop()`.

    Single use: a stopped runtime cannot be started again (make a new one).
    """

    def __init__(
        self,
        options: RuntimeOptions | None = None,
        *,
        handlers_loader: Callable[[], Handlers] = load_handlers,
        command_worker_loader: Callable[[], Handler] = load_command_worker,
        domain_events_loader: Callable[[], Handler] = load_domain_events,
        scheduled_loader: Callable[[str], Handler] = load_scheduled,
    ) -> None:
        self.options = options or RuntimeOptions()
        self.token = self.options.api_token or secrets.token_urlsafe(24)
        self.token_generated = self.options.api_token is None
        self.origin_verify_secret = secrets.token_urlsafe(32)
        self.backend = AwsBackend(table_prefix=self.options.table_prefix)
        self.gateway = Gateway(
            GatewayConfig(
                origin_verify_secret=self.origin_verify_secret,
                api_token=self.token,
                host=self.options.host,
                port=self.options.port,
                idle_timeout=self.options.idle_timeout,
                max_connection_duration=self.options.max_connection_duration,
            )
        )
        self.environment: dict[str, str] = {}
        self._handlers_loader = handlers_loader
        self._command_worker_loader = command_worker_loader
        self._domain_events_loader = domain_events_loader
        self._command_steps: QueuePoller | None = None
        self._streams: list[StreamPoller] = []
        self._scheduled_loader = scheduled_loader
        self.schedules: dict[str, RateSchedule] = {}
        self._previous_env: dict[str, str | None] | None = None
        self._started = False
        self._stopped = False

    # Addresses (valid after start)
    @property
    def base_url(self) -> str:
        return self.gateway.base_url

    @property
    def ws_url(self) -> str:
        """`ws://host:port/ocpp`: a charge point connects to `f"{ws_url}/{charge_point_id}"`."""
        return self.gateway.ws_url

    @property
    def api_url(self) -> str:
        """`http://host:port/api` (send `Authorization: Bearer {token}`)."""
        return self.gateway.api_url

    @property
    def management_endpoint(self) -> str:
        return self.gateway.management_endpoint

    @property
    def moto_url(self) -> str:
        return self.backend.url

    @property
    def port(self) -> int:
        return self.gateway.port

    async def start(self) -> None:
        try:
            await asyncio.to_thread(self.backend.start)
            await self.gateway.start()
            self.environment = self.backend.environment(
                management_endpoint=self.gateway.management_endpoint,
                origin_verify_secret=self.origin_verify_secret,
                accept_unknown_charge_points=self.options.accept_unknown_charge_points,
            )
            if self.options.cost_update_interval_seconds > 0:
                interval = str(self.options.cost_update_interval_seconds)
                self.environment[constants.ENV_COST_UPDATE_INTERVAL_SECONDS] = interval
            self.environment.update(self.options.extra_env)
            self._previous_env = apply_environment(self.environment)
            _clear_settings_cache()
            handlers = await asyncio.to_thread(self._handlers_loader)
            command_worker = await asyncio.to_thread(self._command_worker_loader)
            self._command_steps = QueuePoller(
                self.backend.client("sqs"), get_settings().command_steps_queue_url, command_worker, "command_worker"
            )
            self._command_steps.start()
            domain_events = await asyncio.to_thread(self._domain_events_loader)
            self._streams = [
                StreamPoller(self.backend.client("dynamodbstreams"), table, domain_events, "domain_events")
                for table in self.backend.streamed_tables
            ]
            for poller in self._streams:
                poller.start()
            intervals = {
                "billing_run": self.options.billing_interval_seconds,
                "cost_updates": self.options.cost_update_interval_seconds,
            }
            for name, interval_seconds in intervals.items():
                if interval_seconds > 0:
                    handler = await asyncio.to_thread(self._scheduled_loader, name)
                    self.schedules[name] = RateSchedule(handler, name, interval_seconds)
                    self.schedules[name].start()
            self.gateway.set_handlers(handlers)
            self._started = True
            log.info("runtime started on %s", self.base_url)
        except BaseException:
            await self.stop()
            raise

    async def stop(self) -> None:
        """Close every WebSocket with 1001 (each gets its `$disconnect`), then stop moto."""
        if self._stopped:
            return
        self._stopped = True
        self._started = False
        await self.gateway.close(1001)
        if self._command_steps is not None:
            await asyncio.to_thread(self._command_steps.stop)
        for poller in self._streams:
            await asyncio.to_thread(poller.stop)
        for schedule in self.schedules.values():
            await asyncio.to_thread(schedule.stop)
        await asyncio.to_thread(self.backend.stop)
        if self._previous_env is not None:
            restore_environment(self._previous_env)
            self._previous_env = None
            _clear_settings_cache()
        log.info("runtime stopped")

    async def reset_data(self) -> None:
        """Empty every table (moto reset + recreate), e.g. between tests sharing one runtime."""
        await asyncio.to_thread(self.backend.reset)

    def banner(self) -> str:
        token_note = " (generated)" if self.token_generated else ""
        return "\n".join(
            [
                "CSMS local runtime ready",
                f"  OCPP WebSocket:  {self.ws_url}/{{chargePointId}}",
                f"  Operator API:    {self.api_url}  (Authorization: Bearer <token>; /api/health is open)",
                f"  API token:       {self.token}{token_note}",
                f"  Management API:  {self.management_endpoint}/@connections/{{connectionId}}",
                f"  moto (AWS):      {self.moto_url}",
                f"  Commands:        {self.backend.command_state_machine_arn}",
                f"  Domain events:   EventBridge bus {self.backend.event_bus_name}",
                "Press Ctrl+C to stop.",
            ]
        )


def _clear_settings_cache() -> None:
    """Forget settings and services cached from an earlier environment (another runtime)."""
    get_settings.cache_clear()
    services = sys.modules.get("csms.services")  # imported by the handlers, once the environment is set
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

    Port 0 picks a free port; `rt.ws_url`, `rt.api_url`, `rt.token` (generated unless given),
    `rt.reset_data()`.
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
        announce(runtime.banner())
        await stop.wait()
        announce("Shutting down...")
    finally:
        await runtime.stop()
        for signum in installed:
            loop.remove_signal_handler(signum)
