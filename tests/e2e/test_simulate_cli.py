"""`csms simulate`, the command line, against the embedded runtime: a few dozen chargers of both
OCPP versions register, connect, boot and charge sessions for a short run, and the command exits 0
because no answer of the CSMS was a CALLERROR or invalid and no connection failed."""

import asyncio
import sys

from csms.local.runtime import LocalRuntime
from tests.e2e.conftest import OperatorApi

CHARGERS = 30


async def csms_simulate(*arguments: str, timeout: float) -> tuple[int | None, str]:
    """`csms simulate ARGS...` in a new interpreter: its exit code and output (stdout and stderr)."""
    simulate = await asyncio.create_subprocess_exec(
        *(sys.executable, "-m", "csms.cli", "simulate", *arguments),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output = (await asyncio.wait_for(simulate.communicate(), timeout=timeout))[0].decode()
    return simulate.returncode, output


async def test_a_short_run_of_a_mixed_fleet_exits_0_without_errors(runtime: LocalRuntime, api: OperatorApi) -> None:
    code, output = await csms_simulate(
        *("--url", runtime.ws_url, "--chargers", str(CHARGERS)),
        *("--ocpp", "mixed", "--duration", "20", "--meter-interval", "3", "--session-minutes", "0.05-0.15"),
        *("--api", runtime.api_url, f"--api-token={runtime.token}", "--summary-interval", "5"),  # it may start with -
        timeout=180,
    )

    assert code == 0, output
    assert "errors: none" in output
    assert f"connections: admitted {CHARGERS}\n" in output
    assert f"booted: {CHARGERS} chargers" in output
    completed = (await api.request("GET", "/transactions?status=Completed&limit=500")).body["items"]
    assert {transaction["ocppVersion"] for transaction in completed} == {"1.6", "2.0.1"}
    assert {transaction["chargerId"] for transaction in completed} == {f"SIM-{n:04d}" for n in range(1, CHARGERS + 1)}
    assert (await api.request("GET", "/transactions?status=Active")).body["items"] == []


async def test_a_registration_the_api_refuses_exits_1_naming_the_request(runtime: LocalRuntime) -> None:
    # Without --api, a token registers at /api beside --url: csms local's operator API.
    code, output = await csms_simulate(
        *("--url", runtime.ws_url, "--chargers", "1", "--api-token", "not-the-token"), timeout=60
    )

    assert code == 1, output
    assert "csms simulate: registration failed: PUT /" in output
    assert ": 401 Unauthorized" in output
    assert "Traceback" not in output
