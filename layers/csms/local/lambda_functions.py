"""The catalogue's Lambda functions as the embedded runtime runs them: in-process, one context per call.

Load a function only once the environment is set: the `functions.*` modules read their settings
and build their clients when they are imported.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import importlib
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
    """A droppable invocation still queued when its invoker was told to drop them: it did not run."""


class Invoker:
    """Runs invocations for the event loop on worker threads, so that the loop keeps serving while a
    handler calls back into the local APIs (the management API above all).

    `drop_queued()` (at shutdown) makes the droppable invocations that have not started yet end at once
    instead of running: under load hundreds of charge point messages wait for a thread, and running them
    would keep the threads, and the interpreter lock the event loop needs to close the connections, busy
    for seconds. `drop_queued(everything=True)` drops every invocation not started yet (those given up on:
    an awaiting task that is cancelled does not take its invocation off the queue)."""

    def __init__(self, threads: int) -> None:
        self._executor = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="csms-local-handler")
        self._dropping = False
        self._dropping_everything = False

    async def invoke(self, function: LocalFunction, event: dict[str, Any], *, droppable: bool = False) -> Any:
        """Raises `InvocationDroppedError` for a droppable invocation that had not started at `drop_queued()`."""
        run = functools.partial(self._run, function, event, droppable)
        call = functools.partial(contextvars.copy_context().run, run)
        return await asyncio.get_running_loop().run_in_executor(self._executor, call)

    def _run(self, function: LocalFunction, event: dict[str, Any], droppable: bool) -> Any:
        if self._dropping_everything or (droppable and self._dropping):
            raise InvocationDroppedError(function.name)
        return function.invoke(event)

    def drop_queued(self, *, everything: bool = False) -> None:
        self._dropping = True
        self._dropping_everything = self._dropping_everything or everything

    def shutdown(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
