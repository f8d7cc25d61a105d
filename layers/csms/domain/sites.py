"""Sites: grid connections that chargers share, and the current limit in force at one at a moment.

A site's limits are in amps per phase. The configured `grid_limit_amps` applies unless a period of
the `limit_schedule` runs (local times of the site's time zone; a period may cross midnight), and a
live limit from outside (a building energy manager, a grid operator's signal) overrides both until
it expires. No limit ever exceeds the grid limit: the connection's breaker.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from enum import IntEnum, StrEnum
from typing import Final
from zoneinfo import ZoneInfo

from csms.domain.configuration_settings import Settings

DAY = timedelta(days=1)
WEEK = timedelta(days=7)
DEFAULT_MAX_CURRENT_AMPS = Decimal(32)
DEFAULT_PHASES: Final = 3
DEFAULT_VOLTAGE = Decimal(230)
DEFAULT_MIN_CHARGING_CURRENT_AMPS = Decimal(6)


class Weekday(IntEnum):
    """As `date.weekday()` numbers them."""

    MONDAY = 0
    TUESDAY = 1
    WEDNESDAY = 2
    THURSDAY = 3
    FRIDAY = 4
    SATURDAY = 5
    SUNDAY = 6

    @property
    def day_name(self) -> str:
        """ "Monday", as the API and the store write it."""
        return self.name.capitalize()


EVERY_DAY = frozenset(Weekday)


@dataclass(frozen=True)
class LimitPeriod:
    """A lower limit from `start` to `end` (local times) on each of `days`, the days it starts on.

    An `end` not after `start` is on the next day (22:00 to 06:00 crosses midnight); `end` equal to
    `start` makes a period of a whole day.
    """

    start: time
    end: time
    limit_amps: Decimal
    days: frozenset[Weekday] = EVERY_DAY

    @property
    def length(self) -> timedelta:
        """By the clock on the wall (a night when clocks change lasts an hour more or less)."""
        return (_since_midnight(self.end) - _since_midnight(self.start)) % DAY or DAY

    def weekly_spans(self) -> Iterator[tuple[timedelta, timedelta]]:
        """(start since Monday 00:00, length) of each occurrence in a week, by the clock on the wall."""
        for day in sorted(self.days):
            yield day * DAY + _since_midnight(self.start), self.length

    def occurrences(self, zone: ZoneInfo, first_day: date, days: int) -> Iterator[tuple[datetime, datetime]]:
        """(start, end) in UTC of the occurrences that start on `days` days from `first_day` (local dates)."""
        for offset in range(days):
            day = first_day + offset * DAY
            if Weekday(day.weekday()) in self.days:
                start = datetime.combine(day, self.start, tzinfo=zone)
                end = datetime.combine(day + (DAY if self.end <= self.start else timedelta()), self.end, tzinfo=zone)
                yield start.astimezone(UTC), end.astimezone(UTC)


@dataclass(frozen=True)
class Site:
    """A grid connection. `min_charging_current_amps`: below it a vehicle is paused at 0, not starved."""

    site_id: str
    name: str
    grid_limit_amps: Decimal
    phases: int = DEFAULT_PHASES
    voltage: Decimal = DEFAULT_VOLTAGE
    min_charging_current_amps: Decimal = DEFAULT_MIN_CHARGING_CURRENT_AMPS
    limit_schedule: tuple[LimitPeriod, ...] = ()
    time_zone: str = "UTC"  # IANA, e.g. "Europe/Berlin"
    # The default provisioning profile of its chargers (`csms.domain.provisioning`); a charger's own one wins.
    provisioning: Settings = ()
    # Whether its chargers' local authorization lists are kept in sync (`csms.local_lists`); a charger's own wins.
    local_list_enabled: bool = False


@dataclass(frozen=True)
class LiveLimit:
    """A limit set from outside that overrides the configured one and the schedule until `valid_until`."""

    limit_amps: Decimal
    valid_until: datetime


@dataclass(frozen=True)
class StoredSite:
    """A site as stored: its configuration, the live limit last set (expired or not), when it last changed."""

    site: Site
    live_limit: LiveLimit | None
    updated_at: datetime

    def limit_in_force(self, now: datetime) -> "LimitInForce":
        return limit_in_force(self.site, self.live_limit, now)

    def planning_limit(self, now: datetime, look_ahead: timedelta) -> "LimitInForce":
        return planning_limit(self.site, self.live_limit, now, look_ahead)


class LimitSource(StrEnum):
    CONFIGURED = "configured"
    SCHEDULE = "schedule"
    LIVE = "live"


@dataclass(frozen=True)
class LimitInForce:
    """The limit at a moment, where it comes from, and until when at most (None: until the site changes)."""

    amps: Decimal
    source: LimitSource
    until: datetime | None


@dataclass(frozen=True)
class ChargerWiring:
    """How a charger draws from the grid: its site (None: none), the current each of its connectors or EVSEs
    can deliver per phase, and its phases."""

    site_id: str | None = None
    max_current_amps: Decimal = DEFAULT_MAX_CURRENT_AMPS
    phases: int = DEFAULT_PHASES
    # The site phase (1-3) a 1-phase charger is wired to; None: not known, counted on every phase.
    site_phase: int | None = None


@dataclass(frozen=True)
class WiringChange:
    """What registering a charger changes of its wiring: a value left None stays as it is."""

    site_id: str | None = None
    leaves_site: bool = False  # takes it out of its site
    max_current_amps: Decimal | None = None
    phases: int | None = None
    site_phase: int | None = None
    clears_site_phase: bool = False  # its site phase is no longer known

    def applied_to(self, wiring: ChargerWiring) -> ChargerWiring:
        return ChargerWiring(
            site_id=None if self.leaves_site else wiring.site_id if self.site_id is None else self.site_id,
            max_current_amps=wiring.max_current_amps if self.max_current_amps is None else self.max_current_amps,
            phases=wiring.phases if self.phases is None else self.phases,
            site_phase=self._site_phase(wiring),
        )

    def _site_phase(self, wiring: ChargerWiring) -> int | None:
        if self.clears_site_phase:
            return None
        return wiring.site_phase if self.site_phase is None else self.site_phase


def limit_in_force(site: Site, live: LiveLimit | None, now: datetime) -> LimitInForce:
    """The live limit until it expires, else the lowest schedule period running, else the grid limit.

    A live limit set above the grid limit counts at the grid limit (the site may have been lowered
    since). `until` is when the answer may change next: the live limit's expiry, or the next start
    or end of a period.
    """
    if live is not None and now < live.valid_until:
        return LimitInForce(min(live.limit_amps, site.grid_limit_amps), LimitSource.LIVE, live.valid_until)
    zone = ZoneInfo(site.time_zone)
    yesterday = now.astimezone(zone).date() - DAY
    # From yesterday (a period that crossed midnight) over a week on: every period occurs in it.
    spans = [
        (start, end, period.limit_amps)
        for period in site.limit_schedule
        for start, end in period.occurrences(zone, yesterday, days=9)
    ]
    running = [amps for start, end, amps in spans if start <= now < end]
    changes = [moment for start, end, _ in spans for moment in (start, end) if moment > now]
    until = min(changes, default=None)
    if running:
        # Periods do not overlap on the wall clock, but the hour skipped when clocks go forward can
        # make two meet: the lower limit is the safe one.
        return LimitInForce(min(running), LimitSource.SCHEDULE, until)
    return LimitInForce(site.grid_limit_amps, LimitSource.CONFIGURED, until)


def planning_limit(site: Site, live: LiveLimit | None, now: datetime, look_ahead: timedelta) -> LimitInForce:
    """The lowest limit in force over [now, now + look_ahead] (the first of equals): what an allocation made
    now must keep to, so that a drop coming (a period starting, a live limit expiring) is applied before it."""
    horizon = now + look_ahead
    lowest = current = limit_in_force(site, live, now)
    while current.until is not None and current.until <= horizon:
        current = limit_in_force(site, live, current.until)
        if current.amps < lowest.amps:
            lowest = current
    return lowest


def _since_midnight(moment: time) -> timedelta:
    return timedelta(hours=moment.hour, minutes=moment.minute, seconds=moment.second, microseconds=moment.microsecond)
