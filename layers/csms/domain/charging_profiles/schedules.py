"""Charging schedules: which period is in force at a moment, and its limit in amps.

Both versions schedule alike: periods start `startPeriod` seconds after the schedule's start, the
last one lasting until `duration` ends (or for ever), and the schedule starts at `startSchedule`
(Absolute, Recurring), or when the session started (Relative). A Recurring schedule starts again
every day or week from `startSchedule`.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from enum import StrEnum


class RateUnit(StrEnum):
    AMPS = "A"
    WATTS = "W"


class ProfileKind(StrEnum):
    ABSOLUTE = "Absolute"
    RECURRING = "Recurring"
    RELATIVE = "Relative"


class RecurrencyKind(StrEnum):
    DAILY = "Daily"
    WEEKLY = "Weekly"


RECURRENCE = {RecurrencyKind.DAILY: timedelta(days=1), RecurrencyKind.WEEKLY: timedelta(weeks=1)}


@dataclass(frozen=True)
class SchedulePeriod:
    start_period: int  # seconds after the schedule's start
    limit: Decimal  # in the schedule's rate unit
    number_phases: int | None = None  # absent: the charge point's phases (OCPP: 3 for AC)


@dataclass(frozen=True)
class ChargingSchedule:
    rate_unit: RateUnit
    periods: tuple[SchedulePeriod, ...]
    start_schedule: datetime | None = None
    duration: int | None = None  # seconds; None: the last period lasts on

    def period_at(
        self, at: datetime, kind: ProfileKind, recurrency: RecurrencyKind | None, origin: datetime
    ) -> SchedulePeriod | None:
        """The period in force at `at`, None before the schedule starts or after it ends.

        `origin` is where the schedule starts when it does not say: the session's start for a Relative
        profile, else when the profile was installed.
        """
        start = origin if kind is ProfileKind.RELATIVE or self.start_schedule is None else self.start_schedule
        elapsed = at - start
        if elapsed < timedelta(0):
            return None
        if kind is ProfileKind.RECURRING and recurrency is not None:
            elapsed %= RECURRENCE[recurrency]
        seconds = elapsed.total_seconds()
        if self.duration is not None and seconds >= self.duration:
            return None
        started = [period for period in self.periods if period.start_period <= seconds]
        return max(started, key=lambda period: period.start_period) if started else None


def in_amps(limit: Decimal, unit: RateUnit, phases: int, voltage: Decimal) -> Decimal:
    """A limit as current per phase: watts are shared by `phases` phases at `voltage` (phase to neutral)."""
    return limit if unit is RateUnit.AMPS else limit / (voltage * phases)
