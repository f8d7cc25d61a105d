"""A campaign's Step Functions transitions and commands per charger, measured on moto, and what a 10,000-charger
campaign costs on AWS.

    python -m bench.campaigns [--operation firmware|configuration] [--chargers 20] [--batch-size 5]
                              [--install-seconds 3] [--fleet 10000] [--fleet-batch-size 500] [--fleet-install 3600]

Runs `csms local` in this process (the campaign and command state machines `csms local` runs, their worker
Lambdas and DynamoDB on moto) with `--chargers` chargers, half OCPP 1.6 and half 2.0.1, connected over real
WebSockets (the `ocpp` library's classes, `tests.e2e.charge_points`). A firmware charger answers UpdateFirmware,
reports Downloading, Downloaded, Installing, waits `--install-seconds`, then boots with the image's version (2.0.1:
InstallRebooting, the boot, Installed; 1.6: Installed, then the boot); a configuration charger accepts every setting.
The operator API registers and uploads the image, creates the campaign (canary 1, then batches) and the bench waits
until it completed and no workflow runs. From moto's execution histories it counts the states entered (each a
billed transition of a Standard workflow) of the campaign's executions and of the command executions it started,
the follow-up polls (CheckFollowUp) among them, and the command executions per charger; the Lambda invocations and
the DynamoDB requests and writes are counted as `bench.load_balancing` counts them.

The cost of a `--fleet` campaign scales those figures: per charger, the measured command transitions with the
follow-up polls of a `--fleet-install` s install instead of the measured ones (the command workflow's own poll
schedule, `follow_up_wait_seconds`); per campaign, the measured transitions per round times the rounds of
`--fleet` chargers in batches of `--fleet-batch-size` each lasting the install (a round every poll interval).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import math
import time
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.request import Request, urlopen

from ocpp.routing import on
from ocpp.v16 import ChargePoint as ChargePoint16
from ocpp.v16 import call as call16
from ocpp.v16 import call_result as result16
from ocpp.v201 import ChargePoint as ChargePoint201
from ocpp.v201 import call as call201
from ocpp.v201 import call_result as result201

from bench.cost_per_message import LAMBDA_MEMORY_GB, PRICES, ROUND_TRIP_MS
from bench.load_balancing import OUR_CPU_MS_PER_INVOCATION, SQS_REQUEST, SQS_REQUESTS_PER_STEP, AwsUsage, states_entered
from csms import constants
from csms.commands.workflow import follow_up_wait_seconds
from csms.local.runtime import LocalRuntime, running_runtime
from tests.e2e.charge_points import connected
from tests.e2e.conftest import OperatorApi
from tests.e2e.site_chargers import until

VENDOR, MODEL, OLD_VERSION, NEW_VERSION = "Bench", "B-1", "1.0.0", "2.0.0"
POLL_SECONDS = 5  # the deployed command poll interval (settings.command_poll_interval_seconds): campaign rounds too
FIRMWARE_TIMEOUT_SECONDS = 2 * 3600  # the follow-up's deadline assumed on AWS (settings.firmware_update_timeout)
SETTLE_SECONDS = 600.0
WORKERS = ("command_worker", "campaign_worker")
NOT_SCALED = (*WORKERS, "operator_api")
TRANSITION = 0.025 / 1000
SETTINGS = [
    {"key": "MeterValueSampleInterval", "value": "30"},
    {"component": {"name": "SampledDataCtrlr"}, "variable": {"name": "TxUpdatedInterval"}, "value": "30"},
]
RUNTIME_SETTINGS = {
    constants.ENV_COMMAND_TIMEOUT_SECONDS: "20",
    constants.ENV_COMMAND_POLL_INTERVAL_SECONDS: "1",
    "POWERTOOLS_METRICS_DISABLED": "true",
    "POWERTOOLS_LOG_LEVEL": "WARNING",
}


class Charger16(ChargePoint16):  # type: ignore[misc]
    install_seconds = 0.0

    async def boot(self, version: str) -> None:
        await self.call(
            call16.BootNotification(charge_point_vendor=VENDOR, charge_point_model=MODEL, firmware_version=version)
        )

    @on("ChangeConfiguration")
    def on_change_configuration(self, **_: Any) -> result16.ChangeConfiguration:
        return result16.ChangeConfiguration(status="Accepted")

    @on("UpdateFirmware")
    def on_update_firmware(self, **_: Any) -> result16.UpdateFirmware:
        asyncio.get_running_loop().create_task(self._install())
        return result16.UpdateFirmware()

    async def _install(self) -> None:
        for status in ("Downloading", "Downloaded", "Installing"):
            await self.call(call16.FirmwareStatusNotification(status=status))
        await asyncio.sleep(self.install_seconds)
        await self.call(call16.FirmwareStatusNotification(status="Installed"))
        await self.boot(NEW_VERSION)


class Charger201(ChargePoint201):  # type: ignore[misc]
    install_seconds = 0.0

    async def boot(self, version: str, reason: str = "PowerUp") -> None:
        station = {"vendor_name": VENDOR, "model": MODEL, "firmware_version": version}
        await self.call(call201.BootNotification(charging_station=station, reason=reason))

    @on("SetVariables")
    def on_set_variables(self, set_variable_data: list[dict[str, Any]]) -> result201.SetVariables:
        results = [
            {"attribute_status": "Accepted", "component": data["component"], "variable": data["variable"]}
            for data in set_variable_data
        ]
        return result201.SetVariables(set_variable_result=results)

    @on("UpdateFirmware")
    def on_update_firmware(self, request_id: int, **_: Any) -> result201.UpdateFirmware:
        asyncio.get_running_loop().create_task(self._install(request_id))
        return result201.UpdateFirmware(status="Accepted")

    async def _install(self, request_id: int) -> None:
        for status in ("Downloading", "Downloaded", "Installing"):
            await self.call(call201.FirmwareStatusNotification(status=status, request_id=request_id))
        await asyncio.sleep(self.install_seconds)
        await self.call(call201.FirmwareStatusNotification(status="InstallRebooting", request_id=request_id))
        await self.boot(NEW_VERSION, "FirmwareUpdate")
        await self.call(call201.FirmwareStatusNotification(status="Installed", request_id=request_id))


@dataclass(frozen=True)
class Figures:
    chargers: int
    rounds: int  # Advance steps of the campaign's executions
    campaign_transitions: int
    command_transitions: int
    follow_up_polls: int  # CheckFollowUp steps of the command executions
    command_executions: Counter[str]  # by action
    usage: AwsUsage
    status: dict[str, Any]


async def register_image(api: OperatorApi) -> str:
    registered = await api.request("POST", "/firmware", {"vendor": VENDOR, "model": MODEL, "version": NEW_VERSION})
    assert registered.status == 201, registered.body
    upload = Request(registered.body["uploadUrl"], data=b"bench firmware image", method="PUT")  # noqa: S310
    await asyncio.to_thread(lambda: urlopen(upload, timeout=30).close())  # noqa: S310 - the local runtime
    return str(registered.body["firmwareId"])


async def connect_fleet(
    runtime: LocalRuntime, api: OperatorApi, count: int, install_seconds: float, stack: contextlib.AsyncExitStack
) -> list[str]:
    ids = []
    for n in range(count):
        charger_id, version = f"CAMPAIGN-BENCH-{n:03d}", ("ocpp1.6", "ocpp2.0.1")[n % 2]
        await api.register_charger(charger_id)
        base = Charger16 if version == "ocpp1.6" else Charger201
        charger_class = type(base.__name__, (base,), {"install_seconds": install_seconds})
        charger = await stack.enter_async_context(
            connected(runtime, charger_id, version, charge_point_class=charger_class)
        )
        await charger.boot(OLD_VERSION)
        ids.append(charger_id)
    return ids


def no_workflow_running(runtime: LocalRuntime) -> bool:
    stepfunctions = runtime.backend.client("stepfunctions")
    return not any(
        stepfunctions.list_executions(stateMachineArn=arn, statusFilter="RUNNING")["executions"]
        for arn in (runtime.backend.campaign_state_machine_arn, runtime.backend.command_state_machine_arn)
    )


async def measure(operation_kind: str, chargers: int, batch_size: int, install_seconds: float) -> Figures:
    usage = AwsUsage()
    usage.install()
    async with running_runtime(port=0, extra_env=RUNTIME_SETTINGS) as runtime:
        usage.count_writes()
        api = OperatorApi(runtime)
        async with contextlib.AsyncExitStack() as stack:
            ids = await connect_fleet(runtime, api, chargers, install_seconds, stack)
            if operation_kind == "firmware":
                operation: dict[str, Any] = {"kind": "firmware", "firmwareId": await register_image(api)}
            else:
                operation = {"kind": "configuration", "settings": SETTINGS}
            await until(lambda: no_workflow_running(runtime), SETTLE_SECONDS, lambda: "boot workflows still run")
            since = time.time()
            usage.counting = True
            rollout = {"canary": 1, "batchSize": batch_size, "chargerTimeoutSeconds": 120}
            body = {"name": "bench", "target": {"chargerIds": ids}, "operation": operation, "rollout": rollout}
            created = await api.request("POST", "/campaigns", body)
            assert created.status == 202, created.body
            status: dict[str, Any] = {}

            async def ended() -> bool:
                status.update((await api.request("GET", f"/campaigns/{created.body['campaignId']}")).body)
                return status["status"] != "Running" and no_workflow_running(runtime)

            await until(ended, SETTLE_SECONDS, lambda: status)
            usage.counting = False
        campaign_runs = await asyncio.to_thread(
            states_entered, runtime, runtime.backend.campaign_state_machine_arn, since
        )
        command_runs = await asyncio.to_thread(
            states_entered, runtime, runtime.backend.command_state_machine_arn, since
        )
    return Figures(
        chargers=chargers,
        rounds=sum(entered["Advance"] for _, entered in campaign_runs),
        campaign_transitions=sum(entered.total() for _, entered in campaign_runs),
        command_transitions=sum(entered.total() for _, entered in command_runs),
        follow_up_polls=sum(entered["CheckFollowUp"] for _, entered in command_runs),
        command_executions=Counter(execution_input["action"] for execution_input, _ in command_runs),
        usage=usage,
        status=status,
    )


def follow_up_polls(install_seconds: float) -> int:
    """CheckFollowUp steps of a command whose follow-up ends `install_seconds` after its answer (the command
    workflow's poll schedule with the deployed poll interval; the first look comes at the answer)."""
    waited, polls = 0.0, 1
    while waited < install_seconds:
        waited += follow_up_wait_seconds(
            POLL_SECONDS, timedelta(seconds=waited), timedelta(seconds=FIRMWARE_TIMEOUT_SECONDS - waited)
        )
        polls += 1
    return polls


@dataclass(frozen=True)
class FleetCampaign:
    chargers: int
    batch_size: int
    install_seconds: float

    @property
    def rounds(self) -> int:
        """A round every poll interval while a batch installs; the canary's batch, then the others."""
        batches = 1 + math.ceil((self.chargers - 1) / self.batch_size)
        return batches * math.ceil(self.install_seconds / POLL_SECONDS + 2)


def fleet_cost(figures: Figures, fleet: FleetCampaign) -> tuple[dict[str, float], dict[str, float]]:
    """(counts, dollars) of `fleet`, scaled from the measured figures."""
    n = figures.chargers
    usage = figures.usage
    polls_per_charger = follow_up_polls(fleet.install_seconds) if figures.follow_up_polls else 0
    measured_polls = figures.follow_up_polls / n
    command_transitions = (figures.command_transitions / n + 3 * (polls_per_charger - measured_polls)) * fleet.chargers
    campaign_transitions = figures.campaign_transitions / figures.rounds * fleet.rounds
    command_steps = usage.invocations["command_worker"] / n + polls_per_charger - measured_polls
    invocations = command_steps * fleet.chargers + usage.invocations["campaign_worker"] / figures.rounds * fleet.rounds
    requests_per_invocation = sum(usage.requests[name] for name in WORKERS) / sum(
        usage.invocations[name] for name in WORKERS
    )
    dynamodb_per_invocation = sum(usage.dynamodb[name] for name in WORKERS) / sum(
        usage.invocations[name] for name in WORKERS
    )
    # The chargers' messages and the events they cause; not the operator API, which this bench polls.
    other_invocations = sum(count for name, count in usage.invocations.items() if name not in NOT_SCALED) / n
    invocations += other_invocations * fleet.chargers
    writes = usage.dynamodb_writes / n * fleet.chargers
    dynamodb_requests = invocations * dynamodb_per_invocation
    counts = {
        "transitions": command_transitions + campaign_transitions,
        "Lambda invocations": invocations,
        "SQS requests": (invocations - other_invocations * fleet.chargers) * SQS_REQUESTS_PER_STEP,
        "DynamoDB requests": dynamodb_requests,
        "DynamoDB writes": writes,
    }
    billed_seconds = invocations * (OUR_CPU_MS_PER_INVOCATION + requests_per_invocation * ROUND_TRIP_MS) / 1000
    dollars = {
        "Step Functions (campaign)": campaign_transitions * TRANSITION,
        "Step Functions (commands)": command_transitions * TRANSITION,
        "Lambda requests": invocations * PRICES["lambda_request"],
        "Lambda GB-s": billed_seconds * LAMBDA_MEMORY_GB * PRICES["lambda_gb_second"],
        "SQS": counts["SQS requests"] * SQS_REQUEST,
        "DynamoDB writes": writes * PRICES["dynamodb_write"],
        "DynamoDB reads": max(0.0, dynamodb_requests - writes) * PRICES["dynamodb_read"],
    }
    return counts, dollars


def report(figures: Figures, kind: str, install_seconds: float, fleet: FleetCampaign) -> None:
    n = figures.chargers
    counts = figures.status["counts"]
    print(f"{kind} campaign on moto: {n} chargers (half 1.6, half 2.0.1), install {install_seconds:g} s")
    print(f"- status {figures.status['status']}, {counts['succeeded']} succeeded of {counts['total']}")
    print(
        f"- campaign executions: {figures.campaign_transitions} transitions in {figures.rounds} rounds "
        f"({figures.campaign_transitions / figures.rounds:.1f} a round)"
    )
    print(
        f"- command executions: {figures.command_transitions / n:.1f} transitions per charger, of which "
        f"{figures.follow_up_polls / n:.1f} follow-up polls (CheckFollowUp, 3 transitions each)"
    )
    executions = ", ".join(f"{action} {count / n:.2f}" for action, count in figures.command_executions.most_common())
    print(f"- commands per charger: {sum(figures.command_executions.values()) / n:.2f} ({executions})")
    print(
        f"- Lambda invocations per charger: {sum(figures.usage.invocations.values()) / n:.1f} ("
        + ", ".join(f"{name} {count / n:.1f}" for name, count in figures.usage.invocations.most_common())
        + ")"
    )
    print(f"- DynamoDB writes per charger: {figures.usage.dynamodb_writes / n:.1f}")
    counted, dollars = fleet_cost(figures, fleet)
    print(
        f"A {fleet.chargers:,}-charger {kind} campaign on AWS (batches of {fleet.batch_size}, install "
        f"{fleet.install_seconds:g} s: {follow_up_polls(fleet.install_seconds) if figures.follow_up_polls else 0} "
        f"follow-up polls per charger at the deployed {POLL_SECONDS} s poll backing off to a tenth of the wait; "
        f"{fleet.rounds:,} campaign rounds, one every {POLL_SECONDS} s; Lambda {LAMBDA_MEMORY_GB * 1024:.0f} MB "
        f"billed {OUR_CPU_MS_PER_INVOCATION:g} ms + {ROUND_TRIP_MS:g} ms per AWS request; "
        f"{SQS_REQUESTS_PER_STEP} SQS requests per worker step):"
    )
    print("- " + ", ".join(f"{name} {value:,.0f}" for name, value in counted.items()))
    for item, cost in dollars.items():
        print(f"- {item}: ${cost:,.2f}")
    print(f"- total: ${sum(dollars.values()):,.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--operation", choices=("firmware", "configuration"), default="firmware")
    parser.add_argument("--chargers", type=int, default=20)
    parser.add_argument("--batch-size", type=int, default=5)
    parser.add_argument("--install-seconds", type=float, default=3.0, help="how long a charger installs, on moto")
    parser.add_argument("--fleet", type=int, default=10_000, help="chargers of the campaign whose cost is given")
    parser.add_argument("--fleet-batch-size", type=int, default=500)
    parser.add_argument("--fleet-install", type=float, default=3600.0, help="seconds an install takes on AWS")
    args = parser.parse_args()
    logging.getLogger("moto").setLevel(logging.CRITICAL)  # moto logs every Choice on an absent optional field
    install = args.install_seconds if args.operation == "firmware" else 0.0
    figures = asyncio.run(measure(args.operation, args.chargers, args.batch_size, install))
    fleet_install = args.fleet_install if args.operation == "firmware" else 0.0
    report(figures, args.operation, install, FleetCampaign(args.fleet, args.fleet_batch_size, fleet_install))


if __name__ == "__main__":
    main()
