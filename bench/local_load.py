"""How `csms local` holds up under a fleet of chargers.

    python -m bench.local_load [--chargers 100 300 1000] [--rate 100] [--window 60] [--ramp 0]

For each fleet size N it starts `csms local` as a child process (the real CLI: in-memory state, a
free port, its own API token), registers N chargers and the id tokens through the operator API,
and drives them with the charger simulator (`csms.simulator`) in this process, so that the
simulator's CPU is not counted as the runtime's. With `--restart` the runtime keeps its state in a
data directory and is restarted between the registration and the fleet's connects, as a fleet
reconnects after a restart: every password is then checked in full (a runtime that has just hashed
a password through its API admits it without a second hash). While a thread probes
`GET /api/health` every 100 ms, it measures:

1. connect and boot: the N chargers connect at once (or spread over `--ramp` seconds) and boot; how
   long until every one was admitted and accepted, how long each waited from its first attempt to its
   admission, and how many connection attempts were admitted or refused;
2. sustained load: each charger charges sessions of 1 to 3 meter intervals on its connectors, the
   interval chosen so that the fleet sends about `--rate` OCPP messages per second (meter values,
   session starts and stops, status notifications, heartbeats); after a warm-up of one session
   cycle, for `--window` seconds: messages per second, CALL->CALLRESULT round trips, `/api/health`
   latency, and the runtime's CPU time per message (from /proc/PID/stat, every thread, its DynamoDB process included);
3. shutdown: SIGTERM under that load, and how long the runtime takes to exit.

It prints a Markdown table, one column per fleet size.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import secrets
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench.health_probe import FAILED, HealthFigures, HealthProbe
from bench.runtime_process import RuntimeProcess
from csms.operator_cli.client import OperatorApi
from csms.operator_cli.credentials import StaticToken
from csms.simulator.fleet import ID_TOKENS, run_fleet
from csms.simulator.options import SimulationOptions
from csms.simulator.registration import register
from csms.simulator.statistics import ADMITTED, Checkpoint, Figures, Statistics, percentile

SIGTERM_TIMEOUT_SECONDS = 30.0
RUN_LONGER_THAN_THE_BENCH_SECONDS = 24 * 3600.0  # the fleet is cancelled once the runtime has stopped
SESSION_METER_INTERVALS = (1, 3)  # a session lasts 1 to 3 meter intervals


@dataclass(frozen=True)
class LoadSettings:
    rate: float
    window_seconds: float
    ramp_seconds: float
    restart: bool
    boot_timeout_seconds: float
    connectors: int
    ocpp: str

    def meter_interval(self, chargers: int) -> float:
        """The meter interval at which the fleet sends about `rate` messages a second.

        A connector's cycle (the simulator's): idle for 0.2 to 1 interval (0.6 on average), then a
        session of S intervals (2 on average) that sends a start, a status, S meter values, a stop
        and a status. Heartbeats (one per charger every 300 s) are left out.
        """
        mean_session = sum(SESSION_METER_INTERVALS) / 2
        messages_per_interval = (4 + mean_session) / (0.6 + mean_session)
        return max(1.0, chargers * self.connectors * messages_per_interval / self.rate)

    def warm_up(self, chargers: int) -> float:
        """After the boots, one connector cycle: sessions start and stop as they will in the window."""
        return (0.6 + sum(SESSION_METER_INTERVALS) / 2) * self.meter_interval(chargers)


@dataclass(frozen=True)
class LoadFigures:
    chargers: int
    meter_interval: float
    registration_seconds: float
    admission_seconds: float | None  # None: not all admitted within the boot timeout
    admitted: int
    attempts_spread_seconds: float  # from the fleet's start to the last charger's first attempt
    admission_waits: list[float]  # each charger's, from its first attempt to its admission, sorted
    boot_seconds: float | None  # None: not all booted within the timeout
    booted: int
    connects: Counter[str]
    boot: Figures
    boot_health: HealthFigures
    sustained: Figures
    sustained_health: HealthFigures
    runtime_cpu_seconds: float
    dynamodb_cpu_seconds: float  # of runtime_cpu_seconds
    generator_cpu_seconds: float
    sigterm_seconds: float | None  # None: killed after SIGTERM_TIMEOUT_SECONDS
    errors: Counter[str]
    runtime_error_lines: int


async def measure(chargers: int, settings: LoadSettings) -> LoadFigures:
    token = secrets.token_urlsafe(18)
    with tempfile.TemporaryDirectory(prefix="csms-load-") as directory:
        data_dir = Path(directory) / "data" if settings.restart else None
        runtime = await RuntimeProcess.start(token, Path(directory) / "csms-local.log", data_dir)
        try:
            registering = time.monotonic()
            charger_ids = [SimulationOptions.charger_id(index) for index in range(chargers)]
            passwords = await register(OperatorApi(runtime.api_url, StaticToken(token)), charger_ids, ID_TOKENS)
            registration_seconds = time.monotonic() - registering
            if data_dir is not None:
                if await runtime.terminate(SIGTERM_TIMEOUT_SECONDS) is None:
                    raise RuntimeError("csms local did not stop after the registration")
                runtime = await RuntimeProcess.start(token, Path(directory) / "csms-local-restarted.log", data_dir)
            return await _drive(runtime, passwords, registration_seconds, settings)
        finally:
            if runtime.process.returncode is None:
                runtime.process.kill()
                await runtime.process.wait()


async def _drive(
    runtime: RuntimeProcess, passwords: dict[str, str], registration_seconds: float, settings: LoadSettings
) -> LoadFigures:
    chargers = len(passwords)
    meter_interval = settings.meter_interval(chargers)
    shortest, longest = SESSION_METER_INTERVALS
    options = SimulationOptions(
        url=runtime.ws_url,
        chargers=chargers,
        ocpp=settings.ocpp,
        connectors=settings.connectors,
        duration_seconds=RUN_LONGER_THAN_THE_BENCH_SECONDS,
        meter_interval_seconds=meter_interval,
        session_minutes=(shortest * meter_interval / 60, longest * meter_interval / 60),
        summary_interval_seconds=10.0,
        ramp_seconds=settings.ramp_seconds,
    )

    probe = HealthProbe(runtime.api_url)
    probe.start()
    statistics = Statistics()
    fleet = asyncio.create_task(run_fleet(options, statistics, passwords, announce=_progress(chargers)))
    try:
        await _until(lambda: len(statistics.booted_at) == chargers or fleet.done(), settings.boot_timeout_seconds)
        boot = statistics.since(Checkpoint(statistics.started_at, 0, 0))
        boot_phase = (statistics.started_at, time.monotonic())
        admitted, booted, connects = (
            len(statistics.admitted_at),
            len(statistics.booted_at),
            Counter(statistics.connects),
        )
        admission_seconds = _last_after(statistics.admitted_at, statistics.started_at) if admitted == chargers else None
        attempts_spread_seconds = _last_after(statistics.attempted_at, statistics.started_at)
        admission_waits = statistics.admission_waits()
        boot_seconds = _last_after(statistics.booted_at, statistics.started_at) if booted == chargers else None

        await asyncio.sleep(settings.warm_up(chargers))
        window = statistics.checkpoint()
        runtime_cpu, dynamodb_cpu = runtime.cpu_seconds(), runtime.dynamodb_cpu_seconds()
        generator_cpu = time.process_time()
        await asyncio.sleep(settings.window_seconds)
        sustained = statistics.since(window)
        sustained_phase = (window.at, time.monotonic())
        runtime_cpu, dynamodb_cpu = runtime.cpu_seconds() - runtime_cpu, runtime.dynamodb_cpu_seconds() - dynamodb_cpu
        generator_cpu = time.process_time() - generator_cpu
        errors = Counter(statistics.errors)
        if fleet.done():
            fleet.result()  # raises what stopped the fleet early

        # The window's last probes are answered before SIGTERM, which would fail them.
        await asyncio.to_thread(probe.stop)
        # The fleet's complaints about the connections SIGTERM closes are expected: not logged, not counted.
        logging.getLogger("csms.simulator").setLevel(logging.CRITICAL)
        sigterm_seconds = await runtime.terminate(SIGTERM_TIMEOUT_SECONDS)
    finally:
        fleet.cancel()
        await asyncio.gather(fleet, return_exceptions=True)
        probe.stop()  # when the bench ended early (a second stop does nothing)
    return LoadFigures(
        chargers=chargers,
        meter_interval=meter_interval,
        registration_seconds=registration_seconds,
        admission_seconds=admission_seconds,
        admitted=admitted,
        attempts_spread_seconds=attempts_spread_seconds,
        admission_waits=admission_waits,
        boot_seconds=boot_seconds,
        booted=booted,
        connects=connects,
        boot=boot,
        boot_health=probe.between(*boot_phase),
        sustained=sustained,
        sustained_health=probe.between(*sustained_phase),
        runtime_cpu_seconds=runtime_cpu,
        dynamodb_cpu_seconds=dynamodb_cpu,
        generator_cpu_seconds=generator_cpu,
        sigterm_seconds=sigterm_seconds,
        errors=errors,
        runtime_error_lines=runtime.error_lines(),
    )


async def _until(condition: Callable[[], bool], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        await asyncio.sleep(0.05)


def _progress(chargers: int) -> Callable[[str], None]:
    return lambda line: print(f"[{chargers} chargers] {line}", file=sys.stderr, flush=True)


# --- the table ------------------------------------------------------------------------------------


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f}"


def _connects(figures: LoadFigures) -> str:
    refused = {outcome: count for outcome, count in figures.connects.items() if outcome != ADMITTED}
    details = ", ".join(f"{outcome} {count}" for outcome, count in sorted(refused.items()))
    return f"{figures.connects[ADMITTED]} / {sum(refused.values())}" + (f" ({details})" if details else "")


def _last_after(times: dict[str, float], start: float) -> float:
    return max(times.values()) - start


def _admission_waits(figures: LoadFigures) -> str:
    waits = figures.admission_waits
    return " / ".join(f"{percentile(waits, fraction):.1f}" for fraction in (0.5, 0.99, 1.0))


def _every_one_after(seconds: float | None, count: int, figures: LoadFigures) -> str:
    """When the last charger got there, or how many had when the bench stopped waiting."""
    if seconds is None:
        return f"{count} of {figures.chargers} after {figures.boot.seconds:.0f}"
    return f"{seconds:.1f}"


def _health(figures: HealthFigures) -> str:
    reasons = ", ".join(f"{reason} {count}" for reason, count in figures.failures.most_common())
    failed = f" ({figures.failures.total()} of {figures.probes} failed: {reasons})" if figures.failures else ""
    return f"{_latency(figures.p50)} / {_latency(figures.p99)}{failed}"


def _latency(seconds: float) -> str:
    return "failed" if seconds == FAILED else _ms(seconds)


ROWS: list[tuple[str, Callable[[LoadFigures], str]]] = [
    ("register chargers and id tokens through the API (s)", lambda f: f"{f.registration_seconds:.1f}"),
    ("connect: every charger's first attempt made after (s)", lambda f: f"{f.attempts_spread_seconds:.1f}"),
    (
        "connect: every charger's WebSocket admitted after (s)",
        lambda f: _every_one_after(f.admission_seconds, f.admitted, f),
    ),
    ("connect: wait from a charger's first attempt to its admission p50 / p99 / max (s)", _admission_waits),
    ("connect and boot: all chargers accepted after (s)", lambda f: _every_one_after(f.boot_seconds, f.booted, f)),
    ("connect and boot: connection attempts admitted / refused", _connects),
    ("boot: round trip p50 / p99 (ms)", lambda f: f"{_ms(f.boot.round_trip_p50)} / {_ms(f.boot.round_trip_p99)}"),
    ("boot: `/api/health` p50 / p99 (ms)", lambda f: _health(f.boot_health)),
    ("sustained: meter interval (s)", lambda f: f"{f.meter_interval:.1f}"),
    ("sustained: OCPP messages/s", lambda f: f"{f.sustained.rate:.0f}"),
    (
        "sustained: CALL→CALLRESULT p50 / p99 (ms)",
        lambda f: f"{_ms(f.sustained.round_trip_p50)} / {_ms(f.sustained.round_trip_p99)}",
    ),
    ("sustained: `/api/health` p50 / p99 (ms)", lambda f: _health(f.sustained_health)),
    (
        "sustained: runtime CPU per message (ms)",
        lambda f: f"{f.runtime_cpu_seconds * 1000 / max(f.sustained.messages, 1):.1f}",
    ),
    ("sustained: runtime CPU (% of one core)", lambda f: f"{100 * f.runtime_cpu_seconds / f.sustained.seconds:.0f}"),
    (
        "sustained: of which its DynamoDB process (% of one core)",
        lambda f: f"{100 * f.dynamodb_cpu_seconds / f.sustained.seconds:.0f}",
    ),
    (
        "sustained: load generator CPU (% of one core)",
        lambda f: f"{100 * f.generator_cpu_seconds / f.sustained.seconds:.0f}",
    ),
    (
        "SIGTERM under load: exited after (s)",
        lambda f: f"{f.sigterm_seconds:.1f}" if f.sigterm_seconds is not None else "killed (no exit)",
    ),
    (
        "simulator errors",
        lambda f: ", ".join(f"{kind} {count}" for kind, count in sorted(f.errors.items())) or "none",
    ),
    ("runtime ERROR log records", lambda f: str(f.runtime_error_lines)),
]


def table(results: list[LoadFigures]) -> str:
    lines = [
        "| | " + " | ".join(f"{figures.chargers} chargers" for figures in results) + " |",
        "|---|" + "---|" * len(results),
    ]
    lines += [f"| {label} | " + " | ".join(cell(f) for f in results) + " |" for label, cell in ROWS]
    return "\n".join(lines)


def _commit() -> str:
    def git(*args: str) -> str:
        result = subprocess.run(["git", *args], capture_output=True, text=True, check=False)  # noqa: S603, S607
        return result.stdout.strip()

    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    return commit + (" with uncommitted changes" if git("status", "--porcelain", "--untracked-files=no") else "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--chargers", type=int, nargs="+", default=[100, 300, 1000], metavar="N")
    parser.add_argument("--rate", type=float, default=100.0, help="OCPP messages/s the fleet aims at (default 100)")
    parser.add_argument("--window", type=float, default=60.0, help="seconds of sustained load measured (default 60)")
    parser.add_argument("--ramp", type=float, default=0.0, help="spread the first connects over SECONDS (default 0)")
    parser.add_argument(
        "--restart", action="store_true", help="restart the runtime (on a data directory) before the fleet connects"
    )
    parser.add_argument("--boot-timeout", type=float, default=60.0, help="seconds to wait for every boot (default 60)")
    parser.add_argument("--connectors", type=int, default=2, help="connectors per charger (default 2)")
    parser.add_argument("--ocpp", choices=("1.6", "2.0.1", "mixed"), default="mixed")
    args = parser.parse_args()
    settings = LoadSettings(
        args.rate, args.window, args.ramp, args.restart, args.boot_timeout, args.connectors, args.ocpp
    )
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    results = [asyncio.run(measure(chargers, settings)) for chargers in args.chargers]
    restarted = ", restarted on its data directory before the fleet connected" if args.restart else ""
    print(
        f"csms local under load{restarted}: commit {_commit()}, {os.cpu_count()} CPUs, Python {sys.version.split()[0]}"
    )
    print(table(results))


if __name__ == "__main__":
    main()
