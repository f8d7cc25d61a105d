"""The limit a rebalance plans for: the lowest limit in force from now to the look-ahead's end, so that a
drop (a schedule period starting, a live limit expiring) is applied before it takes effect."""

from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

import pytest

from csms.domain.sites import LimitInForce, LimitPeriod, LimitSource, LiveLimit, Site, Weekday, planning_limit

CONFIGURED = LimitSource.CONFIGURED
SCHEDULE = LimitSource.SCHEDULE
LIVE = LimitSource.LIVE
AHEAD = timedelta(minutes=3)
WEEKDAYS = frozenset({Weekday.MONDAY, Weekday.TUESDAY, Weekday.WEDNESDAY, Weekday.THURSDAY, Weekday.FRIDAY})
EVENING = LimitPeriod(time(17), time(21), Decimal(16), WEEKDAYS)
NIGHT = LimitPeriod(time(22), time(6), Decimal(10))
# 2026-11-20 is a Friday, 2026-11-21 a Saturday; Berlin is UTC+1 then, UTC+2 on 2026-07-03 (a Friday).
DEPOT = Site("S1", "Depot", Decimal(32), limit_schedule=(EVENING, NIGHT))
BERLIN = Site("S2", "Berlin", Decimal(32), limit_schedule=(EVENING,), time_zone="Europe/Berlin")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


@pytest.mark.parametrize(
    ("site", "live", "now", "expected"),
    [
        # No change within the look-ahead: the limit in force now.
        (DEPOT, None, "2026-11-20T16:50:00Z", LimitInForce(Decimal(32), CONFIGURED, at("2026-11-20T17:00:00Z"))),
        # The evening period starts within it: planned for already.
        (DEPOT, None, "2026-11-20T16:58:00Z", LimitInForce(Decimal(16), SCHEDULE, at("2026-11-20T21:00:00Z"))),
        # The look-ahead's end is in it: a period starting exactly then counts.
        (DEPOT, None, "2026-11-20T16:57:00Z", LimitInForce(Decimal(16), SCHEDULE, at("2026-11-20T21:00:00Z"))),
        (DEPOT, None, "2026-11-20T16:56:59Z", LimitInForce(Decimal(32), CONFIGURED, at("2026-11-20T17:00:00Z"))),
        # A period ending within it does not raise the limit before its end.
        (DEPOT, None, "2026-11-20T20:59:00Z", LimitInForce(Decimal(16), SCHEDULE, at("2026-11-20T21:00:00Z"))),
        # Days of the week: no evening period on a Saturday.
        (DEPOT, None, "2026-11-21T16:58:00Z", LimitInForce(Decimal(32), CONFIGURED, at("2026-11-21T22:00:00Z"))),
        # Across midnight: the night period runs on until 06:00, and is seen coming at 21:59.
        (DEPOT, None, "2026-11-21T05:58:00Z", LimitInForce(Decimal(10), SCHEDULE, at("2026-11-21T06:00:00Z"))),
        (DEPOT, None, "2026-11-21T21:59:00Z", LimitInForce(Decimal(10), SCHEDULE, at("2026-11-22T06:00:00Z"))),
        (DEPOT, None, "2026-11-21T23:59:00Z", LimitInForce(Decimal(10), SCHEDULE, at("2026-11-22T06:00:00Z"))),
        # Two periods within it (the evening's end, and a lower one a minute later): the lowest.
        (
            Site("S3", "Depot", Decimal(32), limit_schedule=(EVENING, LimitPeriod(time(21, 1), time(6), Decimal(8)))),
            None,
            "2026-11-20T20:59:00Z",
            LimitInForce(Decimal(8), SCHEDULE, at("2026-11-21T06:00:00Z")),
        ),
        # A live limit expiring within it into a lower schedule period: the period's limit.
        (
            DEPOT,
            LiveLimit(Decimal(20), at("2026-11-20T17:01:00Z")),
            "2026-11-20T16:59:00Z",
            LimitInForce(Decimal(16), SCHEDULE, at("2026-11-20T21:00:00Z")),
        ),
        # A live limit set above the grid limit (counted at it) expiring into a lower period.
        (
            Site("S4", "Depot", Decimal(16), limit_schedule=(LimitPeriod(time(12, 1), time(13), Decimal(10)),)),
            LiveLimit(Decimal(40), at("2026-11-20T12:02:00Z")),
            "2026-11-20T12:00:00Z",
            LimitInForce(Decimal(10), SCHEDULE, at("2026-11-20T13:00:00Z")),
        ),
        # A live limit lower than what follows its expiry: the live limit.
        (
            DEPOT,
            LiveLimit(Decimal(6), at("2026-11-20T16:59:00Z")),
            "2026-11-20T16:58:00Z",
            LimitInForce(Decimal(6), LIVE, at("2026-11-20T16:59:00Z")),
        ),
        # A live limit outlasting the look-ahead hides the period starting under it.
        (
            DEPOT,
            LiveLimit(Decimal(25), at("2026-11-20T18:00:00Z")),
            "2026-11-20T16:58:00Z",
            LimitInForce(Decimal(25), LIVE, at("2026-11-20T18:00:00Z")),
        ),
        # The site's time zone: 17:00 in Berlin is 16:00 UTC in November, 15:00 UTC in July.
        (BERLIN, None, "2026-11-20T15:58:00Z", LimitInForce(Decimal(16), SCHEDULE, at("2026-11-20T20:00:00Z"))),
        (BERLIN, None, "2026-11-20T16:58:00Z", LimitInForce(Decimal(16), SCHEDULE, at("2026-11-20T20:00:00Z"))),
        (BERLIN, None, "2026-07-03T14:58:00Z", LimitInForce(Decimal(16), SCHEDULE, at("2026-07-03T19:00:00Z"))),
        (BERLIN, None, "2026-07-03T14:50:00Z", LimitInForce(Decimal(32), CONFIGURED, at("2026-07-03T15:00:00Z"))),
        (BERLIN, None, "2026-07-03T18:58:00Z", LimitInForce(Decimal(16), SCHEDULE, at("2026-07-03T19:00:00Z"))),
    ],
)
def test_the_planning_limit_is_the_lowest_in_force_over_the_look_ahead(
    site: Site, live: LiveLimit | None, now: str, expected: LimitInForce
) -> None:
    assert planning_limit(site, live, at(now), AHEAD) == expected


def test_without_a_look_ahead_it_is_the_limit_in_force_now() -> None:
    assert planning_limit(DEPOT, None, at("2026-11-20T16:59:59Z"), timedelta()) == LimitInForce(
        Decimal(32), CONFIGURED, at("2026-11-20T17:00:00Z")
    )
