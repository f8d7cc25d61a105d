"""The runtime's rate schedules at shutdown: told to stop firing, they start no run, and a run in progress
goes on to its end (the runtime waits for it later)."""

from __future__ import annotations

import threading
import time
from typing import Any

from csms.local.event_sources.schedule import RateSchedule
from csms.local.lambda_functions import LocalFunction


def test_a_schedule_told_to_stop_firing_starts_no_run_and_lets_one_in_progress_end() -> None:
    started, release = threading.Event(), threading.Event()
    runs: list[str] = []

    def handler(event: dict[str, Any], _: Any) -> None:
        runs.append("started")
        started.set()
        release.wait(5)
        runs.append("ended")

    schedule = RateSchedule(LocalFunction("billing_run", handler, 30), interval_seconds=0.01)
    schedule.start()
    assert started.wait(5)

    schedule.stop_firing()
    release.set()
    time.sleep(0.2)  # twenty intervals, in which a schedule still firing would start runs
    schedule.stop()

    assert runs == ["started", "ended"]
    assert schedule.invocations == 1


def test_a_run_still_going_after_the_wait_is_abandoned_as_at_a_lambda_timeout() -> None:
    started, release, ended = threading.Event(), threading.Event(), threading.Event()

    def handler(event: dict[str, Any], _: Any) -> None:
        started.set()
        release.wait(5)
        ended.set()

    schedule = RateSchedule(LocalFunction("billing_run", handler, 30), interval_seconds=0.01)
    schedule.start()
    assert started.wait(5)

    schedule.stop(wait_seconds=0.1)

    assert not ended.is_set()  # stop did not wait for it
    release.set()
    assert ended.wait(5)
    assert schedule.invocations <= 1
