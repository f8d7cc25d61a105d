"""Password rotation end to end: a real 1.6 and 2.0.1 charge point takes the new Basic-auth password the CSMS
generated (ChangeConfiguration AuthorizationKey / SetVariables SecurityCtrlr.BasicAuthPassword), reconnects with
it and is admitted; from then on its old password is refused. One that refuses the new password keeps its old one."""

import asyncio
from typing import Any

import pytest
from ocpp.routing import on
from ocpp.v16 import ChargePoint as ChargePoint16
from ocpp.v16 import call_result as result16
from ocpp.v201 import ChargePoint as ChargePoint201
from ocpp.v201 import call_result as result201
from websockets.exceptions import InvalidStatus

from csms.local.runtime import LocalRuntime
from tests.e2e.charge_points import connected
from tests.e2e.conftest import PASSWORD, OperatorApi

pytestmark = pytest.mark.e2e

WAIT_SECONDS = 30


class Station16(ChargePoint16):  # type: ignore[misc]
    """Takes an AuthorizationKey unless told to refuse it."""

    refuse = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.passwords: asyncio.Queue[str] = asyncio.Queue()

    @on("ChangeConfiguration")
    async def on_change(self, key: str, value: str, **_: Any) -> result16.ChangeConfiguration:
        if self.refuse or key != "AuthorizationKey":
            return result16.ChangeConfiguration(status="Rejected")
        await self.passwords.put(value)
        return result16.ChangeConfiguration(status="Accepted")


class Refusing16(Station16):
    refuse = True


class Station201(ChargePoint201):  # type: ignore[misc]
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.passwords: asyncio.Queue[str] = asyncio.Queue()

    @on("SetVariables")
    async def on_set(self, set_variable_data: list[dict[str, Any]], **_: Any) -> result201.SetVariables:
        results = []
        for data in set_variable_data:
            await self.passwords.put(data["attribute_value"])
            results.append(
                {"attribute_status": "Accepted", "component": data["component"], "variable": data["variable"]}
            )
        return result201.SetVariables(set_variable_result=results)


async def finished(api: OperatorApi, command_id: str) -> dict[str, Any]:
    for _ in range(WAIT_SECONDS * 4):
        command: dict[str, Any] = (await api.request("GET", f"/commands/{command_id}")).body
        if command["status"] not in ("Pending", "Sent"):
            return command
        await asyncio.sleep(0.25)
    raise AssertionError(f"command {command_id} not answered in time")


async def refusal_status(runtime: LocalRuntime, charger_id: str, subprotocol: str, password: str) -> int | None:
    try:
        async with connected(runtime, charger_id, subprotocol, password=password):
            return None
    except InvalidStatus as refused:
        return refused.response.status_code


@pytest.mark.parametrize(
    ("subprotocol", "station"), [("ocpp1.6", Station16), ("ocpp2.0.1", Station201)], ids=["1.6", "2.0.1"]
)
async def test_the_charger_reconnects_with_the_new_password_and_the_old_one_is_refused_afterwards(
    runtime: LocalRuntime, api: OperatorApi, subprotocol: str, station: type
) -> None:
    charger_id = f"ROTATE-{subprotocol[-3:].replace('.', '')}"
    await api.register_charger(charger_id)

    async with connected(runtime, charger_id, subprotocol, charge_point_class=station) as charge_point:
        rotation = await api.request("POST", f"/chargers/{charger_id}/password", {})
        assert rotation.status == 202, rotation.body
        received = await asyncio.wait_for(charge_point.passwords.get(), WAIT_SECONDS)
        command = await finished(api, rotation.body["commandId"])
    new_password = rotation.body["password"]
    # Until the charger connects with the new one, the old one still works.
    assert await refusal_status(runtime, charger_id, subprotocol, PASSWORD) is None

    assert await refusal_status(runtime, charger_id, subprotocol, new_password) is None
    assert await refusal_status(runtime, charger_id, subprotocol, PASSWORD) == 401
    assert await refusal_status(runtime, charger_id, subprotocol, new_password) is None

    assert received == new_password
    assert command["status"] == "Accepted"
    assert new_password not in str(command["request"])  # shown redacted


async def test_a_charger_that_refuses_the_new_password_keeps_its_old_one(
    runtime: LocalRuntime, api: OperatorApi
) -> None:
    await api.register_charger("ROTATE-NO")

    async with connected(runtime, "ROTATE-NO", "ocpp1.6", charge_point_class=Refusing16):
        rotation = await api.request("POST", "/chargers/ROTATE-NO/password", {"password": "ab" * 20})
        assert rotation.status == 202, rotation.body
        command = await finished(api, rotation.body["commandId"])

    assert command["status"] == "Rejected"
    assert await refusal_status(runtime, "ROTATE-NO", "ocpp1.6", "ab" * 20) == 401
    assert await refusal_status(runtime, "ROTATE-NO", "ocpp1.6", PASSWORD) is None
