"""Who may connect, with which subprotocol, and what a reconnect does."""

import asyncio

import pytest
import websockets
from ocpp.v16 import call as call16
from websockets.exceptions import InvalidStatus

from csms.local.runtime import LocalRuntime
from tests.e2e.charge_points import connected
from tests.e2e.conftest import OperatorApi

pytestmark = pytest.mark.e2e


async def refusal_status(
    runtime: LocalRuntime,
    charge_point_id: str,
    subprotocol: str = "ocpp1.6",
    password: str | None = "correct-horse-battery",
    username: str | None = None,
) -> int:
    with pytest.raises(InvalidStatus) as refused:
        async with connected(runtime, charge_point_id, subprotocol, password=password, username=username):
            pass
    return refused.value.response.status_code


async def test_wrong_password_is_refused(runtime: LocalRuntime, api: OperatorApi) -> None:
    await api.register_charger("CP-PW")
    assert await refusal_status(runtime, "CP-PW", password="not-the-password") == 401


async def test_username_must_be_the_charge_point_id(runtime: LocalRuntime, api: OperatorApi) -> None:
    await api.register_charger("CP-A")
    await api.register_charger("CP-B")
    assert await refusal_status(runtime, "CP-A", username="CP-B") == 401


async def test_unknown_charge_point_is_refused(runtime: LocalRuntime) -> None:
    assert await refusal_status(runtime, "CP-NOBODY") == 401


async def test_unknown_charge_point_is_admitted_when_the_deployment_allows_it(open_runtime: LocalRuntime) -> None:
    async with connected(open_runtime, "CP-NEW", "ocpp1.6", password=None) as charge_point:
        heartbeat = await charge_point.call(call16.Heartbeat())
    assert heartbeat.current_time


async def test_no_common_subprotocol_is_refused(runtime: LocalRuntime, api: OperatorApi) -> None:
    await api.register_charger("CP-OLD")
    assert await refusal_status(runtime, "CP-OLD", subprotocol="ocpp1.5") == 403


async def test_ocpp201_is_preferred_when_both_are_offered(runtime: LocalRuntime, api: OperatorApi) -> None:
    await api.register_charger("CP-BOTH")
    headers = {"Authorization": "Basic Q1AtQk9USDpjb3JyZWN0LWhvcnNlLWJhdHRlcnk="}  # CP-BOTH:correct-horse-battery
    async with websockets.connect(
        f"{runtime.ws_url}/CP-BOTH", subprotocols=["ocpp1.6", "ocpp2.0.1"], additional_headers=headers
    ) as connection:
        assert connection.subprotocol == "ocpp2.0.1"


async def test_percent_encoded_identity_is_decoded(runtime: LocalRuntime, api: OperatorApi) -> None:
    await api.register_charger("CP%2001")  # the id "CP 01"
    async with connected(runtime, "CP%2001", "ocpp1.6", username="CP 01") as charge_point:
        await charge_point.call(call16.Heartbeat())
        charger = (await api.request("GET", "/chargers/CP%2001")).body
    assert charger["id"] == "CP 01"
    assert charger["connected"] is True


async def test_reconnect_replaces_the_earlier_connection(runtime: LocalRuntime, api: OperatorApi) -> None:
    # Given a connected charge point
    await api.register_charger("CP-RE")
    async with connected(runtime, "CP-RE", "ocpp1.6") as first:
        await first.call(call16.Heartbeat())
        # When it connects again with the same id
        async with connected(runtime, "CP-RE", "ocpp1.6") as second:
            # Then the earlier connection is closed and the new one carries on
            await asyncio.wait_for(first._connection.wait_closed(), timeout=5)
            await asyncio.sleep(0.2)  # the old connection's $disconnect arrives after the new $connect
            heartbeat = await second.call(call16.Heartbeat())
            charger = (await api.request("GET", "/chargers/CP-RE")).body
            assert heartbeat.current_time
            assert charger["connected"] is True
    for _ in range(50):
        if not (await api.request("GET", "/chargers/CP-RE")).body["connected"]:
            return
        await asyncio.sleep(0.1)
    raise AssertionError("CP-RE still connected after its last connection closed")
