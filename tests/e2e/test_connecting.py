"""Who may connect, with which subprotocol, and what a reconnect does."""

import asyncio
import base64
import contextlib
import hashlib
import json
from typing import Any

import pytest
import websockets
from ocpp.v16 import call as call16
from websockets.asyncio.client import ClientConnection
from websockets.exceptions import InvalidStatus
from websockets.protocol import State
from websockets.typing import Subprotocol

from csms.local.runtime import LocalRuntime
from tests.e2e.charge_points import connected
from tests.e2e.conftest import PASSWORD, OperatorApi, basic_auth

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


async def test_malformed_authorization_or_origin_headers_are_refused_with_401(
    runtime: LocalRuntime, api: OperatorApi
) -> None:
    await api.register_charger("CP-HDR")
    good = basic_auth("CP-HDR", PASSWORD)["Authorization"]
    cases = {
        "Basic, not base64": {"Authorization": "Basic !!!notbase64"},
        "Basic, non-ASCII instead of base64": {"Authorization": "Basic Q1AtSERSOnBhc3M\u00f1"},
        "Basic without a colon": {"Authorization": "Basic " + base64.b64encode(b"CP-HDRpassword").decode()},
        "Basic, not UTF-8 once decoded": {"Authorization": "Basic " + base64.b64encode(b"CP-HDR:\xff\xfe").decode()},
        "Basic, over-long": {"Authorization": "Basic " + base64.b64encode(b"CP-HDR:" + b"x" * 6000).decode()},
        "Bearer": {"Authorization": "Bearer x"},
        "forged origin with non-ASCII characters": {"x-origin-verify": "s\u00e9cret", "Authorization": "Bearer x"},
    }
    statuses = {}
    for case, headers in cases.items():
        with pytest.raises(InvalidStatus) as refused:
            await websockets.connect(
                f"{runtime.ws_url}/CP-HDR", subprotocols=[Subprotocol("ocpp1.6")], additional_headers=headers
            )
        statuses[case] = refused.value.response.status_code
    assert statuses == dict.fromkeys(cases, 401)
    # and the charge point itself still gets in
    async with websockets.connect(
        f"{runtime.ws_url}/CP-HDR", subprotocols=[Subprotocol("ocpp1.6")], additional_headers={"Authorization": good}
    ) as connection:
        assert connection.subprotocol == "ocpp1.6"


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


async def test_of_many_simultaneous_connections_with_one_id_exactly_one_stays_open(
    runtime: LocalRuntime, api: OperatorApi
) -> None:
    # Given a registered charge point
    await api.register_charger("CP-RACE")
    subprotocols = ["ocpp1.6", "ocpp2.0.1"] * 5

    # When ten connections with its id open at once, and each sends a Heartbeat as charge points do
    outcomes = await asyncio.gather(*(_open_and_heartbeat(runtime, "CP-RACE", p) for p in subprotocols))
    try:
        await asyncio.sleep(0.5)  # late $disconnects of the losers land

        # Then exactly one connection is still open, and the charge point is connected on its version
        still_open = [connection for connection in outcomes if connection is not None and _is_open(connection)]
        assert len(still_open) == 1
        charger = (await api.request("GET", "/chargers/CP-RACE")).body
        assert charger["connected"] is True
        assert f"ocpp{charger['ocppVersion']}" == still_open[0].subprotocol
    finally:
        await asyncio.gather(*(connection.close() for connection in outcomes if connection is not None))


async def _open_and_heartbeat(runtime: LocalRuntime, charge_point_id: str, subprotocol: str) -> ClientConnection | None:
    """A connection that answered its Heartbeat or was closed instead; None if it was refused."""
    try:
        connection = await websockets.connect(
            f"{runtime.ws_url}/{charge_point_id}",
            subprotocols=[Subprotocol(subprotocol)],
            additional_headers=basic_auth(charge_point_id, PASSWORD),
        )
    except InvalidStatus:
        return None
    with contextlib.suppress(websockets.ConnectionClosed):
        await connection.send(json.dumps([2, "hb-1", "Heartbeat", {}]))
        await asyncio.wait_for(connection.recv(), timeout=10)
    return connection


def _is_open(connection: ClientConnection) -> bool:
    return connection.state is State.OPEN


@pytest.mark.parametrize("raw_id", ["CP%zz", "CP%2", "CP%FF", "CP%C3", "CP%2F1"])
async def test_an_id_neither_connect_nor_the_api_can_decode_is_refused_by_both(
    open_runtime: LocalRuntime, raw_id: str
) -> None:
    # Even where unknown charge points are let in, one connecting with it gets 401, and the API
    # a 400 (to register) or 404 (to read)
    api = OperatorApi(open_runtime)
    assert await refusal_status(open_runtime, raw_id, password=None) == 401
    assert (await api.request("PUT", f"/chargers/{raw_id}", {"password": PASSWORD})).status == 400
    assert (await api.request("GET", f"/chargers/{raw_id}")).status in (400, 404)
    assert (await api.request("GET", "/chargers")).body["items"] == []


async def test_a_new_password_closes_the_connection_and_only_the_new_one_connects(
    runtime: LocalRuntime, api: OperatorApi
) -> None:
    # Given a charge point connected with its password
    await api.register_charger("CP-ROTATE")
    connection = await websockets.connect(
        f"{runtime.ws_url}/CP-ROTATE",
        subprotocols=[Subprotocol("ocpp1.6")],
        additional_headers=basic_auth("CP-ROTATE", PASSWORD),
    )
    await connection.send(json.dumps([2, "hb-1", "Heartbeat", {}]))
    await asyncio.wait_for(connection.recv(), timeout=10)

    # When the operator gives it a new password
    assert (await api.request("PUT", "/chargers/CP-ROTATE", {"password": "another-horse-battery"})).status == 200

    # Then its connection is closed, and it is shown disconnected
    await asyncio.wait_for(connection.wait_closed(), timeout=10)
    assert (await api.request("GET", "/chargers/CP-ROTATE")).body["connected"] is False
    # And the old password no longer connects, the new one does
    assert await refusal_status(runtime, "CP-ROTATE", password=PASSWORD) == 401
    async with connected(runtime, "CP-ROTATE", "ocpp1.6", password="another-horse-battery") as charge_point:
        heartbeat = await charge_point.call(call16.Heartbeat())
    assert heartbeat.current_time


async def test_a_password_set_through_the_api_admits_its_first_connection_without_a_second_scrypt(
    runtime: LocalRuntime, api: OperatorApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`csms local` runs the operator API and the authorizer in one process: the hash the API just made
    needs no second scrypt to admit its password (a fleet registered, then connected); a wrong one still does."""
    scrypts: list[int] = []
    real_scrypt = hashlib.scrypt

    def counted(*args: Any, **kwargs: Any) -> bytes:
        scrypts.append(kwargs["n"])
        return real_scrypt(*args, **kwargs)

    monkeypatch.setattr(hashlib, "scrypt", counted)
    await api.register_charger("CP-FRESH")
    assert len(scrypts) == 1  # the API hashed it
    async with connected(runtime, "CP-FRESH", "ocpp1.6", password=PASSWORD) as charge_point:
        assert (await charge_point.call(call16.Heartbeat())).current_time
    assert len(scrypts) == 1
    assert await refusal_status(runtime, "CP-FRESH", password="not-the-password") == 401
    assert len(scrypts) == 2
