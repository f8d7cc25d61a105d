"""The operator CLI end to end: `csms chargers|charger|sessions|invoices|command|start|stop|reset|unlock|
availability` as separate processes, without the `local` extra (no moto, no websockets importable),
against the embedded runtime and two simulated chargers (SIM-0001: OCPP 1.6, SIM-0002: 2.0.1).

One runtime and one fleet serve the module; the tests run in order (a session is started, then
listed, stopped and invoiced). The fleet charges nothing on its own (sessions would start only
after 12 minutes): every session is one the CLI started.
"""

import asyncio
import contextlib
import json
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from csms import constants
from csms.local.runtime import LocalRuntime
from csms.simulator.fleet import simulate
from csms.simulator.options import SimulationOptions
from tests.e2e.conftest import OperatorApi, module_runtime
from tests.token_endpoint import CLIENT_ID, CLIENT_SECRET, token_endpoint
from tests.without_local_extra import csms_command, environment_without_local_extra

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="module")]

CHARGER_16, CHARGER_201 = "SIM-0001", "SIM-0002"
ID_TOKEN = "SIM-TAG-01"  # the simulator registers it
SETTINGS = {
    constants.ENV_COMMAND_TIMEOUT_SECONDS: "5",
    constants.ENV_COMMAND_FOLLOW_UP_TIMEOUT_SECONDS: "30",
    constants.ENV_COMMAND_POLL_INTERVAL_SECONDS: "1",
    "POWERTOOLS_METRICS_DISABLED": "true",
}
HEARTBEAT_INTERVAL = {
    "getVariableData": [{"component": {"name": "OCPPCommCtrlr"}, "variable": {"name": "HeartbeatInterval"}}]
}


@dataclass
class Finished:
    code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


Csms = Callable[..., Awaitable[Finished]]


VIEWER_TOKEN = "viewer-token"
runtime, api, _environment = module_runtime(SETTINGS, viewer_token=VIEWER_TOKEN)


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def fleet(runtime: LocalRuntime, api: OperatorApi) -> AsyncIterator[None]:
    options = SimulationOptions(
        url=runtime.ws_url,
        chargers=2,
        ocpp="mixed",
        duration_seconds=900,
        meter_interval_seconds=3600,  # no session of its own for 12 minutes at least
        session_minutes=(60, 60),
        api_url=runtime.api_url,
        api_token=runtime.token,
        summary_interval_seconds=900,
        ramp_seconds=0,
    )
    running = asyncio.create_task(simulate(options, announce=lambda _: None))
    for charger_id in (CHARGER_16, CHARGER_201):
        await until(lambda charger_id=charger_id: booted(api, charger_id))
    yield
    running.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await running


@pytest.fixture(scope="module")
def csms(runtime: LocalRuntime, fleet: None, tmp_path_factory: pytest.TempPathFactory) -> Csms:
    """Runs `csms ARGS...` in a new interpreter without the local extra, pointed at the runtime."""
    directory = tmp_path_factory.mktemp("without-local-extra")

    async def run(*arguments: str, **variables: str) -> Finished:
        environment = environment_without_local_extra(
            directory, **{"CSMS_API_URL": runtime.api_url, "CSMS_API_TOKEN": runtime.token, **variables}
        )
        process = await asyncio.create_subprocess_exec(
            *csms_command(*arguments),
            env={name: value for name, value in environment.items() if value},  # "": unset
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        stdout, stderr = await asyncio.wait_for(process.communicate(), timeout=120)
        assert process.returncode is not None
        return Finished(process.returncode, stdout.decode(), stderr.decode())

    return run


async def until(check: Callable[[], Awaitable[Any]], timeout: float = 30) -> Any:
    deadline = time.monotonic() + timeout
    while not (found := await check()):
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.3)
    return found


async def booted(api: OperatorApi, charger_id: str) -> bool:
    response = await api.request("GET", f"/chargers/{charger_id}")
    return response.status == 200 and response.body["connected"] and bool(response.body["lastBoot"])


async def test_chargers_lists_the_fleet_as_a_table_and_as_json(csms: Csms) -> None:
    table = await csms("chargers")
    listed = await csms("chargers", "--json")

    assert table.code == 0, table.stderr
    header, *rows = table.stdout.splitlines()
    assert header.split()[:3] == ["ID", "CONNECTED", "OCPP"]
    assert [row.split()[:3] for row in rows] == [[CHARGER_16, "yes", "1.6"], [CHARGER_201, "yes", "2.0.1"]]
    assert "1:Available 2:Available" in rows[0]
    assert "1/1:Available 2/1:Available" in rows[1]
    assert listed.code == 0
    assert [charger["id"] for charger in listed.json()["items"]] == [CHARGER_16, CHARGER_201]
    assert listed.json()["nextToken"] is None


async def test_chargers_filters_and_pages(csms: Csms) -> None:
    disconnected = await csms("chargers", "--disconnected", "--json")
    first = await csms("chargers", "--limit", "1", "--json")
    rest = await csms("chargers", "--limit", "1", "--next-token", first.json()["nextToken"], "--json")
    every = await csms("chargers", "--all", "--json")

    assert disconnected.json()["items"] == []
    assert [charger["id"] for charger in first.json()["items"]] == [CHARGER_16]
    assert [charger["id"] for charger in rest.json()["items"]] == [CHARGER_201]
    assert len(every.json()["items"]) == 2
    limited = await csms("chargers", "--limit", "1")
    assert f"--next-token {first.json()['nextToken']}" in limited.stderr


async def test_charger_shows_identity_connectors_and_configuration(csms: Csms) -> None:
    shown = await csms("charger", CHARGER_201)
    detail = await csms("charger", CHARGER_201, "--json")

    assert shown.code == 0, shown.stderr
    assert "OCPP           2.0.1" in shown.stdout
    assert "Vendor         csms-simulator" in shown.stdout
    assert "\nConnectors\nCONNECTOR  STATUS" in shown.stdout
    assert detail.json()["id"] == CHARGER_201
    assert [connector["evseId"] for connector in detail.json()["connectors"]] == [1, 2]


async def test_an_unknown_charger_exits_4(csms: Csms) -> None:
    shown = await csms("charger", "NO-SUCH-CHARGER")

    assert shown.code == 4
    assert "404 No charge point NO-SUCH-CHARGER" in shown.stderr
    assert shown.stdout == ""


async def test_a_session_started_stopped_and_invoiced_through_the_cli(csms: Csms, api: OperatorApi) -> None:
    tariff = await api.request("PUT", "/tariffs/default", {"currency": "EUR", "sessionFee": "1.50"})
    assert tariff.status == 200, tariff.body

    started = await csms("start", CHARGER_16, "--id-token", ID_TOKEN, "--connector", "1", "--wait", "--json")

    assert started.code == 0, started.stderr
    command = started.json()
    assert (command["action"], command["status"]) == ("RemoteStartTransaction", "Accepted")
    assert command["result"]["transactionStarted"] is True
    assert "Accepted, waiting for TransactionStarted" in started.stderr  # the progress display
    transaction_id = command["result"]["transactionId"]

    active = await csms("sessions", "--active", "--json")
    listed = await csms("sessions", "--charger", CHARGER_16)
    assert [session["transactionId"] for session in active.json()["items"]] == [transaction_id]
    assert listed.stdout.splitlines()[1].split()[:5] == [transaction_id, CHARGER_16, "1", ID_TOKEN, "Active"]

    stopped = await csms("stop", CHARGER_16, transaction_id, "--wait")
    assert stopped.code == 0, stopped.stderr
    assert "Status    Accepted" in stopped.stdout

    await until(lambda: completed(api, transaction_id))
    run = await api.request("POST", "/billing/runs")
    assert run.status == 200, run.body
    (invoice_id,) = run.body["invoiced"]

    invoices = await csms("invoices", "--transaction", transaction_id, "--json")
    table = await csms("invoices", "--charger", CHARGER_16)
    (invoice,) = invoices.json()["items"]
    assert invoice["invoiceId"] == invoice_id
    assert table.stdout.splitlines()[1].startswith(invoice_id)
    assert table.stdout.splitlines()[1].endswith(f"{invoice['total']} EUR")


async def completed(api: OperatorApi, transaction_id: str) -> bool:
    response = await api.request("GET", f"/transactions/{transaction_id}?chargerId={CHARGER_16}")
    return bool(response.body["status"] == "Completed")


async def test_reset_with_wait_shows_progress_until_the_charger_is_back(csms: Csms) -> None:
    reset = await csms("reset", CHARGER_201, "--wait")

    assert reset.code == 0, reset.stderr
    assert "Action    Reset" in reset.stdout
    assert '"cameBack":true' in reset.stdout
    progress = reset.stderr.splitlines()
    assert progress[0].startswith(f"Reset on {CHARGER_201} (command ")
    assert any(line.endswith("Accepted, waiting for BackOnline (up to 30 s)") for line in progress)
    assert progress[-1].endswith(": Accepted")


async def test_wait_gives_up_at_the_timeout_and_exits_6(csms: Csms, api: OperatorApi) -> None:
    # A reset is followed until the charger is back, at least a poll interval (1 s) after its answer.
    waited = await csms("reset", CHARGER_201, "--wait", "--timeout", "0", "--json")

    assert waited.code == 6, waited.stderr
    assert "after 0 s" in waited.stderr
    command_id = waited.json()["commandId"]
    await until(lambda: finished(api, command_id))  # the charger is back for the next tests


async def finished(api: OperatorApi, command_id: str) -> bool:
    return bool((await api.request("GET", f"/commands/{command_id}")).body["finishedAt"])


async def test_any_action_with_a_payload_inline_or_from_a_file(csms: Csms, tmp_path: Path) -> None:
    payload = tmp_path / "payload.json"
    payload.write_text(json.dumps(HEARTBEAT_INTERVAL))

    inline = await csms("command", CHARGER_201, "GetVariables", "--payload", json.dumps(HEARTBEAT_INTERVAL), "--wait")
    from_file = await csms("command", CHARGER_201, "GetVariables", "--payload", f"@{payload}", "--wait", "--json")

    assert inline.code == 0, inline.stderr
    assert "Status    Accepted" in inline.stdout
    assert from_file.code == 0, from_file.stderr
    (result,) = from_file.json()["response"]["getVariableResult"]
    assert result["attributeStatus"] == "Accepted"


async def test_a_command_that_ends_rejected_exits_1(csms: Csms) -> None:
    unlocked = await csms("unlock", CHARGER_16, "--connector", "9", "--wait")

    assert unlocked.code == 1, unlocked.stderr
    assert "Status    Rejected" in unlocked.stdout
    assert '{"status":"NotSupported"}' in unlocked.stdout


async def test_without_wait_the_command_id_is_printed_at_once(csms: Csms, api: OperatorApi) -> None:
    submitted = await csms("availability", CHARGER_16, "operative", "--connector", "2")
    as_json = await csms("unlock", CHARGER_16, "--connector", "2", "--json")

    assert submitted.code == 0, submitted.stderr
    command_id = submitted.stdout.strip()
    uuid.UUID(command_id)
    command = (await api.request("GET", f"/commands/{command_id}")).body
    assert (command["action"], command["request"]) == ("ChangeAvailability", {"connectorId": 2, "type": "Operative"})
    assert as_json.code == 0
    assert set(as_json.json()) == {"commandId"}


async def test_a_payload_the_schema_refuses_exits_5_with_every_reason(csms: Csms) -> None:
    refused = await csms("command", CHARGER_16, "Reset", "--payload", '{"type": "Sideways"}')

    assert refused.code == 5
    assert "422 Invalid command" in refused.stderr
    assert "Sideways" in refused.stderr


@pytest.mark.parametrize("payload", ["{not json", "[1, 2]", "@/no/such/file"])
async def test_a_payload_that_is_no_json_object_exits_2(csms: Csms, payload: str) -> None:
    refused = await csms("command", CHARGER_16, "Reset", "--payload", payload)

    assert refused.code == 2
    assert "argument --payload" in refused.stderr


async def test_credentials_the_api_refuses_exit_3(csms: Csms) -> None:
    refused = await csms("chargers", "--api-token", "not-the-token")

    assert refused.code == 3
    assert "401" in refused.stderr


async def test_a_viewer_lists_but_a_command_it_may_not_send_exits_3(csms: Csms) -> None:
    listed = await csms("chargers", "--api-token", VIEWER_TOKEN)
    refused = await csms("reset", CHARGER_201, "--api-token", VIEWER_TOKEN)

    assert listed.code == 0, listed.stderr
    assert refused.code == 3
    assert f"POST /chargers/{CHARGER_201}/reset: 403 Forbidden" in refused.stderr


async def test_no_credentials_exit_2(csms: Csms) -> None:
    refused = await csms("chargers", CSMS_API_TOKEN="")

    assert refused.code == 2
    assert "no credentials" in refused.stderr


async def test_an_api_that_cannot_be_reached_exits_5(csms: Csms) -> None:
    unreachable = await csms("sessions", "--api-url", "http://127.0.0.1:9/api")

    assert unreachable.code == 5
    assert "Connection refused" in unreachable.stderr


async def test_client_credentials_get_one_token_for_every_request_of_the_process(
    csms: Csms, runtime: LocalRuntime
) -> None:
    with token_endpoint(runtime.token) as endpoint:
        credentials = {"CSMS_CLIENT_ID": CLIENT_ID, "CSMS_CLIENT_SECRET": CLIENT_SECRET, "CSMS_TOKEN_URL": endpoint.url}
        sent = await csms(
            *("command", CHARGER_201, "GetVariables", "--payload", json.dumps(HEARTBEAT_INTERVAL), "--wait"),
            CSMS_API_TOKEN="",
            **credentials,
        )
        refused = await csms("chargers", CSMS_API_TOKEN="", **{**credentials, "CSMS_CLIENT_SECRET": "wrong"})

    assert sent.code == 0, sent.stderr  # a POST and at least one GET, one token
    assert endpoint.granted == [{"grant_type": "client_credentials", "scope": "csms/operator"}]
    assert refused.code == 3
    assert "invalid_client" in refused.stderr
