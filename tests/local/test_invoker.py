"""The runtime's invoker winding down at shutdown: the droppable invocations still waiting for a thread end
without running (charge point messages and handshakes, whose connections are closing), the others run a few at
a time until the deadline, and none starts after it."""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any

import pytest

from csms.local.lambda_functions import InvocationDroppedError, Invoker, LocalFunction, Priority

FAR_AWAY = 3600.0


def recording_invoker() -> tuple[Invoker, LocalFunction, threading.Event, list[str]]:
    """An invoker of one thread and a function that answers the event's name and notes it in `ran` as it
    runs; the one named "busy" first waits until `release` is set."""
    invoker = Invoker(threads=1)
    release = threading.Event()
    ran: list[str] = []

    def handler(event: dict[str, Any], _: Any) -> str:
        if event["name"] == "busy":
            release.wait(5)
        ran.append(event["name"])
        return str(event["name"])

    return invoker, LocalFunction("ocpp_message", handler, 30), release, ran


async def test_queued_droppable_invocations_do_not_run_once_winding_down() -> None:
    invoker, function, release, ran = recording_invoker()
    busy = asyncio.ensure_future(invoker.invoke(function, {"name": "busy"}, droppable=True))
    await asyncio.sleep(0.05)  # the one thread is taken
    queued = [asyncio.ensure_future(invoker.invoke(function, {"name": f"m{n}"}, droppable=True)) for n in range(3)]
    kept = asyncio.ensure_future(invoker.invoke(function, {"name": "disconnect"}))
    await asyncio.sleep(0.05)

    invoker.wind_down(time.monotonic() + FAR_AWAY)
    release.set()

    assert await busy == "busy"  # it had started
    for message in queued:
        with pytest.raises(InvocationDroppedError):
            await message
    assert await kept == "disconnect"
    assert ran == ["busy", "disconnect"]
    invoker.shutdown()


async def test_winding_down_runs_a_few_invocations_at_a_time() -> None:
    invoker = Invoker(threads=8)
    lock = threading.Lock()
    running, most = 0, 0

    def handler(_: dict[str, Any], __: Any) -> None:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        time.sleep(0.05)
        with lock:
            running -= 1

    function = LocalFunction("ocpp_disconnect", handler, 30)
    invoker.wind_down(time.monotonic() + FAR_AWAY, threads=2)
    await asyncio.gather(*(invoker.invoke(function, {}) for _ in range(8)))

    assert most == 2
    invoker.shutdown()


async def one_thread_taken() -> tuple[Invoker, LocalFunction, threading.Event, asyncio.Future[Any]]:
    """An invoker of one thread, taken by an invocation of `function` until `release` is set; `function`
    called with {"busy": False} answers "ran" at once."""
    invoker = Invoker(threads=1)
    release = threading.Event()
    function = LocalFunction("ocpp_disconnect", lambda event, _: release.wait(5) if event["busy"] else "ran", 30)
    busy = asyncio.ensure_future(invoker.invoke(function, {"busy": True}))
    await asyncio.sleep(0.05)
    return invoker, function, release, busy


async def test_no_invocation_starts_after_the_deadline() -> None:
    invoker, function, release, busy = await one_thread_taken()
    disconnect = asyncio.ensure_future(invoker.invoke(function, {"busy": False}))
    await asyncio.sleep(0.05)

    invoker.wind_down(time.monotonic() + 0.1)
    await asyncio.sleep(0.2)  # the deadline passes while the one thread is still taken
    release.set()

    assert await busy is True
    with pytest.raises(InvocationDroppedError):
        await disconnect
    invoker.shutdown()


async def test_past_the_deadline_an_invocation_is_dropped_without_waiting_for_a_thread() -> None:
    invoker, function, release, busy = await one_thread_taken()

    invoker.wind_down(time.monotonic())
    with pytest.raises(InvocationDroppedError):
        await asyncio.wait_for(invoker.invoke(function, {"busy": False}), 1)  # the one thread is still taken
    with pytest.raises(InvocationDroppedError):
        await asyncio.wait_for(invoker.invoke(function, {"busy": False}, droppable=True), 1)

    release.set()
    assert await busy is True
    invoker.shutdown()


async def test_a_free_thread_takes_a_connect_then_an_authorizer_then_the_others() -> None:
    invoker, function, release, ran = recording_invoker()
    busy = asyncio.ensure_future(invoker.invoke(function, {"name": "busy"}))
    await asyncio.sleep(0.05)  # the one thread is taken
    queued = [
        ("message 1", Priority.OTHER),
        ("authorizer 1", Priority.AUTHORIZE),
        ("message 2", Priority.OTHER),
        ("connect 1", Priority.CONNECT),
        ("authorizer 2", Priority.AUTHORIZE),
        ("connect 2", Priority.CONNECT),
    ]
    waiting = [
        asyncio.ensure_future(invoker.invoke(function, {"name": name}, priority=priority)) for name, priority in queued
    ]
    await asyncio.sleep(0.05)
    release.set()

    await asyncio.gather(busy, *waiting)
    assert ran == ["busy", "connect 1", "connect 2", "authorizer 1", "authorizer 2", "message 1", "message 2"]
    invoker.shutdown()


async def test_an_invocation_whose_caller_left_does_not_run() -> None:
    invoker, function, release, busy = await one_thread_taken()
    ran: list[str] = []
    left = LocalFunction("ocpp_authorizer", lambda _, __: ran.append("left"), 30)
    waiting = asyncio.ensure_future(invoker.invoke(left, {}, priority=Priority.AUTHORIZE))
    await asyncio.sleep(0.05)

    waiting.cancel()
    release.set()

    assert await busy is True
    assert await invoker.invoke(function, {"busy": False}) == "ran"  # the thread is free again
    assert ran == []
    invoker.shutdown()


async def test_at_shutdown_the_invocations_not_started_are_cancelled_and_the_threads_end() -> None:
    invoker = Invoker(threads=1)
    release = threading.Event()
    threads: list[threading.Thread] = []

    def handler(event: dict[str, Any], _: Any) -> str:
        threads.append(threading.current_thread())
        release.wait(5)
        return str(event["name"])

    function = LocalFunction("ocpp_disconnect", handler, 30)
    busy = asyncio.ensure_future(invoker.invoke(function, {"name": "busy"}))
    await asyncio.sleep(0.05)  # the one thread is taken
    queued = asyncio.ensure_future(invoker.invoke(function, {"name": "queued"}))
    await asyncio.sleep(0.05)

    invoker.shutdown()
    release.set()

    assert await busy == "busy"  # it had started: it ends
    with pytest.raises(asyncio.CancelledError):
        await queued
    with pytest.raises(asyncio.CancelledError):
        await invoker.invoke(function, {"name": "late"})  # handed to no thread any more
    threads[0].join(1)
    assert not threads[0].is_alive()
    assert len(threads) == 1


async def test_while_a_handshake_runs_only_a_few_threads_run_the_other_invocations() -> None:
    invoker = Invoker(threads=6)
    handshake_done, others_go = threading.Event(), threading.Event()
    running: list[str] = []
    most_running_others: list[int] = []
    lock = threading.Lock()

    def handler(event: dict[str, Any], _: Any) -> None:
        with lock:
            running.append(event["name"])
            most_running_others.append(sum(1 for name in running if name.startswith("message")))
        (handshake_done if event["name"] == "authorizer" else others_go).wait(5)
        with lock:
            running.remove(event["name"])

    function = LocalFunction("ocpp_message", handler, 30)
    authorizer = asyncio.ensure_future(invoker.invoke(function, {"name": "authorizer"}, priority=Priority.AUTHORIZE))
    await asyncio.sleep(0.05)
    messages = [asyncio.ensure_future(invoker.invoke(function, {"name": f"message {n}"})) for n in range(5)]
    await asyncio.sleep(0.1)
    assert sorted(running) == ["authorizer", "message 0", "message 1"]  # 3 of the 6 threads idle

    handshake_done.set()
    await authorizer
    await asyncio.sleep(0.1)
    assert sorted(running) == [f"message {n}" for n in range(5)]  # no handshake: every thread may take one
    others_go.set()
    await asyncio.gather(*messages)
    assert max(most_running_others) == 5
    invoker.shutdown()
