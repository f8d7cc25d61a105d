"""Bad frames get the CALLERROR their OCPP version prescribes, and the connection stays up."""

import json

import pytest
import websockets

from csms.local.runtime import LocalRuntime
from tests.e2e.conftest import OperatorApi, basic_auth

pytestmark = pytest.mark.e2e

# (frame, expected message id, OCPP 1.6 code, OCPP 2.0.1 code)
CASES = [
    ("not json at all", "-1", "FormationViolation", "FormatViolation"),
    ('{"an": "object"}', "-1", "ProtocolError", "ProtocolError"),
    ("[2]", "-1", "ProtocolError", "ProtocolError"),
    ('[2, "m1", "Heartbeat"]', "m1", "ProtocolError", "ProtocolError"),
    ('[9, "m2", "Heartbeat", {}]', "m2", "PropertyConstraintViolation", "MessageTypeNotSupported"),
    ('[2, "m3", "NoSuchAction", {}]', "m3", "NotImplemented", "NotImplemented"),
    ('[2, "m4", "Reset", {"type": "Hard"}]', "m4", "NotSupported", "NotSupported"),
    ('[2, "m5", "Authorize", {}]', "m5", "ProtocolError", "ProtocolError"),
    ('[2, "m6", "Heartbeat", {"unexpected": 1}]', "m6", "FormationViolation", "FormatViolation"),
]
TYPE_ERRORS = {
    "1.6": '[2, "m7", "StatusNotification", {"connectorId": "one", "errorCode": "NoError", "status": "Available"}]',
    "2.0.1": '[2, "m7", "StatusNotification", {"timestamp": "2026-11-23T10:00:00Z", "connectorStatus": '
    '"Available", "evseId": "one", "connectorId": 1}]',
}


@pytest.mark.parametrize("version", ["1.6", "2.0.1"])
async def test_each_bad_frame_gets_its_callerror(runtime: LocalRuntime, api: OperatorApi, version: str) -> None:
    charger_id = f"CP-BAD-{version}"
    await api.register_charger(charger_id)
    async with websockets.connect(
        f"{runtime.ws_url}/{charger_id}",
        subprotocols=[f"ocpp{version}"],
        additional_headers=basic_auth(charger_id, "correct-horse-battery"),
    ) as ws:
        cases = [(frame, mid, codes[0] if version == "1.6" else codes[1]) for frame, mid, *codes in CASES]
        cases.append((TYPE_ERRORS[version], "m7", "TypeConstraintViolation"))
        for frame, message_id, code in cases:
            await ws.send(frame)
            reply = json.loads(await ws.recv())
            assert reply[:3] == [4, message_id, code], frame
            assert isinstance(reply[3], str)
            assert isinstance(reply[4], dict)
        # The connection is still up and answers a valid call, and nothing was stored by the bad frames
        await ws.send('[2, "ok", "Heartbeat", {}]')
        reply = json.loads(await ws.recv())
        assert reply[:2] == [3, "ok"]
        assert "currentTime" in reply[2]
    charger = (await api.request("GET", f"/chargers/{charger_id}")).body
    assert charger["connectors"] == []
    assert charger["vendor"] is None
