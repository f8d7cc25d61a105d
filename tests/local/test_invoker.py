"""The runtime's invoker at shutdown: the droppable invocations still waiting for a thread end without running
(charge point messages, whose connections are closing), the others run as they were asked to."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import pytest

from csms.local.lambda_functions import InvocationDroppedError, Invoker, LocalFunction


async def test_queued_droppable_invocations_do_not_run_once_dropping() -> None:
    invoker = Invoker(threads=1)
    release = threading.Event()
    ran: list[str] = []

    def handler(event: dict[str, Any], _: Any) -> str:
        if event["name"] == "busy":
            release.wait(5)
        ran.append(event["name"])
        return str(event["name"])

    function = LocalFunction("ocpp_message", handler, 30)
    busy = asyncio.ensure_future(invoker.invoke(function, {"name": "busy"}, droppable=True))
    await asyncio.sleep(0.05)  # the one thread is taken
    queued = [asyncio.ensure_future(invoker.invoke(function, {"name": f"m{n}"}, droppable=True)) for n in range(3)]
    kept = asyncio.ensure_future(invoker.invoke(function, {"name": "disconnect"}))
    await asyncio.sleep(0.05)

    invoker.drop_queued()
    release.set()

    assert await busy == "busy"  # it had started
    for message in queued:
        with pytest.raises(InvocationDroppedError):
            await message
    assert await kept == "disconnect"
    assert ran == ["busy", "disconnect"]
    invoker.shutdown()


async def test_dropping_everything_drops_every_invocation_not_started() -> None:
    invoker = Invoker(threads=1)
    release = threading.Event()
    function = LocalFunction("ocpp_disconnect", lambda event, _: release.wait(5) if event["busy"] else "ran", 30)
    busy = asyncio.ensure_future(invoker.invoke(function, {"busy": True}))
    await asyncio.sleep(0.05)
    disconnect = asyncio.ensure_future(invoker.invoke(function, {"busy": False}))
    await asyncio.sleep(0.05)

    invoker.drop_queued(everything=True)
    release.set()

    assert await busy is True
    with pytest.raises(InvocationDroppedError):
        await disconnect
    invoker.shutdown()
