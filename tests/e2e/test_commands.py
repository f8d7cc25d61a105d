"""Remote commands end to end: the operator API, the embedded runtime's Step Functions (moto) and
worker, and real charge points of both versions (the `ocpp` library's classes) answering.

One runtime serves the whole module (short timeouts: see COMMAND_SETTINGS); each test uses its
own charge points.
"""

import asyncio
import contextlib
import json
import time
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

import pytest
import pytest_asyncio
import websockets
from ocpp.charge_point import camel_to_snake_case
from ocpp.exceptions import NotSupportedError
from ocpp.routing import after, on
from ocpp.v16 import ChargePoint as ChargePoint16
from ocpp.v16 import call as call16
from ocpp.v16 import call_result as result16
from ocpp.v201 import ChargePoint as ChargePoint201
from ocpp.v201 import call as call201
from ocpp.v201 import call_result as result201

from csms import constants
from csms.local.runtime import LocalRuntime
from tests.e2e.charge_points import connected
from tests.e2e.conftest import OperatorApi, module_runtime

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="module")]

ANSWER_TIMEOUT_SECONDS = 5  # a loaded 2-core CI machine took more than 2 s to carry an answer back
COMMAND_SETTINGS = {
    constants.ENV_COMMAND_TIMEOUT_SECONDS: str(ANSWER_TIMEOUT_SECONDS),
    constants.ENV_COMMAND_FOLLOW_UP_TIMEOUT_SECONDS: "15",
    constants.ENV_COMMAND_POLL_INTERVAL_SECONDS: "1",
    "POWERTOOLS_METRICS_DISABLED": "true",
}
OCPP16, OCPP201 = "ocpp1.6", "ocpp2.0.1"
ACCEPTED = {"status": "Accepted"}


def now() -> str:
    return datetime.now(UTC).isoformat().replace("+00:00", "Z")


runtime, api, _environment = module_runtime(COMMAND_SETTINGS)


class Recording:
    """A charge point's WebSocket that logs every frame as it arrives or leaves.

    A reader task takes frames off the socket as soon as they come, so the log shows a CALL that
    arrives while the charge point is still busy with the previous one (the `ocpp` library reads
    the next frame only after handling the current one).
    """

    def __init__(self, connection: Any) -> None:
        self.frames: list[tuple[str, list[Any]]] = []  # ("in" | "out", frame)
        self._connection = connection
        self._inbox: asyncio.Queue[str | None] = asyncio.Queue()
        self._closed: BaseException | None = None
        self._reader = asyncio.get_running_loop().create_task(self._read())

    async def _read(self) -> None:
        try:
            async for frame in self._connection:
                self.frames.append(("in", json.loads(frame)))
                await self._inbox.put(frame)
        except websockets.ConnectionClosed as closed:
            self._closed = closed
        await self._inbox.put(None)

    async def recv(self) -> str:
        frame = await self._inbox.get()
        if frame is None:
            raise self._closed or websockets.ConnectionClosed(None, None)
        return frame

    async def send(self, frame: str) -> None:
        self.frames.append(("out", json.loads(frame)))
        await self._connection.send(frame)


class Commanded:
    """A charge point that answers commands; `answer` sets the response to an action."""

    route_map: dict[str, Any]

    def __init__(self, charge_point_id: str, connection: Any, **options: Any) -> None:
        self.wire = Recording(connection)
        self._background: set[asyncio.Task[Any]] = set()
        super().__init__(charge_point_id, self.wire, **options)  # type: ignore[call-arg]

    def later(self, coroutine: Any) -> None:
        """Run after the current handler: its reply can only be read once that handler returned."""
        task = asyncio.get_running_loop().create_task(coroutine)
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    def answer(self, action: str, response: dict[str, Any]) -> None:
        results = result16 if isinstance(self, ChargePoint16) else result201

        async def handler(**_: Any) -> Any:
            return getattr(results, action)(**camel_to_snake_case(response))

        self.handle(action, handler)

    def handle(self, action: str, handler: Callable[..., Any]) -> None:
        self.route_map[action] = {"_on_action": handler, "_skip_schema_validation": False}

    def calls(self) -> list[tuple[str, dict[str, Any]]]:
        """The CALLs the CSMS sent: (action, payload)."""
        return [(frame[2], frame[3]) for direction, frame in self.wire.frames if direction == "in" and frame[0] == 2]


class ChargePoint16Commands(Commanded, ChargePoint16):
    @on("Reset")
    async def on_reset(self, type: str) -> result16.Reset:
        return result16.Reset(status="Accepted")

    @on("RemoteStartTransaction")
    async def on_remote_start(self, id_tag: str, **_: Any) -> result16.RemoteStartTransaction:
        return result16.RemoteStartTransaction(status="Accepted")

    @after("RemoteStartTransaction")
    async def start_it(self, id_tag: str, connector_id: int = 1, **_: Any) -> None:
        request = call16.StartTransaction(connector_id=connector_id, id_tag=id_tag, meter_start=0, timestamp=now())
        self.later(self.call(request))

    @on("RemoteStopTransaction")
    async def on_remote_stop(self, transaction_id: int) -> result16.RemoteStopTransaction:
        return result16.RemoteStopTransaction(status="Accepted")

    @on("UnlockConnector")
    async def on_unlock(self, connector_id: int) -> result16.UnlockConnector:
        return result16.UnlockConnector(status="Unlocked")

    @on("ChangeAvailability")
    async def on_availability(self, connector_id: int, type: str) -> result16.ChangeAvailability:
        return result16.ChangeAvailability(status="Accepted")

    @on("UpdateFirmware")
    async def on_update_firmware(self, **_: Any) -> result16.UpdateFirmware:
        return result16.UpdateFirmware()

    @after("UpdateFirmware")
    async def install(self, **_: Any) -> None:
        async def report() -> None:
            for status in ("Downloading", "Downloaded", "Installing", "Installed"):
                await self.call(call16.FirmwareStatusNotification(status=status))

        self.later(report())


class ChargePoint201Commands(Commanded, ChargePoint201):
    @on("Reset")
    async def on_reset(self, type: str, **_: Any) -> result201.Reset:
        return result201.Reset(status="Accepted")

    @on("RequestStartTransaction")
    async def on_request_start(self, id_token: dict[str, Any], remote_start_id: int, **_: Any) -> Any:
        return result201.RequestStartTransaction(status="Accepted")

    @after("RequestStartTransaction")
    async def start_it(self, id_token: dict[str, Any], remote_start_id: int, evse_id: int = 1, **_: Any) -> None:
        request = call201.TransactionEvent(
            event_type="Started",
            timestamp=now(),
            trigger_reason="RemoteStart",
            seq_no=0,
            transaction_info={"transaction_id": f"tx-{remote_start_id}", "remote_start_id": remote_start_id},
            id_token=id_token,
            evse={"id": evse_id, "connector_id": 1},
        )
        self.later(self.call(request))

    @on("RequestStopTransaction")
    async def on_request_stop(self, transaction_id: str, **_: Any) -> result201.RequestStopTransaction:
        return result201.RequestStopTransaction(status="Accepted")

    @on("UnlockConnector")
    async def on_unlock(self, evse_id: int, connector_id: int, **_: Any) -> result201.UnlockConnector:
        return result201.UnlockConnector(status="Unlocked")

    @on("ChangeAvailability")
    async def on_availability(self, operational_status: str, **_: Any) -> result201.ChangeAvailability:
        return result201.ChangeAvailability(status="Accepted")

    @on("UpdateFirmware")
    async def on_update_firmware(self, request_id: int, **_: Any) -> result201.UpdateFirmware:
        return result201.UpdateFirmware(status="Accepted")

    @after("UpdateFirmware")
    async def install(self, request_id: int, **_: Any) -> None:
        async def report() -> None:
            for status in ("Downloading", "Downloaded", "Installing", "Installed"):
                await self.call(call201.FirmwareStatusNotification(status=status, request_id=request_id))

        self.later(report())


@contextlib.asynccontextmanager
async def commanded(
    runtime: LocalRuntime, api: OperatorApi, charge_point_id: str, subprotocol: str
) -> AsyncIterator[Any]:
    """A registered, connected and booted charge point that answers commands and logs its frames."""
    await api.register_charger(charge_point_id)
    charge_point_class = ChargePoint16Commands if subprotocol == OCPP16 else ChargePoint201Commands
    async with connected(runtime, charge_point_id, subprotocol, charge_point_class=charge_point_class) as charge_point:
        await boot(charge_point, subprotocol)
        yield charge_point


async def boot(charge_point: Any, subprotocol: str) -> None:
    if subprotocol == OCPP16:
        await charge_point.call(call16.BootNotification(charge_point_vendor="Acme", charge_point_model="AC-22"))
    else:
        station = {"vendor_name": "Acme", "model": "AC-22"}
        await charge_point.call(call201.BootNotification(charging_station=station, reason="PowerUp"))


async def submit(api: OperatorApi, charger_id: str, path: str, body: dict[str, Any]) -> str:
    response = await api.request("POST", f"/chargers/{charger_id}/{path}", body)
    assert response.status == 202, response.body
    command_id: str = response.body["commandId"]
    return command_id


async def command(api: OperatorApi, command_id: str) -> dict[str, Any]:
    response = await api.request("GET", f"/commands/{command_id}")
    assert response.status == 200, response.body
    body: dict[str, Any] = response.body
    return body


async def eventually(
    api: OperatorApi, command_id: str, done: Callable[[dict[str, Any]], bool], timeout: float = 20
) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        found = await command(api, command_id)
        if done(found):
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"command did not get there in time: {found}")
        await asyncio.sleep(0.1)


def answered(found: dict[str, Any]) -> bool:
    return found["status"] not in ("Pending", "Sent")


def finished(found: dict[str, Any]) -> bool:
    return found["finishedAt"] is not None


# Shortcuts -------------------------------------------------------------------------------------


SHORTCUTS = [
    (OCPP16, "stop", {"transactionId": 7}, "RemoteStopTransaction", {"transactionId": 7}, ACCEPTED),
    (OCPP201, "stop", {"transactionId": "tx-7"}, "RequestStopTransaction", {"transactionId": "tx-7"}, ACCEPTED),
    (OCPP16, "unlock", {"connectorId": 1}, "UnlockConnector", {"connectorId": 1}, {"status": "Unlocked"}),
    (
        OCPP201,
        "unlock",
        {"evseId": 1, "connectorId": 2},
        "UnlockConnector",
        {"evseId": 1, "connectorId": 2},
        {"status": "Unlocked"},
    ),
    (
        OCPP16,
        "availability",
        {"status": "inoperative", "connectorId": 1},
        "ChangeAvailability",
        {"connectorId": 1, "type": "Inoperative"},
        ACCEPTED,
    ),
    (
        OCPP201,
        "availability",
        {"status": "operative"},
        "ChangeAvailability",
        {"operationalStatus": "Operative"},
        ACCEPTED,
    ),
]


@pytest.mark.parametrize(("subprotocol", "path", "body", "action", "payload", "response"), SHORTCUTS)
async def test_shortcuts(
    runtime: LocalRuntime,
    api: OperatorApi,
    subprotocol: str,
    path: str,
    body: dict[str, Any],
    action: str,
    payload: dict[str, Any],
    response: dict[str, Any],
) -> None:
    charger_id = f"SC-{subprotocol[4:]}-{path}"
    async with commanded(runtime, api, charger_id, subprotocol) as charge_point:
        command_id = await submit(api, charger_id, path, body)

        found = await eventually(api, command_id, finished)

        assert charge_point.calls() == [(action, payload)]
        assert (found["status"], found["response"], found["error"]) == ("Accepted", response, None)
        # As times: the API writes a whole second without a fraction ("...17Z" sorts after "...17.011Z" as text).
        times = [datetime.fromisoformat(found[key]) for key in ("sentAt", "answeredAt", "finishedAt")]
        assert times == sorted(times)


def local_list_entry(subprotocol: str, id_token: str) -> dict[str, Any]:
    """How a SendLocalList of `subprotocol` carries an accepted token registered without a type."""
    if subprotocol == OCPP16:
        return {"idTag": id_token, "idTagInfo": {"status": "Accepted"}}
    return {"idToken": {"idToken": id_token, "type": "ISO14443"}, "idTokenInfo": {"status": "Accepted"}}


@pytest.mark.parametrize("subprotocol", [OCPP16, OCPP201])
async def test_the_local_list_arrives_with_the_tokens_numbered_one_then_two(
    runtime: LocalRuntime, api: OperatorApi, subprotocol: str
) -> None:
    charger_id = f"LIST-{subprotocol[4:]}"
    tokens = [f"{charger_id}-{n}" for n in (1, 2)]
    for token in tokens:
        await api.register_token(token)
    async with commanded(runtime, api, charger_id, subprotocol) as charge_point:
        charge_point.answer("SendLocalList", ACCEPTED)

        for _ in range(2):
            found = await eventually(api, await submit(api, charger_id, "local-list", {}), finished)
            assert (found["status"], found["error"]) == ("Accepted", None)

    # The list of every token (other tests' tokens too: one runtime serves the module), numbered 1, then 2
    version = "listVersion" if subprotocol == OCPP16 else "versionNumber"
    sent = charge_point.calls()
    assert [(action, payload[version], payload["updateType"]) for action, payload in sent] == [
        ("SendLocalList", 1, "Full"),
        ("SendLocalList", 2, "Full"),
    ]
    expected = [local_list_entry(subprotocol, token) for token in tokens]
    for _, payload in sent:
        assert [entry for entry in payload["localAuthorizationList"] if entry in expected] == expected
    listed = await api.request("GET", f"/chargers/{charger_id}/local-list")
    assert listed.body["version"] == 2


@pytest.mark.parametrize("subprotocol", [OCPP16, OCPP201])
async def test_remote_start_follows_the_transaction(runtime: LocalRuntime, api: OperatorApi, subprotocol: str) -> None:
    charger_id = f"START-{subprotocol[4:]}"
    await api.register_token("TAG-START")
    async with commanded(runtime, api, charger_id, subprotocol):
        where = {"connectorId": 1} if subprotocol == OCPP16 else {"evseId": 1}
        command_id = await submit(api, charger_id, "start", {"idToken": "TAG-START", **where})

        found = await eventually(api, command_id, finished)

        assert found["status"] == "Accepted"
        assert found["result"]["transactionStarted"] is True
        transaction = await api.request(
            "GET", f"/transactions/{found['result']['transactionId']}?chargerId={charger_id}"
        )
        assert transaction.status == 200
        assert transaction.body["idToken"] == "TAG-START"


@pytest.mark.parametrize("subprotocol", [OCPP16, OCPP201])
async def test_reset_follows_the_charge_point_back(runtime: LocalRuntime, api: OperatorApi, subprotocol: str) -> None:
    charger_id = f"RESET-{subprotocol[4:]}"
    async with commanded(runtime, api, charger_id, subprotocol) as charge_point:
        command_id = await submit(api, charger_id, "reset", {"type": "hard"})
        accepted = await eventually(api, command_id, answered)
        assert charge_point.calls() == [("Reset", {"type": "Hard" if subprotocol == OCPP16 else "Immediate"})]
        assert (accepted["status"], accepted["finishedAt"]) == ("Accepted", None)

    # The charge point restarts: it reconnects and boots
    async with commanded(runtime, api, charger_id, subprotocol):
        found = await eventually(api, command_id, finished)

    assert found["result"] == {"cameBack": True, "booted": True, "reconnected": True}


@pytest.mark.parametrize("subprotocol", [OCPP16, OCPP201])
async def test_firmware_update_follows_the_status_notifications(
    runtime: LocalRuntime, api: OperatorApi, subprotocol: str
) -> None:
    charger_id = f"FW-{subprotocol[4:]}"
    location = "https://firmware.example.com/ac-22/2.0.bin"
    payload: dict[str, Any] = (
        {"location": location, "retrieveDate": now()}
        if subprotocol == OCPP16
        else {"requestId": 5, "firmware": {"location": location, "retrieveDateTime": now()}}
    )
    async with commanded(runtime, api, charger_id, subprotocol):
        command_id = await submit(api, charger_id, "commands", {"action": "UpdateFirmware", "payload": payload})

        found = await eventually(api, command_id, finished)

    assert found["result"] == {"installed": True, "firmwareStatus": "Installed"}


# Raw commands, every action of both versions ------------------------------------------------------

SCHEDULE_16 = {"chargingRateUnit": "A", "chargingSchedulePeriod": [{"startPeriod": 0, "limit": 16.0}]}
PROFILE_16 = {
    "chargingProfileId": 1,
    "stackLevel": 0,
    "chargingProfilePurpose": "TxDefaultProfile",
    "chargingProfileKind": "Relative",
    "chargingSchedule": SCHEDULE_16,
}
SCHEDULE_201 = {"id": 1, "chargingRateUnit": "A", "chargingSchedulePeriod": [{"startPeriod": 0, "limit": 16.0}]}
PROFILE_201 = {
    "id": 1,
    "stackLevel": 0,
    "chargingProfilePurpose": "TxDefaultProfile",
    "chargingProfileKind": "Relative",
    "chargingSchedule": [SCHEDULE_201],
}
COMPONENT = {"name": "OCPPCommCtrlr"}
VARIABLE = {"name": "HeartbeatInterval"}
ID_TOKEN = {"idToken": "TAG", "type": "ISO14443"}
LATER = "2026-12-01T00:00:00Z"

# (action, request payload, response payload, expected status)
RAW_16 = [
    ("RemoteStartTransaction", {"idTag": "TAG", "connectorId": 2}, {"status": "Rejected"}, "Rejected"),
    ("RemoteStopTransaction", {"transactionId": 1}, ACCEPTED, "Accepted"),
    ("Reset", {"type": "Soft"}, {"status": "Rejected"}, "Rejected"),
    ("UnlockConnector", {"connectorId": 1}, {"status": "UnlockFailed"}, "Rejected"),
    ("ChangeAvailability", {"connectorId": 0, "type": "Inoperative"}, {"status": "Scheduled"}, "Accepted"),
    ("ChangeConfiguration", {"key": "HeartbeatInterval", "value": "60"}, {"status": "RebootRequired"}, "Accepted"),
    (
        "GetConfiguration",
        {"key": ["HeartbeatInterval"]},
        {"configurationKey": [{"key": "HeartbeatInterval", "readonly": False, "value": "300"}]},
        "Accepted",
    ),
    ("ClearCache", {}, ACCEPTED, "Accepted"),
    ("DataTransfer", {"vendorId": "Acme", "messageId": "Ping"}, {"status": "UnknownVendorId"}, "Rejected"),
    ("TriggerMessage", {"requestedMessage": "StatusNotification", "connectorId": 1}, ACCEPTED, "Accepted"),
    ("GetDiagnostics", {"location": "ftp://logs.example.com/"}, {"fileName": "diag.zip"}, "Accepted"),
    ("UpdateFirmware", {"location": "https://fw.example.com/1.bin", "retrieveDate": LATER}, {}, "Accepted"),
    (
        "SendLocalList",
        {"listVersion": 2, "updateType": "Full", "localAuthorizationList": [{"idTag": "TAG"}]},
        {"status": "VersionMismatch"},
        "Rejected",
    ),
    ("GetLocalListVersion", {}, {"listVersion": 1}, "Accepted"),
    (
        "ReserveNow",
        {"connectorId": 1, "expiryDate": LATER, "idTag": "TAG", "reservationId": 3},
        {"status": "Occupied"},
        "Rejected",
    ),
    ("CancelReservation", {"reservationId": 3}, ACCEPTED, "Accepted"),
    ("SetChargingProfile", {"connectorId": 1, "csChargingProfiles": PROFILE_16}, ACCEPTED, "Accepted"),
    ("ClearChargingProfile", {"id": 1}, {"status": "Unknown"}, "Rejected"),
    (
        "GetCompositeSchedule",
        {"connectorId": 1, "duration": 3600},
        {"status": "Accepted", "connectorId": 1, "chargingSchedule": SCHEDULE_16},
        "Accepted",
    ),
]
RAW_201 = [
    (
        "RequestStartTransaction",
        {"idToken": ID_TOKEN, "remoteStartId": 9, "evseId": 2},
        {"status": "Rejected"},
        "Rejected",
    ),
    ("RequestStopTransaction", {"transactionId": "tx-1"}, ACCEPTED, "Accepted"),
    ("Reset", {"type": "OnIdle"}, {"status": "Scheduled"}, "Accepted"),
    ("UnlockConnector", {"evseId": 1, "connectorId": 1}, {"status": "UnknownConnector"}, "Rejected"),
    ("ChangeAvailability", {"operationalStatus": "Inoperative", "evse": {"id": 1}}, ACCEPTED, "Accepted"),
    (
        "SetVariables",
        {"setVariableData": [{"attributeValue": "60", "component": COMPONENT, "variable": VARIABLE}]},
        {"setVariableResult": [{"attributeStatus": "Accepted", "component": COMPONENT, "variable": VARIABLE}]},
        "Accepted",
    ),
    (
        "GetVariables",
        {"getVariableData": [{"component": COMPONENT, "variable": VARIABLE}]},
        {
            "getVariableResult": [
                {"attributeStatus": "Accepted", "attributeValue": "300", "component": COMPONENT, "variable": VARIABLE}
            ]
        },
        "Accepted",
    ),
    ("GetBaseReport", {"requestId": 1, "reportBase": "FullInventory"}, ACCEPTED, "Accepted"),
    (
        "GetReport",
        {"requestId": 2, "componentVariable": [{"component": COMPONENT}]},
        {"status": "EmptyResultSet"},
        "Accepted",
    ),
    ("TriggerMessage", {"requestedMessage": "Heartbeat"}, {"status": "NotImplemented"}, "Rejected"),
    ("ClearCache", {}, ACCEPTED, "Accepted"),
    ("DataTransfer", {"vendorId": "Acme"}, {"status": "UnknownVendorId"}, "Rejected"),
    (
        "GetLog",
        {"logType": "DiagnosticsLog", "requestId": 3, "log": {"remoteLocation": "https://logs.example.com/"}},
        {"status": "Accepted", "filename": "diag.zip"},
        "Accepted",
    ),
    (
        "UpdateFirmware",
        {"requestId": 4, "firmware": {"location": "https://fw.example.com/2.bin", "retrieveDateTime": LATER}},
        {"status": "InvalidCertificate"},
        "Rejected",
    ),
    (
        "SendLocalList",
        {"versionNumber": 2, "updateType": "Full", "localAuthorizationList": [{"idToken": ID_TOKEN}]},
        ACCEPTED,
        "Accepted",
    ),
    ("GetLocalListVersion", {}, {"versionNumber": 2}, "Accepted"),
    ("ReserveNow", {"id": 5, "expiryDateTime": LATER, "idToken": ID_TOKEN, "evseId": 1}, ACCEPTED, "Accepted"),
    ("CancelReservation", {"reservationId": 5}, {"status": "Rejected"}, "Rejected"),
    ("SetChargingProfile", {"evseId": 1, "chargingProfile": PROFILE_201}, ACCEPTED, "Accepted"),
    ("ClearChargingProfile", {"chargingProfileId": 1}, ACCEPTED, "Accepted"),
    (
        "GetChargingProfiles",
        {"requestId": 6, "chargingProfile": {"stackLevel": 0}},
        {"status": "NoProfiles"},
        "Accepted",
    ),
    (
        "GetCompositeSchedule",
        {"duration": 3600, "evseId": 1},
        {
            "status": "Accepted",
            "schedule": {
                "evseId": 1,
                "duration": 3600,
                "scheduleStart": LATER,
                "chargingRateUnit": "A",
                "chargingSchedulePeriod": [{"startPeriod": 0, "limit": 16.0}],
            },
        },
        "Accepted",
    ),
    (
        "SetDisplayMessage",
        {"message": {"id": 1, "priority": "NormalCycle", "message": {"format": "UTF8", "content": "Hello"}}},
        {"status": "NotSupportedPriority"},
        "Rejected",
    ),
    ("GetDisplayMessages", {"requestId": 7}, {"status": "Unknown"}, "Rejected"),
    ("ClearDisplayMessage", {"id": 1}, ACCEPTED, "Accepted"),
    ("CostUpdated", {"totalCost": 12.5, "transactionId": "tx-1"}, {}, "Accepted"),
    (
        "GetTransactionStatus",
        {"transactionId": "tx-1"},
        {"ongoingIndicator": True, "messagesInQueue": False},
        "Accepted",
    ),
    ("SetMonitoringBase", {"monitoringBase": "All"}, ACCEPTED, "Accepted"),
    (
        "SetVariableMonitoring",
        {
            "setMonitoringData": [
                {"value": 10, "type": "Delta", "severity": 5, "component": COMPONENT, "variable": VARIABLE}
            ]
        },
        {
            "setMonitoringResult": [
                {"status": "Accepted", "type": "Delta", "severity": 5, "component": COMPONENT, "variable": VARIABLE}
            ]
        },
        "Accepted",
    ),
    ("ClearVariableMonitoring", {"id": [1]}, {"clearMonitoringResult": [{"status": "Accepted", "id": 1}]}, "Accepted"),
    (
        "SetNetworkProfile",
        {
            "configurationSlot": 1,
            "connectionData": {
                "ocppVersion": "OCPP20",
                "ocppTransport": "JSON",
                "ocppCsmsUrl": "wss://csms.example.com/ocpp",
                "messageTimeout": 30,
                "securityProfile": 2,
                "ocppInterface": "Wired0",
            },
        },
        {"status": "Failed"},
        "Rejected",
    ),
]


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def raw_charge_points(runtime: LocalRuntime, api: OperatorApi) -> AsyncIterator[dict[str, Any]]:
    """One charge point per version for the whole table (connecting once is faster)."""
    async with (
        commanded(runtime, api, "RAW-16", OCPP16) as charge_point16,
        commanded(runtime, api, "RAW-201", OCPP201) as charge_point201,
    ):
        yield {OCPP16: charge_point16, OCPP201: charge_point201}


@pytest.mark.parametrize(
    ("subprotocol", "action", "request_payload", "response", "status"),
    [(OCPP16, *case) for case in RAW_16] + [(OCPP201, *case) for case in RAW_201],
    ids=[f"1.6-{case[0]}" for case in RAW_16] + [f"2.0.1-{case[0]}" for case in RAW_201],
)
async def test_raw_commands(
    api: OperatorApi,
    raw_charge_points: dict[str, Any],
    subprotocol: str,
    action: str,
    request_payload: dict[str, Any],
    response: dict[str, Any],
    status: str,
) -> None:
    charge_point = raw_charge_points[subprotocol]
    charge_point.answer(action, response)
    earlier = len(charge_point.calls())

    command_id = await submit(api, charge_point.id, "commands", {"action": action, "payload": request_payload})
    found = await eventually(api, command_id, answered)

    assert charge_point.calls()[earlier:] == [(action, request_payload)]
    assert (found["status"], found["response"], found["error"]) == (status, response, None)


# Failures ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("subprotocol", [OCPP16, OCPP201])
async def test_an_invalid_payload_is_refused_and_nothing_is_sent(
    runtime: LocalRuntime, api: OperatorApi, subprotocol: str
) -> None:
    charger_id = f"INVALID-{subprotocol[4:]}"
    async with commanded(runtime, api, charger_id, subprotocol) as charge_point:
        response = await api.request(
            "POST", f"/chargers/{charger_id}/commands", {"action": "Reset", "payload": {"type": "Sideways"}}
        )
        await asyncio.sleep(0.5)

        assert response.status == 422
        assert len(response.body["reasons"]) == 1
        assert response.body["reasons"][0].startswith("type: 'Sideways' is not one of")
        assert charge_point.calls() == []
        assert (await api.request("GET", f"/chargers/{charger_id}/commands")).body["items"] == []


@pytest.mark.parametrize("subprotocol", [OCPP16, OCPP201])
async def test_a_callerror_fails_the_command_with_its_code(
    runtime: LocalRuntime, api: OperatorApi, subprotocol: str
) -> None:
    charger_id = f"CALLERROR-{subprotocol[4:]}"
    async with commanded(runtime, api, charger_id, subprotocol) as charge_point:

        async def refuse(**_: Any) -> Any:
            raise NotSupportedError(description="No cache in this model")

        charge_point.handle("ClearCache", refuse)

        command_id = await submit(api, charger_id, "commands", {"action": "ClearCache"})
        found = await eventually(api, command_id, finished)

    assert found["status"] == "Failed"
    assert found["error"] == {"code": "NotSupported", "description": "No cache in this model"}
    assert found["answeredAt"] is not None


async def test_a_charge_point_that_never_answers_times_out(runtime: LocalRuntime, api: OperatorApi) -> None:
    charger_id = "SILENT"
    async with commanded(runtime, api, charger_id, OCPP16) as charge_point:
        silence = asyncio.Event()

        async def never(**_: Any) -> Any:
            await silence.wait()

        charge_point.handle("ClearCache", never)

        started = time.monotonic()
        command_id = await submit(api, charger_id, "commands", {"action": "ClearCache"})
        found = await eventually(api, command_id, finished)
        silence.set()

    assert found["status"] == "TimedOut"
    assert found["error"]["code"] == "Timeout"
    assert time.monotonic() - started >= ANSWER_TIMEOUT_SECONDS


async def test_an_offline_charge_point_fails_at_once(runtime: LocalRuntime, api: OperatorApi) -> None:
    charger_id = "GONE-AWAY"
    async with commanded(runtime, api, charger_id, OCPP201):
        pass
    await eventually_disconnected(api, charger_id)

    started = time.monotonic()
    command_id = await submit(api, charger_id, "reset", {"type": "soft"})
    found = await eventually(api, command_id, finished)

    assert found["status"] == "Offline"
    assert found["sentAt"] is None
    assert time.monotonic() - started < ANSWER_TIMEOUT_SECONDS


async def eventually_disconnected(api: OperatorApi, charger_id: str) -> None:
    for _ in range(50):
        if not (await api.request("GET", f"/chargers/{charger_id}")).body["connected"]:
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"{charger_id} still connected")


@pytest.mark.parametrize("subprotocol", [OCPP16, OCPP201])
async def test_commands_to_one_charge_point_are_sent_one_after_the_other(
    runtime: LocalRuntime, api: OperatorApi, subprotocol: str
) -> None:
    charger_id = f"SERIAL-{subprotocol[4:]}"
    async with commanded(runtime, api, charger_id, subprotocol) as charge_point:

        async def slowly(**_: Any) -> Any:
            await asyncio.sleep(0.5)
            return (result16 if subprotocol == OCPP16 else result201).ClearCache(status="Accepted")

        charge_point.handle("ClearCache", slowly)

        # Back to back: the second comes while the first CALL is still unanswered
        first = await submit(api, charger_id, "commands", {"action": "ClearCache"})
        second = await submit(api, charger_id, "commands", {"action": "ClearCache"})
        for command_id in (first, second):
            assert (await eventually(api, command_id, finished))["status"] == "Accepted"

    # On the wire: a CALL, its answer, then the next CALL and its answer, never two CALLs outstanding
    wire = [
        ("call" if frame[0] == 2 else "answer", frame[1])
        for direction, frame in charge_point.wire.frames
        if (direction, frame[0]) in (("in", 2), ("out", 3))
    ]
    assert [kind for kind, _ in wire] == ["call", "answer", "call", "answer"]
    assert wire[0][1] == wire[1][1]
    assert wire[2][1] == wire[3][1]


@pytest.mark.parametrize("count", [3, 20])
async def test_queued_commands_arrive_in_the_order_submitted(
    runtime: LocalRuntime, api: OperatorApi, count: int
) -> None:
    """ChangeConfiguration 1, 2, 3 submitted back to back leaves the charge point on 3, never on 2."""
    charger_id = f"ORDER-{count}"
    async with commanded(runtime, api, charger_id, OCPP16) as charge_point:
        charge_point.answer("ChangeConfiguration", ACCEPTED)
        values = [str(value) for value in range(1, count + 1)]

        command_ids = [
            await submit(
                api,
                charger_id,
                "commands",
                {"action": "ChangeConfiguration", "payload": {"key": "MeterValueSampleInterval", "value": value}},
            )
            for value in values
        ]
        found = [await eventually(api, command_id, finished) for command_id in command_ids]

    assert [payload["value"] for _, payload in charge_point.calls()] == values
    assert [command["status"] for command in found] == ["Accepted"] * count


async def test_commands_are_listed_newest_first(runtime: LocalRuntime, api: OperatorApi) -> None:
    charger_id = "LISTED"
    async with commanded(runtime, api, charger_id, OCPP16):
        submitted = []
        for _ in range(3):
            command_id = await submit(api, charger_id, "commands", {"action": "ClearCache"})
            await eventually(api, command_id, finished)
            submitted.append(command_id)

    first = (await api.request("GET", f"/chargers/{charger_id}/commands?limit=2")).body
    next_page = f"/chargers/{charger_id}/commands?limit=2&nextToken={quote(first['nextToken'])}"
    second = (await api.request("GET", next_page)).body

    assert [c["commandId"] for c in first["items"] + second["items"]] == submitted[::-1]
