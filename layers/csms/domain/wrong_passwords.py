"""Repeated wrong passwords for one charge point id: counted, answered more and more slowly, and reported.

Only the refusal waits: a connection with the right password is admitted at once, however many wrong ones came
before, so nobody can lock the real charger out by guessing. Counted per charge point id in a window that
begins with its first wrong password; only registered charge points with a password are counted (an unknown id
is refused without a trace), so what is kept is bounded by the fleet.

Figures: the first 3 wrong passwords of a window are refused at once; then the refusal waits 0.5 s, 1 s, 2 s,
4 s, and 5 s from the 8th on. The 5th of a window is recorded as a critical security event
(`RepeatedWrongPasswords`), once per window of 15 minutes.
"""

from datetime import datetime, timedelta
from typing import Protocol

from csms.domain.ports import Clock
from csms.domain.security_events import SecurityEvents

FREE_FAILURES = 3
FIRST_DELAY_SECONDS = 0.5
MAX_DELAY_SECONDS = 5.0
WINDOW = timedelta(minutes=15)
REPORTED_AT = 5
FINDING = "RepeatedWrongPasswords"


class FailureCounter(Protocol):
    def count(self, charge_point_id: str, at: datetime, window: timedelta) -> int:
        """Count one failure, atomically; returns its number within the window (which begins with the first
        failure counted after the previous window ended)."""


def answer_delay(failures: int) -> float:
    """How long the refusal of the `failures`-th wrong password of a window waits, in seconds."""
    if failures <= FREE_FAILURES:
        return 0.0
    return min(FIRST_DELAY_SECONDS * 2 ** (failures - FREE_FAILURES - 1), MAX_DELAY_SECONDS)


class WrongPasswords:
    def __init__(self, counter: FailureCounter, security_events: SecurityEvents, clock: Clock) -> None:
        self._counter = counter
        self._security_events = security_events
        self._clock = clock

    def failed(self, charge_point_id: str) -> float:
        """Count a wrong password; returns how long to wait before refusing it."""
        failures = self._counter.count(charge_point_id, self._clock.now(), WINDOW)
        if failures == REPORTED_AT:
            detail = {"failures": failures, "windowMinutes": int(WINDOW.total_seconds() // 60)}
            self._security_events.record(charge_point_id, FINDING, detail, critical=True)
        return answer_delay(failures)
