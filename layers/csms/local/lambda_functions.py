"""The catalogue's Lambda functions as the embedded runtime runs them: in-process, one context per call.

Load a function only once the environment is set: the `functions.*` modules read their settings
and build their clients when they are imported.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import enum
import functools
import importlib
import threading
import time
from collections import deque
from collections.abc import Callable
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


@dataclass(frozen=True)
class _Job:
    """One invocation for a thread, and the caller's future on its event loop."""

    run: Callable[[], Any]
    loop: asyncio.AbstractEventLoop
    answer: asyncio.Future[Any]

    def __call__(self) -> None:
        if self.answer.cancelled():  # the caller stopped waiting (its client left): nothing to run for
            return
        try:
            result = self.run()
        except BaseException as error:  # handed to the caller, as an executor would
            self._settle(functools.partial(self.answer.set_exception, error))
        else:
            self._settle(functools.partial(self.answer.set_result, result))

    def abandon(self) -> None:
        """Never run: the caller's await is cancelled."""
        self._settle(self.answer.cancel)

    def _settle(self, settle: Callable[[], Any]) -> None:
        def on_loop() -> None:
            if not self.answer.done():
                settle()

        with contextlib.suppress(RuntimeError):  # the loop is closed: nobody waits any more
            self.loop.call_soon_threadsafe(on_loop)


class Priority(enum.IntEnum):
    """Which invocation waiting for a thread takes the next free one: the lowest first, each in the order they came.

    In a burst of connections a charger's handshake does not wait behind the messages of the chargers admitted
    before it, which can wait (a handshake times out; a charger that gets its answer late just waits, within the
    call timeout). Of the handshakes, those half done go first: one whose authorizer admitted it would otherwise
    wait for its `$connect` behind every authorizer of the burst, and each charger would be admitted only once all
    were checked.
    """

    CONNECT = 0  # `$connect` of a connection its authorizer admitted
    AUTHORIZE = 1  # the authorizer of a new connection
    OTHER = 2


_HANDSHAKES = (Priority.CONNECT, Priority.AUTHORIZE)


# Invocations of other kinds that run at once while handshakes wait or run: the interpreter lock serves one
# thread at a time, and in a burst of connections the boots and status notifications of the chargers admitted
# first would otherwise take most of it from the handshakes still waiting.
OTHER_THREADS_DURING_HANDSHAKES = 2


class _Work:
    """The invocations waiting for a thread, by priority; while handshakes (`CONNECT`, `AUTHORIZE`) wait or
    run, at most `other_threads_during_handshakes` threads run the others."""

    def __init__(self, other_threads_during_handshakes: int = OTHER_THREADS_DURING_HANDSHAKES) -> None:
        self._ready = threading.Condition()
        self._waiting: tuple[deque[_Job], ...] = tuple(deque() for _ in Priority)
        self._running = dict.fromkeys(Priority, 0)
        self._other_threads_during_handshakes = other_threads_during_handshakes
        self._closed = False

    def put(self, job: _Job, priority: Priority) -> None:
        with self._ready:
            if self._closed:
                job.abandon()
                return
            self._waiting[priority].append(job)
            self._ready.notify()

    def take(self) -> tuple[_Job, Priority] | None:
        """The next job and its priority, waiting for one; None once closed. `done(priority)` when it ran."""
        with self._ready:
            while not self._closed and (priority := self._next_priority()) is None:
                self._ready.wait()
            if self._closed:
                return None
            assert priority is not None
            self._running[priority] += 1
            return self._waiting[priority].popleft(), priority

    def done(self, priority: Priority) -> None:
        with self._ready:
            self._running[priority] -= 1
            if priority in _HANDSHAKES and not self._handshakes_running() and self._waiting[Priority.OTHER]:
                self._ready.notify_all()  # the last handshake ended: threads held back may take the others

    def _next_priority(self) -> Priority | None:
        for priority in _HANDSHAKES:
            if self._waiting[priority]:
                return priority
        if not self._waiting[Priority.OTHER]:
            return None
        if self._handshakes_running() and self._running[Priority.OTHER] >= self._other_threads_during_handshakes:
            return None
        return Priority.OTHER

    def _handshakes_running(self) -> bool:
        return any(self._running[priority] for priority in _HANDSHAKES)

    def close(self) -> None:
        """Wake every thread to end; the jobs that never started are abandoned."""
        with self._ready:
            self._closed = True
            left = [job for jobs in self._waiting for job in jobs]
            for jobs in self._waiting:
                jobs.clear()
            self._ready.notify_all()
        for job in left:
            job.abandon()


class Invoker:
    """Runs invocations for the event loop on worker threads, so that the loop keeps serving while a
    handler calls back into the local APIs (the management API above all).

    The invocations waiting for a thread take the next free one by `Priority`: a connection's handshake
    ahead of charge point messages.

    `wind_down(deadline)` at shutdown: under load hundreds of charge point messages, and then a
    `$disconnect` per connection, wait for a thread, and threads running them all at once would keep
    the interpreter lock the event loop needs to close the connections. From then on the droppable
    invocations not started yet end at once instead of running, the others run a few at a time, and
    none starts after `deadline`. The threads check the deadline themselves: a starved loop could not
    tell them in time."""

    def __init__(self, threads: int) -> None:
        self._work = _Work()
        for n in range(threads):
            threading.Thread(target=self._serve, name=f"csms-local-handler_{n}", daemon=True).start()
        self._winding_down: _WindDown | None = None

    async def invoke(
        self,
        function: LocalFunction,
        event: dict[str, Any],
        *,
        droppable: bool = False,
        priority: Priority = Priority.OTHER,
    ) -> Any:
        """Raises `InvocationDroppedError` for an invocation dropped by `wind_down` before it started."""
        if self._dropped_now(droppable):  # not even handed to a thread
            raise InvocationDroppedError(function.name)
        loop = asyncio.get_running_loop()
        answer: asyncio.Future[Any] = loop.create_future()
        run = functools.partial(contextvars.copy_context().run, self._run, function, event, droppable)
        self._work.put(_Job(run, loop, answer), priority)
        return await answer

    def _serve(self) -> None:
        while (taken := self._work.take()) is not None:
            job, priority = taken
            try:
                job()
            finally:
                self._work.done(priority)

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
        """End the threads once their invocations return; the invocations that never started are not run
        (their callers' awaits are cancelled)."""
        self._work.close()
