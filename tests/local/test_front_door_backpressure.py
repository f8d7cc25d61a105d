"""The front door and the WebSocket gateway under hostile load: a charge point that never reads, a
burst of connects, a flood of frames, a shutdown with everything connected. None of them may block
the other charge points or `close()`, and nothing may leak.

Bounds are generous (the machine is shared): they tell "bounded" from "stuck", not fast from slow.
"""

from __future__ import annotations

import asyncio
import dataclasses
import os
import threading
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed
from websockets.frames import Opcode
from websockets.typing import Subprotocol

from csms.local.endpoints import Endpoints, EndpointsConfig
from tests.local.conftest import FakeHandlers, endpoints_config, wait_for
from tests.local.silent_charger import SilentCharger

# How long a stalled charge point may hold anything up before it is cut off, with room to spare.
CUT_OFF_BOUND = 20.0
# A round trip of a charge point that reads, while others misbehave.
ROUND_TRIP_BOUND = 10.0
SHUTDOWN_BOUND = 5.0


def _open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


async def _silent(endpoints: Endpoints, charge_point_id: str) -> SilentCharger:
    address = endpoints.front_door.address
    return await SilentCharger.connect(address.host, address.port, charge_point_id)


async def _round_trips(ws: ClientConnection, count: int) -> list[float]:
    """`count` echo round trips, each bounded; their durations."""
    durations = []
    for i in range(count):
        started = time.monotonic()
        await ws.send(f"ping {i}")
        async with asyncio.timeout(ROUND_TRIP_BOUND):
            assert await ws.recv() == f"echo:ping {i}"
        durations.append(time.monotonic() - started)
    return durations


def _connection_ids(fakes: FakeHandlers, kind: str) -> set[str]:
    return {event["requestContext"]["connectionId"] for event in fakes.events[kind]}


@pytest.fixture
async def few_threads(fakes: FakeHandlers) -> AsyncIterator[Endpoints]:
    """Endpoints with 4 handler threads, so that stuck handlers would soon starve everyone."""
    endpoints = Endpoints(dataclasses.replace(endpoints_config(), websocket_handler_threads=4))
    await endpoints.start()
    fakes.install(endpoints)
    try:
        yield endpoints
    finally:
        async with asyncio.timeout(SHUTDOWN_BOUND):
            await endpoints.close()


async def test_charge_points_that_never_read_are_cut_off_and_the_others_keep_their_answers(
    few_threads: Endpoints, fakes: FakeHandlers
) -> None:
    endpoints = few_threads
    async with connect(f"{endpoints.ws_url}/READER", subprotocols=[Subprotocol("ocpp1.6")], open_timeout=10) as ws:
        silent = [await _silent(endpoints, f"SILENT{i}") for i in range(6)]  # more than the threads
        await wait_for(lambda: len(fakes.events["connect"]) == 7)
        for charger in silent:
            # Each asks for 12 MB of frames (commands) it will never read.
            await charger.send(Opcode.TEXT, b"send 200 65536")

        durations = await _round_trips(ws, 10)
        # Every handler posting to a silent charge point got GoneException within the bound, as on AWS.
        await wait_for(lambda: len(fakes.posts) == 6, timeout=CUT_OFF_BOUND)
        assert {outcome.error_code for outcome in fakes.posts} == {"GoneException"}
        assert all(outcome.sent < 200 for outcome in fakes.posts)
        silent_ids = {outcome.connection_id for outcome in fakes.posts}
        await wait_for(lambda: _connection_ids(fakes, "disconnect") == silent_ids)
        assert len(endpoints.websocket_api.connection_ids()) == 1

        durations += await _round_trips(ws, 10)
        assert max(durations) < ROUND_TRIP_BOUND
        for charger in silent:
            charger.close()


async def test_a_ping_flood_that_reads_no_pong_is_cut_off(endpoints: Endpoints, fakes: FakeHandlers) -> None:
    charger = await _silent(endpoints, "PINGER")
    await wait_for(lambda: len(fakes.events["connect"]) == 1)
    with pytest.raises(ConnectionError):  # reset by the gateway: a flood it answered but nobody read
        await asyncio.wait_for(_ping_forever(charger), CUT_OFF_BOUND)
    charger.close()
    await wait_for(lambda: len(fakes.events["disconnect"]) == 1)
    assert endpoints.websocket_api.connection_ids() == []


async def _ping_forever(charger: SilentCharger) -> None:
    while True:
        await charger.send(Opcode.PING, b"p" * 125)


async def test_a_flood_of_frames_from_one_charge_point_does_not_hold_up_another(
    endpoints: Endpoints, fakes: FakeHandlers
) -> None:
    protocols = [Subprotocol("ocpp1.6")]
    async with (
        connect(f"{endpoints.ws_url}/FLOODER", subprotocols=protocols, open_timeout=10) as flooder,
        connect(f"{endpoints.ws_url}/OTHER", subprotocols=protocols, open_timeout=10) as other,
    ):
        flood = 2000

        async def send_flood() -> None:
            for i in range(flood):
                await flooder.send(f"flood {i}")

        async def read_answers() -> int:
            return sum([1 async for _ in _take(flooder, flood)])

        sending, reading = asyncio.ensure_future(send_flood()), asyncio.ensure_future(read_answers())
        await wait_for(lambda: len(fakes.events["message"]) > 50)
        durations = await _round_trips(other, 20)
        assert not reading.done()  # the flood was still going on throughout
        await asyncio.wait_for(asyncio.gather(sending, reading), 120)
        assert reading.result() == flood
    assert max(durations) < ROUND_TRIP_BOUND


async def _take(ws: ClientConnection, count: int) -> AsyncIterator[Any]:
    for _ in range(count):
        yield await ws.recv()


async def test_a_burst_of_a_thousand_connects_is_admitted_without_a_thread_per_connection(
    endpoints: Endpoints, fakes: FakeHandlers
) -> None:
    threads_before = threading.active_count()
    protocols = [Subprotocol("ocpp1.6")]
    results = await asyncio.gather(
        *(connect(f"{endpoints.ws_url}/CP{i}", subprotocols=protocols, open_timeout=60) for i in range(1000)),
        return_exceptions=True,
    )
    clients = [result for result in results if isinstance(result, ClientConnection)]
    failures = [repr(result) for result in results if not isinstance(result, ClientConnection)]
    try:
        assert failures == [], f"{len(failures)} refused: {failures[:3]}"
        assert len(endpoints.websocket_api.connection_ids()) == 1000
        handler_threads = EndpointsConfig.websocket_handler_threads
        assert threading.active_count() <= threads_before + handler_threads + 2  # nothing per connection
    finally:
        await asyncio.gather(*(client.close() for client in clients))


async def test_close_under_load_closes_every_websocket_in_bounded_time_and_leaks_no_socket(
    fakes: FakeHandlers,
) -> None:
    fds_before = _open_fds()
    endpoints = Endpoints(endpoints_config())
    await endpoints.start()
    fakes.install(endpoints)
    protocols = [Subprotocol("ocpp1.6")]
    readers = [await connect(f"{endpoints.ws_url}/CP{i}", subprotocols=protocols, open_timeout=10) for i in range(100)]
    silent = [await _silent(endpoints, f"SILENT{i}") for i in range(3)]
    for charger in silent:
        await charger.send(Opcode.TEXT, b"send 200 65536")
    flooding = asyncio.ensure_future(_flood_until_closed(readers[0]))
    await wait_for(lambda: len(fakes.events["message"]) > 20)

    started = time.monotonic()
    await asyncio.wait_for(endpoints.close(), 3 * SHUTDOWN_BOUND)
    assert time.monotonic() - started < SHUTDOWN_BOUND

    for reader in readers[1:]:
        with pytest.raises(ConnectionClosed):
            await asyncio.wait_for(reader.recv(), 5)
        assert reader.close_code == 1001
    await asyncio.wait_for(flooding, 5)
    assert len(fakes.events["disconnect"]) == len(readers) + len(silent)
    for charger in silent:
        charger.close()
    await asyncio.gather(*(reader.close() for reader in readers))
    await wait_for(_settled(_open_fds, fds_before), timeout=5)


async def _flood_until_closed(ws: ClientConnection) -> None:
    with pytest.raises(ConnectionClosed):
        await _flood(ws)


async def _flood(ws: ClientConnection) -> None:
    for i in range(10**6):
        await ws.send(f"flood {i}")
        if i % 10 == 0:
            await asyncio.sleep(0)  # let the answers in


def _settled(count: Callable[[], int], baseline: int) -> Callable[[], bool]:
    return lambda: count() <= baseline


async def abandoned_upgrade(host: str, port: int, charge_point_id: str) -> None:
    """A charger that asks to connect and leaves before it is answered."""
    _reader, writer = await asyncio.open_connection(host, port)
    writer.write(
        (
            f"GET /ocpp/{charge_point_id} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\n"
            "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
            "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: ocpp1.6\r\n\r\n"
        ).encode()
    )
    await writer.drain()
    await asyncio.sleep(0.2)
    writer.close()


async def test_a_charger_that_left_before_its_turn_costs_no_authorizer_run(
    few_threads: Endpoints, fakes: FakeHandlers
) -> None:
    # Given every handler thread busy with a slow authorizer
    address = few_threads.front_door.address

    async def slow_charger(n: int) -> ClientConnection:
        return await connect(f"{few_threads.ws_url}/SLOW-{n}", subprotocols=[Subprotocol("ocpp1.6")])

    busy = [asyncio.create_task(slow_charger(n)) for n in range(4)]
    await wait_for(lambda: len(fakes.events["authorizer"]) == 4)
    # When chargers ask to connect meanwhile and give up before a thread is free
    await asyncio.gather(*(abandoned_upgrade(address.host, address.port, f"GONE-{n}") for n in range(10)))
    for connection in await asyncio.gather(*busy):
        await connection.close()

    # Then their authorizer never runs, and a charger that stays is served as usual
    async with connect(f"{few_threads.ws_url}/CP-STAYS", subprotocols=[Subprotocol("ocpp1.6")]):
        pass
    authorized = [event["headers"].get("x-ocpp-charge-point-id") for event in fakes.events["authorizer"]]
    assert [name for name in authorized if name.startswith("GONE")] == []
    assert "CP-STAYS" in authorized
