"""`csms local` under concurrency, through its real WebSockets and operator API: as safe as DynamoDB.

The same StartTransaction (1.6) or TransactionEvent Started (2.0.1) sent at once on a charge
point's old and new connection, and billing runs at once while charge points keep writing. Before
moto served DynamoDB one request at a time (8c03ce6), a failed TransactWriteItems restored copies of
the tables it touched and undid what other writers had written meanwhile: a charge point was given a
transaction id that was never stored, and sessions were wiped in concurrent billing runs.

A replaced connection is closed by the `$connect` of its successor; a copy it sent before the close
reached it is still served (the connection was seen current), so the old connection here reads
nothing while the new one connects, then both send at once. The assertions count what is stored,
whatever the interleaving.
"""

from __future__ import annotations

import asyncio
import itertools
import json
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote

import pytest
import websockets
from websockets.asyncio.client import ClientConnection

from csms.local.runtime import LocalRuntime, running_runtime
from tests.e2e.conftest import PASSWORD, OperatorApi, basic_auth

pytestmark = pytest.mark.e2e

V16, V201 = "ocpp1.6", "ocpp2.0.1"
TAG = "TAG-1"
START = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
BILLING_INTERVAL = 0.3  # seconds: the schedule runs alongside the operator API's runs


def at(minutes: float) -> str:
    return (START + timedelta(minutes=minutes)).isoformat().replace("+00:00", "Z")


class OcppConnection:
    """One OCPP-J WebSocket of a charge point, one CALL at a time; every error frame it receives is kept."""

    _message_ids = itertools.count()

    def __init__(self, websocket: ClientConnection, subprotocol: str) -> None:
        self.websocket = websocket
        self.subprotocol = subprotocol
        self.errors: list[Any] = []

    @classmethod
    async def open(cls, runtime: LocalRuntime, charge_point_id: str, subprotocol: str) -> OcppConnection:
        websocket = await websockets.connect(
            f"{runtime.ws_url}/{charge_point_id}",
            subprotocols=[websockets.Subprotocol(subprotocol)],
            additional_headers=basic_auth(charge_point_id, PASSWORD),
        )
        return cls(websocket, subprotocol)

    async def call(self, action: str, payload: dict[str, Any]) -> dict[str, Any] | None:
        """The CALLRESULT's payload; None if the connection closed first or the CSMS answered an error."""
        return await self.answer(await self.send(action, payload))

    async def send(self, action: str, payload: dict[str, Any]) -> str | None:
        """The CALL's message id; None if the connection was closed."""
        message_id = f"m{next(self._message_ids)}"
        try:
            await self.websocket.send(json.dumps([2, message_id, action, payload]))
        except websockets.ConnectionClosed:
            return None
        return message_id

    async def answer(self, message_id: str | None) -> dict[str, Any] | None:
        """The payload of the CALLRESULT to `message_id`; None if it never came (closed) or was an error."""
        if message_id is None:
            return None
        try:
            while True:
                frame = json.loads(await asyncio.wait_for(self.websocket.recv(), 30))
                if not isinstance(frame, list):  # API Gateway's "Internal server error"
                    self.errors.append(frame)
                    return None
                if frame[1] == message_id:
                    if frame[0] != 3:
                        self.errors.append(frame)
                        return None
                    result: dict[str, Any] = frame[2]
                    return result
        except websockets.ConnectionClosed:
            return None

    def stop_reading(self) -> None:
        """Read nothing more from the socket (a close the CSMS sends is not seen) until `resume_reading`."""
        self.websocket.transport.pause_reading()

    def resume_reading(self) -> None:
        self.websocket.transport.resume_reading()

    async def close(self) -> None:
        await self.websocket.close()


@dataclass(frozen=True)
class Session:
    """What a charge point sends to start and end one session, in its version."""

    subprotocol: str
    number: int
    charge_point_id: str

    @property
    def start(self) -> tuple[str, dict[str, Any]]:
        if self.subprotocol == V16:
            return "StartTransaction", {
                "connectorId": 1,
                "idTag": TAG,
                "meterStart": 1000 * self.number,
                "timestamp": at(self.number),
            }
        return "TransactionEvent", self._event("Started", 0, self.number, 1000 * self.number, "Transaction.Begin")

    def transaction_id(self, answer: dict[str, Any]) -> str:
        """The id the CSMS gave (1.6) or took (2.0.1) in answering the start."""
        if self.subprotocol == V16:
            return str(answer["transactionId"])
        return self._own_transaction_id

    def stop(self, transaction_id: str) -> tuple[str, dict[str, Any]]:
        meter_stop = 1000 * self.number + 500
        if self.subprotocol == V16:
            return "StopTransaction", {
                "transactionId": int(transaction_id),
                "meterStop": meter_stop,
                "timestamp": at(self.number + 0.5),
            }
        return "TransactionEvent", self._event("Ended", 1, self.number + 0.5, meter_stop, "Transaction.End")

    @property
    def _own_transaction_id(self) -> str:
        return f"{self.charge_point_id}-{self.number}"

    def _event(self, event_type: str, seq_no: int, minutes: float, wh: int, context: str) -> dict[str, Any]:
        return {
            "eventType": event_type,
            "timestamp": at(minutes),
            "triggerReason": "Authorized" if event_type == "Started" else "EVDeparted",
            "seqNo": seq_no,
            "transactionInfo": {"transactionId": self._own_transaction_id},
            "evse": {"id": 1, "connectorId": 1},
            "idToken": {"idToken": TAG, "type": "ISO14443"},
            "meterValue": [
                {
                    "timestamp": at(minutes),
                    "sampledValue": [{"value": wh, "measurand": "Energy.Active.Import.Register", "context": context}],
                }
            ],
        }


@dataclass
class ChargePointRecord:
    """What one simulated charge point was told: the transaction ids, and every error."""

    charge_point_id: str
    subprotocol: str
    given: set[str] = field(default_factory=set)
    # Rounds in which both connections' copies were answered, with different transaction ids.
    diverging: int = 0
    errors: list[Any] = field(default_factory=list)


async def boot(connection: OcppConnection) -> None:
    if connection.subprotocol == V16:
        await connection.call("BootNotification", {"chargePointVendor": "Acme", "chargePointModel": "AC-22"})
    else:
        await connection.call(
            "BootNotification", {"chargingStation": {"vendorName": "Acme", "model": "DC-50"}, "reason": "PowerUp"}
        )


async def reconnecting_with_duplicates(runtime: LocalRuntime, record: ChargePointRecord, rounds: int) -> None:
    """Each round: a new connection replaces the current one, and both send the same start at once."""
    current = await OcppConnection.open(runtime, record.charge_point_id, record.subprotocol)
    await boot(current)  # the old connection's frames are served once it was seen current
    for number in range(rounds):
        session = Session(record.subprotocol, number, record.charge_point_id)
        action, payload = session.start
        # The old connection's copy is on the wire before it learns that the new connection replaced it.
        current.stop_reading()
        new = await OcppConnection.open(runtime, record.charge_point_id, record.subprotocol)
        sent = await asyncio.gather(current.send(action, payload), new.send(action, payload))
        current.resume_reading()
        old_answer, new_answer = await asyncio.gather(current.answer(sent[0]), new.answer(sent[1]))
        ids = [session.transaction_id(answer) for answer in (old_answer, new_answer) if answer is not None]
        record.given.update(ids)
        record.diverging += len(set(ids)) > 1
        if ids:
            stop_action, stop_payload = session.stop(ids[-1])
            await new.call(stop_action, stop_payload)
        record.errors += current.errors
        await current.close()
        current = new
    record.errors += current.errors
    await current.close()


async def charging(runtime: LocalRuntime, record: ChargePointRecord, sessions: range) -> None:
    """One session after another on one connection, each started and ended."""
    connection = await OcppConnection.open(runtime, record.charge_point_id, record.subprotocol)
    await boot(connection)
    for number in sessions:
        session = Session(record.subprotocol, number, record.charge_point_id)
        answer = await connection.call(*session.start)
        if answer is not None:
            transaction_id = session.transaction_id(answer)
            record.given.add(transaction_id)
            await connection.call(*session.stop(transaction_id))
    record.errors += connection.errors
    await connection.close()


async def all_items(api: OperatorApi, path: str) -> list[dict[str, Any]]:
    """Every item of a paged listing."""
    items: list[dict[str, Any]] = []
    separator = "&" if "?" in path else "?"
    next_token: str | None = None
    while True:
        query = f"{separator}limit=500" + (f"&nextToken={quote(next_token)}" if next_token else "")
        response = await api.request("GET", path + query)
        assert response.status == 200, response.body
        items += response.body["items"]
        next_token = response.body["nextToken"]
        if next_token is None:
            return items


@pytest.fixture
async def runtime() -> AsyncIterator[LocalRuntime]:
    async with running_runtime(
        port=0,
        billing_interval_seconds=BILLING_INTERVAL,
        extra_env={"POWERTOOLS_METRICS_DISABLED": "true", "POWERTOOLS_LOG_LEVEL": "WARNING"},
    ) as started:
        yield started


@pytest.fixture
async def api(runtime: LocalRuntime) -> OperatorApi:
    api = OperatorApi(runtime)
    response = await api.request("PUT", "/tariffs/default", {"currency": "EUR", "pricePerKwh": "0.30"})
    assert response.status == 200, response.body
    await api.register_token(TAG)
    return api


async def session_problems(api: OperatorApi, record: ChargePointRecord, sessions: int) -> Counter[str]:
    """What went wrong for one charge point that ran `sessions` sessions, each started and ended."""
    stored = {
        t["transactionId"]: t["status"]
        for t in await all_items(api, f"/transactions?chargerId={record.charge_point_id}")
    }
    problems = Counter(
        {
            "error answers to the charge point": len(record.errors),
            "sessions without a transaction id": sessions - len(record.given),
            "transaction ids given, never stored": len(record.given - stored.keys()),
            "transactions stored, never given": len(stored.keys() - record.given),
            "transactions not completed": sum(status != "Completed" for status in stored.values()),
        }
    )
    for transaction_id in record.given:
        response = await api.request("GET", f"/transactions/{transaction_id}?chargerId={record.charge_point_id}")
        problems["transaction ids given, not found by id"] += response.status != 200
    return problems


async def test_a_start_sent_on_two_connections_at_once_is_one_stored_transaction(
    runtime: LocalRuntime, api: OperatorApi
) -> None:
    # Given charge points of both versions that reconnect every round and send their start on both connections
    rounds = 8
    records = [
        *(ChargePointRecord(f"DUP-16-{n}", V16) for n in range(6)),
        *(ChargePointRecord(f"DUP-201-{n}", V201) for n in range(2)),
    ]
    for record in records:
        await api.register_charger(record.charge_point_id)

    # When they all do it at once
    await asyncio.gather(*(reconnecting_with_duplicates(runtime, record, rounds) for record in records))

    # Then both copies of a start were answered alike, and each round made one transaction, stored and ended:
    # no id given that was not stored, no session lost, none left open beside it on the connector
    problems = Counter({"copies of a start given different ids": sum(r.diverging for r in records)})
    for record in records:
        problems += await session_problems(api, record, rounds)
    assert +problems == Counter(), dict(+problems)


async def test_concurrent_billing_runs_invoice_every_session_once_while_charge_points_write(
    runtime: LocalRuntime, api: OperatorApi
) -> None:
    # Given charge points of both versions that ended sessions, queued for billing
    before, during, parallel_runs = 12, 4, 4
    records = [ChargePointRecord(f"BILL-{version}-{n}", version) for version in (V16, V201) for n in range(3)]
    for record in records:
        await api.register_charger(record.charge_point_id)
    await asyncio.gather(*(charging(runtime, record, range(before)) for record in records))

    # When billing runs at once (the operator API's, several at a time, and the schedule's) while they charge on
    charging_on = asyncio.gather(*(charging(runtime, record, range(before, before + during)) for record in records))
    runs = []
    while not charging_on.done():
        runs += await asyncio.gather(*(api.request("POST", "/billing/runs") for _ in range(parallel_runs)))
    await charging_on
    runs.append(await api.request("POST", "/billing/runs"))  # bills what ended after the last runs began

    # Then every session a charge point ran is stored, ended, and invoiced exactly once
    answered = [run.body for run in runs if run.status == 200]
    reported = Counter(invoice_id for run in answered for invoice_id in run["invoiced"])
    invoices = Counter((i["chargerId"], i["transactionId"]) for i in await all_items(api, "/invoices"))
    sessions = {(record.charge_point_id, transaction_id) for record in records for transaction_id in record.given}
    problems = Counter(
        {
            "billing runs answered an error": len(runs) - len(answered),
            "sessions a billing run failed": sum(len(run["failed"]) for run in answered),
            "invoices reported issued twice": sum(count > 1 for count in reported.values()),
            "sessions not invoiced": len(sessions - invoices.keys()),
            "sessions invoiced twice": sum(count > 1 for count in invoices.values()),
        }
    )
    for record in records:
        problems += await session_problems(api, record, before + during)
    assert +problems == Counter(), dict(+problems)
