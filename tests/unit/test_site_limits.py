"""The limit in force at a site: the configured limit, schedule periods (across midnight, on some days, in the
site's time zone, across clock changes) and a live limit until it expires."""

from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

import pytest

from csms.domain.sites import (
    LimitInForce,
    LimitPeriod,
    LimitSource,
    LiveLimit,
    Site,
    Weekday,
    limit_in_force,
)

CONFIGURED = LimitSource.CONFIGURED
SCHEDULE = LimitSource.SCHEDULE
LIVE = LimitSource.LIVE
EVENING = LimitPeriod(time(17), time(21), Decimal(40))
NIGHT = LimitPeriod(time(22), time(6), Decimal(20), frozenset({Weekday.FRIDAY}))
# 2026-11-20 is a Friday; Berlin is UTC+1 then.
BERLIN = Site("S1", "Depot", Decimal(63), limit_schedule=(EVENING, NIGHT), time_zone="Europe/Berlin")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        # Before the evening period (local 16:59): the grid limit, until the period starts.
        ("2026-11-20T16:59:00+01:00", LimitInForce(Decimal(63), CONFIGURED, at("2026-11-20T17:00:00+01:00"))),
        ("2026-11-20T17:00:00+01:00", LimitInForce(Decimal(40), SCHEDULE, at("2026-11-20T21:00:00+01:00"))),
        # The end is not in the period.
        ("2026-11-20T21:00:00+01:00", LimitInForce(Decimal(63), CONFIGURED, at("2026-11-20T22:00:00+01:00"))),
        # Friday's night period crosses midnight into Saturday.
        ("2026-11-20T23:30:00+01:00", LimitInForce(Decimal(20), SCHEDULE, at("2026-11-21T06:00:00+01:00"))),
        ("2026-11-21T05:59:59+01:00", LimitInForce(Decimal(20), SCHEDULE, at("2026-11-21T06:00:00+01:00"))),
        # Thursday night has no night period.
        ("2026-11-19T23:30:00+01:00", LimitInForce(Decimal(63), CONFIGURED, at("2026-11-20T17:00:00+01:00"))),
        # Local time, not UTC: 16:30 UTC is 17:30 in Berlin.
        ("2026-11-20T16:30:00+00:00", LimitInForce(Decimal(40), SCHEDULE, at("2026-11-20T21:00:00+01:00"))),
    ],
)
def test_the_schedule_applies_in_the_sites_time_zone(now: str, expected: LimitInForce) -> None:
    assert limit_in_force(BERLIN, None, at(now)) == expected


def test_without_a_schedule_the_grid_limit_applies_for_good() -> None:
    site = Site("S1", "Depot", Decimal(32))

    assert limit_in_force(site, None, at("2026-11-20T12:00:00Z")) == LimitInForce(Decimal(32), CONFIGURED, None)


def test_a_period_of_a_whole_day_runs_from_its_start_to_the_same_time_the_next_day() -> None:
    site = Site("S1", "Depot", Decimal(32), limit_schedule=(LimitPeriod(time(8), time(8), Decimal(10)),))

    assert limit_in_force(site, None, at("2026-11-20T07:00:00Z")) == LimitInForce(
        Decimal(10), SCHEDULE, at("2026-11-20T08:00:00Z")
    )


def test_a_live_limit_overrides_the_schedule_until_it_expires() -> None:
    live = LiveLimit(Decimal(25), at("2026-11-20T18:30:00+01:00"))

    assert limit_in_force(BERLIN, live, at("2026-11-20T17:30:00+01:00")) == LimitInForce(
        Decimal(25), LIVE, live.valid_until
    )
    assert limit_in_force(BERLIN, live, at("2026-11-20T18:30:00+01:00")) == LimitInForce(
        Decimal(40), SCHEDULE, at("2026-11-20T21:00:00+01:00")
    )


def test_a_live_limit_above_a_grid_limit_lowered_since_counts_at_the_grid_limit() -> None:
    live = LiveLimit(Decimal(80), at("2026-11-20T18:30:00Z"))

    assert limit_in_force(BERLIN, live, at("2026-11-20T12:00:00Z")).amps == Decimal(63)


def test_periods_follow_the_wall_clock_when_clocks_go_back() -> None:
    """Berlin goes from UTC+2 to UTC+1 at 03:00 on 2026-10-25: the night from Saturday lasts 9 hours."""
    night = LimitPeriod(time(22), time(6), Decimal(20), frozenset({Weekday.SATURDAY}))
    site = Site("S1", "Depot", Decimal(63), limit_schedule=(night,), time_zone="Europe/Berlin")

    assert limit_in_force(site, None, at("2026-10-24T20:00:00Z")) == LimitInForce(
        Decimal(20), SCHEDULE, at("2026-10-25T05:00:00Z")
    )


def test_when_clocks_go_forward_the_lower_of_two_periods_that_meet_applies() -> None:
    """Berlin skips 02:00-03:00 on 2026-03-29: a period ending at 02:30 (read as 01:30 UTC) runs past the next
    period's start at 03:00 (01:00 UTC)."""
    first = LimitPeriod(time(0), time(2, 30), Decimal(30))
    second = LimitPeriod(time(3), time(5), Decimal(20))
    site = Site("S1", "Depot", Decimal(63), limit_schedule=(first, second), time_zone="Europe/Berlin")

    assert limit_in_force(site, None, at("2026-03-29T01:15:00Z")) == LimitInForce(
        Decimal(20), SCHEDULE, at("2026-03-29T01:30:00Z")
    )


def test_the_next_change_may_be_days_away() -> None:
    monday = LimitPeriod(time(9), time(10), Decimal(20), frozenset({Weekday.MONDAY}))
    site = Site("S1", "Depot", Decimal(63), limit_schedule=(monday,))

    # Tuesday 2026-11-24, 10:00 UTC: the next Monday's period.
    found = limit_in_force(site, None, at("2026-11-24T10:00:00Z"))

    assert found == LimitInForce(Decimal(63), CONFIGURED, at("2026-11-30T09:00:00Z"))
    assert found.until is not None
    assert found.until - at("2026-11-24T10:00:00Z") == timedelta(days=5, hours=23)
