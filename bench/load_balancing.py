"""Load balancing at one site of 50 chargers: how fast a session's profiles are applied, and what it costs.

    python -m bench.load_balancing [--chargers 50] [--sessions 100] [--limit 320] [--arrival 1.5] [--stay 40]

Runs `csms local` in this process (its Step Functions executions, Lambda invocations and DynamoDB writes
are counted here) with a site of `--chargers` chargers, half OCPP 1.6 and half 2.0.1, 32 A each, behind a
`--limit` A grid connection (minimum 6 A). The chargers are the end-to-end tests' recording charge points
(`tests.e2e.site_chargers`, real WebSockets): each keeps its own timestamped record of its sessions and of
the profiles it accepted. Sessions arrive at random (exponential gaps of `--arrival` s on average) on a free
charger and stay `--stay` s on average. Once every charger holds the site's TxDefaultProfile (boot), it
counts, for the sessions only:

* the time from a session's start until the site holds a fair share that includes it (every session's
  charger at its water-filled limit, from the chargers' records), and until its own first TxProfile;
* SetChargingProfile commands per session (and those that repeated the limit the session already held);
* Step Functions state transitions per session: the `...StateEntered` events of every execution's history
  (each is one billed transition of a Standard workflow), rebalance and command workflows apart;
* Lambda invocations per session (every invocation of a function counted), DynamoDB writes (a
  TransactWriteItems counts two per item, as DynamoDB bills it), API Gateway messages (every frame the
  chargers sent or received), and from those the cost per session on AWS prices (`bench.cost_per_message`).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import json
import logging
import random
import statistics
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from botocore.handlers import BUILTIN_HANDLERS

from bench.cost_per_message import LAMBDA_MEMORY_GB, PRICES, ROUND_TRIP_MS
from csms import constants
from csms.local import lambda_functions
from csms.local.in_process_aws import IN_PROCESS_AWS
from csms.local.runtime import LocalRuntime, running_runtime
from csms.simulator.statistics import percentile
from tests.e2e.charge_points import connected
from tests.e2e.conftest import OperatorApi
from tests.e2e.site_chargers import (
    TX_PROFILE,
    ChargerRecord,
    ChargerState,
    ProfileAnswered,
    SessionStarted,
    SessionStopped,
    SiteCharger16,
    SiteCharger201,
    is_fair_share,
    site_instants,
    until,
)

SITE = "bench-site"
TAG = "BENCH-LB"
MAX_AMPS = Decimal(32)
MINIMUM_AMPS = Decimal(6)
SETTLE_SECONDS = 300.0
OUR_CPU_MS_PER_INVOCATION = 1.0  # assumed: bench.cost_per_message measures 0.04-0.4 ms per OCPP message
SQS_REQUEST = 0.40 / 1e6  # SendMessage, ReceiveMessage, DeleteMessage per workflow step (Lambda's SQS poller)
SQS_REQUESTS_PER_STEP = 3
RUNTIME_SETTINGS = {
    constants.ENV_COMMAND_TIMEOUT_SECONDS: "10",
    constants.ENV_COMMAND_POLL_INTERVAL_SECONDS: "1",
    "POWERTOOLS_METRICS_DISABLED": "true",
    "POWERTOOLS_LOG_LEVEL": "WARNING",
}


@dataclass
class AwsUsage:
    """What the runtime asked of AWS while counting: Lambda invocations, their AWS requests, DynamoDB writes."""

    counting: bool = False
    invocations: Counter[str] = field(default_factory=Counter)
    requests: Counter[str] = field(default_factory=Counter)  # AWS requests made inside invocations, by function
    dynamodb: Counter[str] = field(default_factory=Counter)  # DynamoDB requests among them, by function
    dynamodb_writes: int = 0
    _current: threading.local = field(default_factory=threading.local)

    def install(self) -> None:
        """Before the runtime starts: every botocore session made from now on reports its requests here."""
        BUILTIN_HANDLERS.append(("before-call", self._request))
        invoke = lambda_functions.LocalFunction.invoke

        @functools.wraps(invoke)
        def counted(function: lambda_functions.LocalFunction, event: dict[str, Any]) -> Any:
            self._current.name = function.name
            if self.counting:
                self.invocations[function.name] += 1
            try:
                return invoke(function, event)
            finally:
                self._current.name = None

        lambda_functions.LocalFunction.invoke = counted  # type: ignore[method-assign]

    def count_writes(self) -> None:
        """Once the runtime runs (in memory: the journal hook is free)."""
        IN_PROCESS_AWS.record_writes(self._write)

    def _request(self, event_name: str, **_: Any) -> None:
        name = getattr(self._current, "name", None)
        if self.counting and name is not None:
            self.requests[name] += 1
            self.dynamodb[name] += event_name.startswith("before-call.dynamodb.")

    def _write(self, operation: str, body: bytes) -> None:
        if not self.counting:
            return
        request = json.loads(body or b"{}")
        if operation == "TransactWriteItems":
            self.dynamodb_writes += 2 * len(request.get("TransactItems", []))
        elif operation == "BatchWriteItem":
            self.dynamodb_writes += sum(len(items) for items in request.get("RequestItems", {}).values())
        else:
            self.dynamodb_writes += 1


def states_entered(runtime: LocalRuntime, arn: str, since: float) -> list[tuple[dict[str, Any], Counter[str]]]:
    """Per execution of the state machine `arn` started after `since` (epoch seconds): its input, and the states
    it entered (each a billed transition of a Standard workflow), by name, from its history."""
    stepfunctions = runtime.backend.client("stepfunctions")
    found = []
    for page in stepfunctions.get_paginator("list_executions").paginate(stateMachineArn=arn):
        for execution in page["executions"]:
            if execution["startDate"].timestamp() < since:
                continue
            described = stepfunctions.describe_execution(executionArn=execution["executionArn"])
            history = stepfunctions.get_paginator("get_execution_history").paginate(
                executionArn=execution["executionArn"]
            )
            entered = Counter(
                event["stateEnteredEventDetails"]["name"]
                for events in history
                for event in events["events"]
                if event["type"].endswith("StateEntered")
            )
            found.append((json.loads(described["input"]), entered))
    return found


def state_transitions(runtime: LocalRuntime, since: float) -> Counter[str]:
    """Transitions (states entered) of the executions started after `since` (epoch seconds), by workflow
    (`rebalance`, and `command:<action>`)."""
    machines = {
        "rebalance": runtime.backend.rebalance_state_machine_arn,
        "command": runtime.backend.command_state_machine_arn,
    }
    found: Counter[str] = Counter()
    for workflow, arn in machines.items():
        for execution_input, entered in states_entered(runtime, arn, since):
            label = f"command:{execution_input['action']}" if workflow == "command" else workflow
            found[label] += entered.total()
            found[f"{label} executions"] += 1
    return found


@dataclass(frozen=True)
class Latencies:
    applied: list[float]  # start -> the site holds a fair share that includes the session
    own_profile: list[float]  # start -> its own first TxProfile accepted
    unsettled: int  # sessions that ended before the site settled with them


def latencies(records: list[ChargerRecord], limit: Decimal, since: float) -> Latencies:
    caps = {record.charger_id: record.state.max_amps for record in records}
    waiting: dict[tuple[str, int], float] = {}  # (charger, session) -> its start, until the site settles with it
    applied: list[float] = []
    unsettled = 0
    for instant in site_instants(records):
        event, key = instant.event, (instant.charger_id, getattr(instant.event, "session", 0))
        if isinstance(event, SessionStarted) and event.at >= since:
            waiting[key] = event.at
        elif isinstance(event, SessionStopped) and waiting.pop(key, None) is not None:
            unsettled += 1
        limits = [(amps, caps[session.split("/")[0]]) for session, amps in instant.limits.items()]
        if waiting and is_fair_share(limits, limit):
            applied += [instant.at - started for started in waiting.values()]
            waiting.clear()
    own: list[float] = []
    for record in records:
        started: float | None = None
        for event in record.log:
            if isinstance(event, SessionStarted) and event.at >= since:
                started = event.at
            elif isinstance(event, SessionStopped):
                started = None
            elif isinstance(event, ProfileAnswered) and event.accepted and event.profile.purpose == TX_PROFILE:
                if started is not None:
                    own.append(event.at - started)
                started = None
    return Latencies(applied, own, unsettled)


def tx_profiles_received(records: list[ChargerRecord], since: float) -> tuple[int, int]:
    """TxProfiles the chargers were sent since `since`, and how many of them repeated the limit the session
    already held."""
    sent = unchanged = 0
    for record in records:
        state = ChargerState(record.state.max_amps)
        for event in record.log:
            if isinstance(event, ProfileAnswered) and event.profile.purpose == TX_PROFILE and event.at >= since:
                sent += 1
                found = state.session_at(event.profile.place)
                unchanged += found is not None and state.limit(found[0]) == event.profile.amps
            state.apply(event)
    return sent, unchanged


def no_workflow_running(runtime: LocalRuntime) -> bool:
    stepfunctions = runtime.backend.client("stepfunctions")
    return not any(
        stepfunctions.list_executions(stateMachineArn=arn, statusFilter="RUNNING")["executions"]
        for arn in (runtime.backend.rebalance_state_machine_arn, runtime.backend.command_state_machine_arn)
    )


async def open_site(api: OperatorApi, chargers: int, limit: Decimal) -> list[ChargerRecord]:
    put = await api.request(
        "PUT",
        f"/sites/{SITE}",
        {"name": "Bench", "gridLimitAmps": float(limit), "minChargingCurrentAmps": float(MINIMUM_AMPS)},
    )
    assert put.status == 200, put.body
    await api.register_token(TAG)
    records = []
    for n in range(chargers):
        charger_id, version = f"LB-{n:03d}", ("ocpp1.6", "ocpp2.0.1")[n % 2]
        await api.register_charger(charger_id)
        joined = await api.request(
            "PUT", f"/chargers/{charger_id}", {"siteId": SITE, "maxCurrentAmps": float(MAX_AMPS)}
        )
        assert joined.status == 200, joined.body
        records.append(ChargerRecord(charger_id, version, MAX_AMPS))
    return records


async def boot(runtime: LocalRuntime, records: list[ChargerRecord], stack: contextlib.AsyncExitStack) -> list[Any]:
    """Every charger connected and booted, holding the site's TxDefaultProfile."""
    chargers = []
    for record in records:
        factory = functools.partial(SiteCharger16 if record.version == "ocpp1.6" else SiteCharger201, record=record)
        charger = await stack.enter_async_context(
            connected(runtime, record.charger_id, record.version, charge_point_class=factory)
        )
        await charger.boot()
        chargers.append(charger)
    await until(
        lambda: all(record.holds_default(Decimal(0)) for record in records),
        SETTLE_SECONDS,
        lambda: "not every charger holds the site's TxDefaultProfile",
    )
    return chargers


async def run_sessions(chargers: list[Any], sessions: int, arrival: float, stay: float, rng: random.Random) -> None:
    """`sessions` sessions on free chargers, arriving and leaving at random; returns once all have ended."""
    free = list(chargers)
    running: set[asyncio.Task[None]] = set()

    async def session(charger: Any) -> None:
        await charger.start_session(TAG)
        await asyncio.sleep(rng.expovariate(1 / stay))
        await charger.stop_session()
        free.append(charger)

    for _ in range(sessions):
        await asyncio.sleep(rng.expovariate(1 / arrival))
        while not free:
            await asyncio.sleep(0.1)
        task = asyncio.create_task(session(free.pop(rng.randrange(len(free)))))
        running.add(task)
        task.add_done_callback(running.discard)
    await asyncio.gather(*running)


@dataclass(frozen=True)
class Figures:
    sessions: int
    latencies: Latencies
    tx_profiles: int
    unchanged: int
    transitions: Counter[str]
    usage: AwsUsage
    frames: int


async def measure(chargers: int, sessions: int, limit: Decimal, arrival: float, stay: float, seed: int) -> Figures:
    usage = AwsUsage()
    usage.install()
    async with running_runtime(port=0, extra_env=RUNTIME_SETTINGS) as runtime:
        usage.count_writes()
        records = await open_site(OperatorApi(runtime), chargers, limit)
        async with contextlib.AsyncExitStack() as stack:
            charge_points = await boot(runtime, records, stack)
            await until(lambda: no_workflow_running(runtime), SETTLE_SECONDS, lambda: "boot workflows still run")
            since_wall, since = time.time(), time.monotonic()
            frames_before = sum(r.frames_sent + r.frames_received for r in records)
            usage.counting = True
            await run_sessions(charge_points, sessions, arrival, stay, random.Random(seed))
            await until(lambda: no_workflow_running(runtime), SETTLE_SECONDS, lambda: "workflows still run")
            usage.counting = False
            frames = sum(r.frames_sent + r.frames_received for r in records) - frames_before
            transitions = await asyncio.to_thread(state_transitions, runtime, since_wall)
    sent, unchanged = tx_profiles_received(records, since)
    return Figures(sessions, latencies(records, limit, since), sent, unchanged, transitions, usage, frames)


def cost_per_session(figures: Figures) -> dict[str, float]:
    n = figures.sessions
    usage = figures.usage
    invocations = sum(usage.invocations.values())
    billed_ms = invocations * OUR_CPU_MS_PER_INVOCATION + sum(usage.requests.values()) * ROUND_TRIP_MS
    transitions = sum(count for label, count in figures.transitions.items() if not label.endswith("executions"))
    worker_steps = sum(
        usage.invocations[name] for name in usage.invocations if name in ("command_worker", "rebalance_worker")
    )
    return {
        "Step Functions transitions": transitions / n * 0.025 / 1000,
        "Lambda requests": invocations / n * PRICES["lambda_request"],
        "Lambda GB-s": billed_ms / 1000 * LAMBDA_MEMORY_GB / n * PRICES["lambda_gb_second"],
        "DynamoDB writes": usage.dynamodb_writes / n * PRICES["dynamodb_write"],
        "API Gateway messages": figures.frames / n * PRICES["api_gateway_message"],
        "SQS (workflow steps)": worker_steps * SQS_REQUESTS_PER_STEP / n * SQS_REQUEST,
    }


def report(figures: Figures, chargers: int, limit: Decimal) -> None:
    n = figures.sessions
    lat = figures.latencies
    print(f"Site: {chargers} chargers (half 1.6, half 2.0.1, {MAX_AMPS} A), limit {limit} A, {n} sessions")
    print(
        f"- start -> site holds the fair share with it: median {statistics.median(lat.applied):.1f} s, "
        f"p95 {percentile(sorted(lat.applied), 0.95):.1f} s ({len(lat.applied)} sessions; {lat.unsettled} ended first)"
    )
    print(
        f"- start -> its own TxProfile accepted: median {statistics.median(lat.own_profile):.1f} s, "
        f"p95 {percentile(sorted(lat.own_profile), 0.95):.1f} s"
    )
    print(
        f"- SetChargingProfile (TxProfile) per session: {figures.tx_profiles / n:.2f} "
        f"({figures.unchanged} of {figures.tx_profiles} repeated the limit the session held)"
    )
    for label, count in sorted(figures.transitions.items()):
        print(f"- {label}: {count / n:.2f} per session" + ("" if label.endswith("executions") else " transitions"))
    print(f"- Lambda invocations per session: {sum(figures.usage.invocations.values()) / n:.1f}", end=" (")
    print(", ".join(f"{name} {count / n:.1f}" for name, count in figures.usage.invocations.most_common()) + ")")
    print(f"- DynamoDB writes per session: {figures.usage.dynamodb_writes / n:.1f}")
    print(f"- API Gateway messages per session: {figures.frames / n:.1f}")
    cost = cost_per_session(figures)
    print(
        f"Cost per session (us-east-1; Lambda {LAMBDA_MEMORY_GB * 1024:.0f} MB arm64 billed "
        f"{OUR_CPU_MS_PER_INVOCATION:g} ms + {ROUND_TRIP_MS:g} ms per AWS request; SQS ${SQS_REQUEST * 1e6:.2f}/M, "
        f"{SQS_REQUESTS_PER_STEP} requests per workflow step):"
    )
    for item, dollars in cost.items():
        print(f"- {item}: ${dollars * 1000:.4f} per 1,000 sessions")
    print(f"- total: ${sum(cost.values()) * 1000:.4f} per 1,000 sessions")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--chargers", type=int, default=50)
    parser.add_argument("--sessions", type=int, default=100)
    parser.add_argument("--limit", type=Decimal, default=Decimal(320), help="site limit, A per phase")
    parser.add_argument("--arrival", type=float, default=1.5, help="mean seconds between arrivals")
    parser.add_argument("--stay", type=float, default=40.0, help="mean seconds a session lasts")
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    logging.getLogger("moto").setLevel(logging.CRITICAL)  # moto logs every Choice on an absent optional field
    figures = asyncio.run(measure(args.chargers, args.sessions, args.limit, args.arrival, args.stay, args.seed))
    report(figures, args.chargers, args.limit)


if __name__ == "__main__":
    main()
