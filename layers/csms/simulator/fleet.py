"""Runs the fleet: registers it when asked, keeps every charger connected (again after a reset)
until the run's end, and prints the live summary and the final report."""

from __future__ import annotations

import asyncio
import base64
import logging
import random
import time
from collections.abc import Callable, Mapping

import websockets
from websockets.exceptions import ConnectionClosed, InvalidMessage, InvalidStatus, WebSocketException

from csms.operator_cli.client import OperatorApi
from csms.operator_cli.credentials import StaticToken
from csms.simulator.charger import ConnectionLost, SimulatedCharger
from csms.simulator.ocpp16 import Charger16
from csms.simulator.ocpp201 import Charger201
from csms.simulator.options import SUBPROTOCOLS, SimulationOptions
from csms.simulator.registration import register
from csms.simulator.state import ChargerState
from csms.simulator.statistics import ADMITTED, Statistics

LOGGER = logging.getLogger(__name__)
ID_TOKENS = tuple(f"SIM-TAG-{n:02d}" for n in range(1, 6))
CHARGER_CLASSES: dict[str, type[SimulatedCharger]] = {"1.6": Charger16, "2.0.1": Charger201}
RECONNECT_PAUSE_SECONDS = 1.0


async def simulate(options: SimulationOptions, announce: Callable[[str], None] = print) -> Statistics:
    passwords: Mapping[str, str] = {}
    if options.api_url:
        charger_ids = [options.charger_id(index) for index in range(options.chargers)]
        api = OperatorApi(options.api_url, StaticToken(options.api_token) if options.api_token else None)
        passwords = await register(api, charger_ids, ID_TOKENS)
        announce(f"registered {len(charger_ids)} chargers and {len(ID_TOKENS)} id tokens")
    statistics = Statistics()  # the run starts now, after the registration
    await run_fleet(options, statistics, passwords, announce)
    return statistics


async def run_fleet(
    options: SimulationOptions,
    statistics: Statistics,
    passwords: Mapping[str, str],
    announce: Callable[[str], None] = print,
) -> None:
    """Runs the (registered) fleet until the run's end, counting into `statistics`."""
    deadline = time.monotonic() + options.duration_seconds
    summaries = asyncio.create_task(_print_summaries(statistics, options.summary_interval_seconds, announce))
    try:
        await asyncio.gather(
            *(
                _keep_running(index, options, statistics, passwords.get(options.charger_id(index)), deadline)
                for index in range(options.chargers)
            )
        )
    finally:
        summaries.cancel()
    announce(statistics.summary_line())
    announce(statistics.final_report())


async def _print_summaries(statistics: Statistics, interval: float, announce: Callable[[str], None]) -> None:
    while True:
        await asyncio.sleep(interval)
        announce(statistics.summary_line())


async def _keep_running(
    index: int, options: SimulationOptions, statistics: Statistics, password: str | None, deadline: float
) -> None:
    """One charger: connects, lives until the deadline, and connects again after a reset or a lost connection."""
    charger_id = options.charger_id(index)
    version = options.version_of(index)
    rng = random.Random(f"{charger_id}-{time.time_ns()}")  # noqa: S311 - load, not secrets
    state = ChargerState.new(charger_id, options.connectors, rng)
    headers = _basic_auth(charger_id, password) if password else {}
    # Chargers come up spread over the first seconds, as a fleet does after a power cut, unless asked for a burst.
    await asyncio.sleep(rng.uniform(0, min(options.ramp_seconds, options.duration_seconds / 4)))
    while time.monotonic() < deadline:
        statistics.record_attempt(charger_id)
        try:
            async with websockets.connect(
                f"{options.url.rstrip('/')}/{charger_id}",
                subprotocols=[websockets.Subprotocol(SUBPROTOCOLS[version])],
                additional_headers=headers,
                open_timeout=30,
            ) as connection:
                statistics.record_connect(charger_id, ADMITTED)
                charger = CHARGER_CLASSES[version](connection, state, options, statistics, ID_TOKENS, rng)
                statistics.connected += 1
                try:
                    if await charger.run(deadline):
                        return
                finally:
                    statistics.connected -= 1
        except (ConnectionLost, ConnectionClosed) as error:
            statistics.record_error("connection lost")
            LOGGER.warning("%s: connection lost: %s", charger_id, error)
            _forget_sessions(state, statistics)
        except (OSError, TimeoutError, WebSocketException) as error:
            statistics.record_connect(charger_id, _refusal(error))
            LOGGER.warning("%s: cannot connect: %s", charger_id, error)
        await asyncio.sleep(RECONNECT_PAUSE_SECONDS)


def _forget_sessions(state: ChargerState, statistics: Statistics) -> None:
    """Sessions a lost connection cut short end with it (the CSMS closes them at the next boot)."""
    for connector in state.connectors.values():
        if connector.session is not None:
            connector.end_session()
            statistics.active_sessions -= 1


def _refusal(error: BaseException) -> str:
    """How a connection attempt failed, as the load benchmark counts it."""
    if isinstance(error, InvalidStatus):
        return f"rejected (HTTP {error.response.status_code})"
    if isinstance(error, TimeoutError):
        return "timed out"
    if isinstance(error, ConnectionRefusedError):
        return "refused"
    if isinstance(error, ConnectionResetError | InvalidMessage):  # InvalidMessage: closed before the handshake's end
        return "reset"
    return f"failed ({type(error).__name__})"


def _basic_auth(charger_id: str, password: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{charger_id}:{password}".encode()).decode()}
