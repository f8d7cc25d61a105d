"""What every simulated charger does, whatever its OCPP version: boot, heartbeat, run sessions on
its connectors, measure each call's round trip, and answer the calls it has no behaviour for with
a schema-valid default. The version modules say how each step is spelt in their OCPP."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import random
import time
import urllib.request
from collections.abc import Callable, Coroutine, Sequence
from datetime import UTC, datetime
from typing import Any

from ocpp.charge_point import ChargePoint, camel_to_snake_case
from ocpp.exceptions import OCPPError
from websockets.exceptions import ConnectionClosed

from csms.simulator.default_answers import default_answer
from csms.simulator.options import SimulationOptions
from csms.simulator.state import ChargerState, Connector, Session
from csms.simulator.statistics import Statistics
from csms.timeutil import format_timestamp

LOGGER = logging.getLogger(__name__)
QUIET_OCPP_LOGGER = logging.getLogger("csms.simulator.ocpp")
QUIET_OCPP_LOGGER.setLevel(logging.WARNING)


def timestamp() -> str:
    return format_timestamp(datetime.now(UTC))


def download(location: str) -> bytes:
    """GET, following redirects (a short file link answers 307 to the store)."""
    with urllib.request.urlopen(location, timeout=30) as response:  # noqa: S310 - the URL the CSMS gave
        return bytes(response.read())


def image_version(image: bytes) -> str:
    """The version a simulated charger runs once it installed `image`: the image's text when it is a short one (a
    test image holding its version), else a digest of its bytes."""
    text = image.decode(errors="replace").strip()
    return (
        text
        if text.isprintable() and 0 < len(text) <= 50
        else f"sim-{hashlib.md5(image, usedforsecurity=False).hexdigest()[:8]}"
    )


class ConnectionLost(Exception):
    """The CSMS closed the connection while the charger did not expect it."""


class SimulatedCharger(ChargePoint):
    version: str

    def __init__(
        self,
        connection: Any,
        state: ChargerState,
        options: SimulationOptions,
        statistics: Statistics,
        id_tokens: Sequence[str],
        rng: random.Random,
    ) -> None:
        super().__init__(state.charger_id, connection, response_timeout=30, logger=QUIET_OCPP_LOGGER)
        self.state = state
        self.options = options
        self.statistics = statistics
        self.id_tokens = id_tokens
        self.rng = rng
        self.reset_requested = asyncio.Event()
        self._background: set[asyncio.Task[object]] = set()

    # --- the version modules implement these -------------------------------------------------

    async def boot(self) -> float | None:
        """BootNotification; the heartbeat interval when accepted."""
        raise NotImplementedError

    async def heartbeat(self) -> None:
        raise NotImplementedError

    async def report_status(self, connector: Connector) -> None:
        raise NotImplementedError

    async def start_transaction(self, session: Session) -> bool:
        """Tells the CSMS the session started; False when the id token was not accepted."""
        raise NotImplementedError

    async def send_meter_values(self, session: Session) -> None:
        raise NotImplementedError

    async def stop_transaction(self, session: Session, reason: str) -> None:
        raise NotImplementedError

    # --- the charger's life on one connection ------------------------------------------------

    async def run(self, deadline: float) -> bool:
        """Runs until `deadline` (True: done) or until a reset asks for a new connection (False)."""
        listener = asyncio.create_task(self.start())
        life = asyncio.create_task(self._live())
        reset = asyncio.create_task(self.reset_requested.wait())
        try:
            done, _ = await asyncio.wait(
                {listener, life, reset}, timeout=max(0.0, deadline - time.monotonic()), return_when="FIRST_COMPLETED"
            )
            if listener in done:
                raise ConnectionLost
            if life in done:
                life.result()  # raises what ended it: the connection closing under a call
            life.cancel()
            await asyncio.gather(life, *self._background, return_exceptions=True)
            await self._end_sessions("reset" if reset in done else "local")
            return reset not in done
        finally:
            for task in (listener, life, reset, *self._background):
                task.cancel()
                # What a task ended with was raised above, or is the closed connection's: seen, not logged.
                task.add_done_callback(_retrieved)

    async def _live(self) -> None:
        interval = await self.boot()
        while interval is None:
            await asyncio.sleep(self.rng.uniform(1, 3))
            interval = await self.boot()
        self.statistics.record_boot(self.id)
        self.state.heartbeat_interval = interval
        await self.after_boot()
        for connector in self.state.connectors.values():
            await self.report_status(connector)
        await asyncio.gather(self._heartbeats(), *(self._sessions_on(c) for c in self.state.connectors.values()))

    async def _heartbeats(self) -> None:
        while True:
            await asyncio.sleep(max(self.state.heartbeat_interval, 1.0))
            await self.heartbeat()

    async def _sessions_on(self, connector: Connector) -> None:
        interval = self.options.meter_interval_seconds
        while True:
            await asyncio.sleep(self.rng.uniform(0.2, 1.0) * interval)
            if self._starts_sessions and connector.session is None and connector.operative:
                await self.unstoppable(
                    self.begin_session(self.claim_session(connector, self.rng.choice(self.id_tokens)))
                )
            session = connector.session
            while session is not None and connector.session is session:
                remaining = session.ends_at - time.monotonic()
                if remaining <= 0:
                    await self.unstoppable(self.end_session(session, "local"))
                    break
                await asyncio.sleep(min(interval, remaining))
                if connector.session is session and session.transaction_id is not None:
                    connector.advance_meter()
                    await self.send_meter_values(session)

    @property
    def _starts_sessions(self) -> bool:
        """Whether the charger starts a session on a free connector by itself (not during a reset)."""
        return self.options.sessions == "auto" and not self.reset_requested.is_set()

    def claim_session(self, connector: Connector, id_token: str, remote_start_id: int | None = None) -> Session:
        """Takes the connector for a session (before telling the CSMS, so no second start takes it)."""
        low, high = self.options.session_minutes
        session = Session(
            connector.connector_id,
            id_token,
            ends_at=time.monotonic() + self.rng.uniform(low, high) * 60,
            remote_start_id=remote_start_id,
        )
        connector.session = session
        connector.advance_meter()
        self.statistics.active_sessions += 1
        self.statistics.sessions_started += 1
        return session

    async def begin_session(self, session: Session) -> None:
        connector = self.state.connectors[session.connector_id]
        if await self.start_transaction(session):
            await self.report_status(connector)
        else:
            await self.end_session(session, "deauthorized")

    async def end_session(self, session: Session, reason: str) -> None:
        """`reason`: local, remote, reset, unlock or deauthorized; the version spells it."""
        connector = self.state.connectors[session.connector_id]
        if connector.session is not session:
            return
        connector.end_session()
        self.statistics.active_sessions -= 1
        self.statistics.sessions_completed += 1
        await self.stop_transaction(session, reason)
        await self.report_status(connector)
        self.after_session_ended()

    def after_session_ended(self) -> None:
        """A hook for a reset that waits for sessions to end."""

    async def _end_sessions(self, reason: str) -> None:
        for session in self.state.sessions():
            await self.end_session(session, reason)

    # --- calls ----------------------------------------------------------------------------------

    async def measured_call(self, payload: Any) -> Any:
        """Sends a call; counts its round trip, or the CALLERROR or invalid answer (then None)."""
        action = type(payload).__name__
        sent = time.monotonic()
        try:
            answer = await self.call(payload, suppress=False)
        except OCPPError as error:
            self.statistics.record_error(f"{action} {type(error).__name__}")
            LOGGER.warning("%s: %s answered %s: %s", self.id, action, type(error).__name__, error)
            return None
        except TimeoutError:
            self.statistics.record_error(f"{action} timeout")
            return None
        self.statistics.record_round_trip(time.monotonic() - sent)
        return answer

    def spawn(self, work: Coroutine[Any, Any, object]) -> asyncio.Task[object]:
        """Runs calls that follow an answer (they cannot run inside the handler: it blocks reading)."""
        task = asyncio.create_task(work)
        self._background.add(task)
        task.add_done_callback(self._background.discard)
        return task

    async def unstoppable(self, work: Coroutine[Any, Any, object]) -> None:
        """Runs a session's start or end to its answer even when the run ends meanwhile, so that
        the CSMS and the charger agree on which sessions are open."""
        await asyncio.shield(self.spawn(work))

    async def after_boot(self) -> None:
        """A hook for what follows an accepted boot (2.0.1: the Installed of an update that rebooted)."""

    async def install_firmware(
        self, location: str, report: Callable[[str], Coroutine[Any, Any, object]], reboots_before_installed: bool
    ) -> None:
        """Download the image (GET, following redirects), report Downloading, Downloaded, Installing, then reboot
        with its version: before reporting Installed (2.0.1: InstallRebooting, Installed after the boot) or after.
        DownloadFailed when it cannot be downloaded."""
        await report("Downloading")
        try:
            image = await asyncio.to_thread(download, location)
        except (OSError, ValueError):  # unreachable, an HTTP error, not a URL
            await report("DownloadFailed")
            return
        await report("Downloaded")
        await report("Installing")
        self.state.firmware_version = image_version(image)
        await report("InstallRebooting" if reboots_before_installed else "Installed")
        self.reset_requested.set()  # the run ends; the fleet connects again and boots with the new version

    async def report_sequence(self, make_payload: Any, statuses: Sequence[str], pause: float = 0.5) -> None:
        """A firmware or log status sequence, one notification per status."""
        for status in statuses:
            await asyncio.sleep(pause)
            await self.measured_call(make_payload(status))

    async def _handle_call(self, msg: Any) -> Any:
        if msg.action not in self.route_map:
            answer = default_answer(self.version, msg.action)
            if answer is not None:
                answer_class = getattr(self._call_result, msg.action)
                self.route_map[msg.action] = {"_on_action": lambda **_: answer_class(**camel_to_snake_case(answer))}
        self.statistics.record_command(msg.action)
        with contextlib.suppress(ConnectionClosed):
            return await super()._handle_call(msg)
        return None


def _retrieved(task: asyncio.Task[Any]) -> None:
    if not task.cancelled():
        task.exception()
