"""A local EventBridge Scheduler schedule: invokes a Lambda handler at a fixed rate.

moto stores schedules but never fires them, so the embedded runtime fires the scheduled functions
itself, with the event the deployed schedule sends. A run that raises is logged; the next
one, a rate later, picks up whatever it left (as on AWS, where the schedule does not retry).
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from csms.local.lambda_functions import LocalFunction

log = logging.getLogger("local-runtime.schedule")

SCHEDULE_EVENT: dict[str, Any] = {"source": "schedule"}


class RateSchedule:
    def __init__(self, function: LocalFunction, interval_seconds: float) -> None:
        if interval_seconds <= 0:
            raise ValueError(f"interval_seconds must be positive, got {interval_seconds}")
        self._function = function
        self._interval = interval_seconds
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"csms-local-{function.name}-schedule", daemon=True)
        self.invocations = 0

    def start(self) -> None:
        self._thread.start()

    def stop_firing(self) -> None:
        """No run starts from now on (a run in progress goes on)."""
        self._stopping.set()

    def stop(self, wait_seconds: float | None = None) -> None:
        """Stop firing and wait for a run in progress, for up to `wait_seconds` (None: until it ends). A run
        still going then is abandoned, as Lambda ends a function at its timeout: every scheduled function
        leaves its work so that the next run picks it up."""
        self.stop_firing()
        if self._thread.is_alive():
            self._thread.join(wait_seconds)
        if self._thread.is_alive():
            log.warning("%s still running at shutdown: abandoned (its next run picks up the rest)", self._function.name)

    def _run(self) -> None:
        # The first run is a rate after the start, as with `rate(...)` schedules.
        while not self._stopping.wait(self._interval):
            try:
                self._function.invoke(dict(SCHEDULE_EVENT))
            except Exception:
                if self._stopping.is_set():  # abandoned at shutdown: what it called is gone
                    log.info("%s ended by the shutdown", self._function.name, exc_info=True)
                else:
                    log.exception("%s failed; the next scheduled run retries", self._function.name)
            self.invocations += 1
