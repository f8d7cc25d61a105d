"""The catalogue's Lambda functions as the embedded runtime runs them: in-process, one context per call.

Load a function only once the environment is set: the `functions.*` modules read their settings
and build their clients when they are imported.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import importlib
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from csms.function_catalogue import LambdaFunction, Trigger
from csms.local import lambda_events

Handler = Callable[[dict[str, Any], Any], Any]
"""A synchronous Lambda handler: `handler(event, context)`."""


@dataclass(frozen=True)
class LocalFunction:
    name: str
    handler: Handler
    timeout_seconds: float

    def invoke(self, event: dict[str, Any]) -> Any:
        """One invocation, with a fresh Lambda context (request id, deadline)."""
        return self.handler(event, lambda_events.lambda_context(f"csms-local-{self.name}", self.timeout_seconds))


def load(function: LambdaFunction[Trigger]) -> LocalFunction:
    """Import the function's handler (only once the environment is set)."""
    handler: Handler = importlib.import_module(function.import_path).handler
    return LocalFunction(function.module, handler, function.timeout_seconds)


class InvocationDroppedError(Exception):
    """An invocation still queued when its invoker was winding down (`Invoker.wind_down`): it did not run."""


# Invocations that run at once while an invoker winds down: the interpreter lock serves one thread at a
# time anyway, and every thread more waiting for it delays the event loop's turn.
WIND_DOWN_THREADS = 2


@dataclass(frozen=True)
class _WindDown:
    deadline: float
    slots: threading.BoundedSemaphore


class Invoker:
    """Runs invocations for the event loop on worker threads, so that the loop keeps serving while a
    handler calls back into the local APIs (the management API above all).

    `wind_down(deadline)` at shutdown: under load hundreds of charge point messages, and then a
    `$disconnect` per connection, wait for a thread, and threads running them all at once would keep
    the interpreter lock the event loop needs to close the connections. From then on the droppable
    invocations not started yet end at once instead of running, the others run a few at a time, and
    none starts after `deadline`. The threads check the deadline themselves: a starved loop could not
    tell them in time."""

    def __init__(self, threads: int) -> None:
        self._executor = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="csms-local-handler")
        self._winding_down: _WindDown | None = None

    async def invoke(self, function: LocalFunction, event: dict[str, Any], *, droppable: bool = False) -> Any:
        """Raises `InvocationDroppedError` for an invocation dropped by `wind_down` before it started."""
        if self._dropped_now(droppable):  # not even handed to a thread
            raise InvocationDroppedError(function.name)
        run = functools.partial(self._run, function, event, droppable)
        call = functools.partial(contextvars.copy_context().run, run)
        return await asyncio.get_running_loop().run_in_executor(self._executor, call)

    def _dropped_now(self, droppable: bool) -> bool:
        winding_down = self._winding_down
        return winding_down is not None and (droppable or time.monotonic() >= winding_down.deadline)

    def _run(self, function: LocalFunction, event: dict[str, Any], droppable: bool) -> Any:
        winding_down = self._winding_down
        if winding_down is None:
            return function.invoke(event)
        if self._dropped_now(droppable) or not winding_down.slots.acquire(
            timeout=max(0.0, winding_down.deadline - time.monotonic())
        ):
            raise InvocationDroppedError(function.name)
        try:
            if self._dropped_now(droppable):  # the deadline passed while it waited for a slot
                raise InvocationDroppedError(function.name)
            return function.invoke(event)
        finally:
            winding_down.slots.release()

    def wind_down(self, deadline: float, threads: int = WIND_DOWN_THREADS) -> None:
        """From now on: droppable invocations not started yet are dropped, the others run at most
        `threads` at a time, and none starts after `deadline` (a `time.monotonic()` time)."""
        if self._winding_down is None:
            self._winding_down = _WindDown(deadline, threading.BoundedSemaphore(threads))

    def shutdown(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
