"""`csms local --data-dir`: stopped (SIGTERM) or killed (SIGKILL) while a charger is mid-transaction,
then started again, it still knows the charger, its token and tariff, the session with its meter
values; the charger reconnects and stops the session, which ends with the right energy and invoice,
and the next session gets the next transaction id."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from websockets.asyncio.client import ClientConnection, connect

from tests.e2e.conftest import PASSWORD, ApiResponse, OperatorApi, basic_auth

pytestmark = pytest.mark.e2e

REPO = Path(__file__).resolve().parents[2]
TOKEN = "restart-test-token"


@dataclass
class Csms:
    """`csms local` in its own process, as a user runs it."""

    process: asyncio.subprocess.Process
    base_url: str

    @property
    def ws_url(self) -> str:
        return self.base_url.replace("http://", "ws://") + "/ocpp"

    @property
    def api_url(self) -> str:
        return f"{self.base_url}/api"

    @property
    def token(self) -> str:
        return TOKEN


async def start_csms(data_dir: Path, settings: Mapping[str, str] | None = None) -> Csms:
    """`settings`: environment variables of its functions (those the CLI does not set)."""
    process = await asyncio.create_subprocess_exec(
        *(sys.executable, "-m", "csms.cli", "local", "--port", "0", f"--api-token={TOKEN}"),
        *("--data-dir", str(data_dir), "--billing-interval", "0", "--cost-update-interval", "0"),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.DEVNULL,
        env={**os.environ, **(settings or {}), "PYTHONPATH": os.pathsep.join([str(REPO / "layers"), str(REPO)])},
    )
    assert process.stdout is not None
    while True:
        line = (await asyncio.wait_for(process.stdout.readline(), timeout=60)).decode()
        assert line, "csms local exited before it was ready"
        if "Operator API:" in line:
            api_url = line.split()[2]
            return Csms(process, api_url.removesuffix("/api"))


async def stop_csms(csms: Csms, signum: signal.Signals) -> int:
    csms.process.send_signal(signum)
    return await asyncio.wait_for(csms.process.wait(), timeout=30)


@asynccontextmanager
async def charger(csms: Csms, charger_id: str) -> AsyncIterator[ClientConnection]:
    async with connect(
        f"{csms.ws_url}/{charger_id}", subprotocols=["ocpp1.6"], additional_headers=basic_auth(charger_id, PASSWORD)
    ) as connection:  # type: ignore[list-item]
        yield connection


async def call(connection: ClientConnection, action: str, payload: dict[str, Any]) -> Any:
    message_id = f"{action}-{id(payload)}"
    await connection.send(json.dumps([2, message_id, action, payload]))
    answer = json.loads(await asyncio.wait_for(connection.recv(), timeout=30))
    assert answer[:2] == [3, message_id], answer
    return answer[2]


def energy(wh: int, timestamp: str) -> list[dict[str, Any]]:
    sample = {"value": str(wh), "measurand": "Energy.Active.Import.Register"}
    return [{"timestamp": timestamp, "sampledValue": [sample]}]


async def ok(response: Any) -> ApiResponse:
    answered: ApiResponse = await response
    assert answered.status == 200, answered.body
    return answered


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGKILL], ids=["sigterm", "sigkill"])
async def test_a_charger_mid_transaction_carries_on_across_a_restart(tmp_path: Path, signum: signal.Signals) -> None:
    data_dir = tmp_path / "csms"
    csms = await start_csms(data_dir)
    try:
        api = OperatorApi(csms)  # type: ignore[arg-type]
        await ok(api.request("PUT", "/tariffs/ac", {"currency": "EUR", "pricePerKwh": "0.40", "taxRate": "0.2"}))
        await api.register_charger("CP-R")
        await ok(api.request("PUT", "/chargers/CP-R", {"password": PASSWORD, "tariffId": "ac"}))
        await api.register_token("TAG-R")
        async with charger(csms, "CP-R") as connection:
            boot = {"chargePointVendor": "Acme", "chargePointModel": "AC-22"}
            assert (await call(connection, "BootNotification", boot))["status"] == "Accepted"
            started = await call(
                connection,
                "StartTransaction",
                {"connectorId": 1, "idTag": "TAG-R", "meterStart": 1000, "timestamp": "2026-11-23T09:00:00Z"},
            )
            transaction_id = started["transactionId"]
            meter_values = {"connectorId": 1, "transactionId": transaction_id}
            await call(connection, "MeterValues", {**meter_values, "meterValue": energy(4000, "2026-11-23T09:30:00Z")})

            # When the CSMS stops (or is killed) while the session runs, and starts again
            exit_code = await stop_csms(csms, signum)
        assert exit_code == (0 if signum is signal.SIGTERM else -signal.SIGKILL)
        csms = await start_csms(data_dir)
        api = OperatorApi(csms)  # type: ignore[arg-type]

        # Then it knows everything it knew, and that the charger's connection ended
        known = (await ok(api.request("GET", "/chargers/CP-R"))).body
        assert (known["tariffId"], known["connected"]) == ("ac", False)
        assert (await ok(api.request("GET", "/id-tokens/TAG-R"))).body["status"] == "Accepted"
        assert (await ok(api.request("GET", "/tariffs/ac"))).body["pricePerKwh"] == "0.40"
        session = (await ok(api.request("GET", f"/transactions/{transaction_id}"))).body
        assert session["status"] == "Active"

        # and the charger reconnects and carries on
        async with charger(csms, "CP-R") as connection:
            await call(connection, "MeterValues", {**meter_values, "meterValue": energy(7000, "2026-11-23T09:45:00Z")})
            stop = {
                "transactionId": transaction_id,
                "idTag": "TAG-R",
                "meterStop": 9000,
                "timestamp": "2026-11-23T10:00:00Z",
            }
            assert (await call(connection, "StopTransaction", stop))["idTagInfo"]["status"] == "Accepted"
            start = {"connectorId": 1, "idTag": "TAG-R", "meterStart": 9000, "timestamp": "2026-11-23T11:00:00Z"}
            assert (await call(connection, "StartTransaction", start))["transactionId"] == transaction_id + 1

        ended = (await ok(api.request("GET", f"/transactions/{transaction_id}"))).body
        assert (ended["status"], ended["energyWh"]) == ("Completed", "8000")
        run = (await ok(api.request("POST", "/billing/runs"))).body
        (invoice_id,) = run["invoiced"]
        invoice = (await ok(api.request("GET", f"/invoices/{invoice_id}"))).body
        assert (invoice["energyWh"], invoice["net"], invoice["total"]) == ("8000", "3.20", "3.84")
    finally:
        if csms.process.returncode is None:
            await stop_csms(csms, signal.SIGTERM)
