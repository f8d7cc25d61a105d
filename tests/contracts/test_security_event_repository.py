"""The `SecurityEventRepository` contract: events kept as stored, newest first, by charger, type and time, paged."""

from datetime import UTC, datetime, timedelta

import pytest

from csms.domain.pagination import InvalidPageTokenError
from csms.domain.security_events import SecurityEvent, SecurityEventFilter, SecurityEventRepository, SecurityEventSource
from tests.contracts.paging import FOREIGN_TOKENS, assert_pages_hold_each_once

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def event(charge_point_id: str, event_id: str, minutes: int, type: str = "TamperDetectionActivated") -> SecurityEvent:
    return SecurityEvent(
        event_id=event_id,
        charge_point_id=charge_point_id,
        type=type,
        timestamp=T0 + timedelta(minutes=minutes),
        detail={"techInfo": "lid opened", "attempts": 5},
        critical=True,
        source=SecurityEventSource.CHARGER,
    )


EVENTS = [
    event("CP-1", "a", 0),
    event("CP-2", "b", 1, "StartupOfTheDevice"),
    event("CP-1", "c", 2, "RepeatedWrongPasswords"),
    event("CP-1", "d", 3, "StartupOfTheDevice"),
]


def listed(repository: SecurityEventRepository, where: SecurityEventFilter) -> list[str]:
    return [stored.event_id for stored in repository.page(where, 100).items]


def test_an_event_round_trips(security_events: SecurityEventRepository) -> None:
    security_events.put(EVENTS[0])

    assert security_events.page(SecurityEventFilter(), 10).items == [EVENTS[0]]


def test_a_resent_event_is_kept_once(security_events: SecurityEventRepository) -> None:
    security_events.put(EVENTS[0])
    security_events.put(EVENTS[0])

    assert listed(security_events, SecurityEventFilter()) == ["a"]


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        (SecurityEventFilter(), ["d", "c", "b", "a"]),
        (SecurityEventFilter(charge_point_id="CP-1"), ["d", "c", "a"]),
        (SecurityEventFilter(type="StartupOfTheDevice"), ["d", "b"]),
        (SecurityEventFilter(charge_point_id="CP-1", type="StartupOfTheDevice"), ["d"]),
        (SecurityEventFilter(since=T0 + timedelta(minutes=1)), ["d", "c", "b"]),
        (SecurityEventFilter(charge_point_id="CP-2", since=T0 + timedelta(minutes=2)), []),
        (SecurityEventFilter(charge_point_id="CP-404"), []),
    ],
)
def test_events_are_listed_newest_first_by_charger_type_and_time(
    security_events: SecurityEventRepository, where: SecurityEventFilter, expected: list[str]
) -> None:
    for stored in EVENTS:
        security_events.put(stored)

    assert listed(security_events, where) == expected


@pytest.mark.parametrize(
    "where",
    [
        SecurityEventFilter(),
        SecurityEventFilter(charge_point_id="CP-1"),
        SecurityEventFilter(type="StartupOfTheDevice"),
    ],
)
def test_pages_hold_each_event_once(security_events: SecurityEventRepository, where: SecurityEventFilter) -> None:
    for stored in EVENTS:
        security_events.put(stored)

    expected = [stored for stored in EVENTS if where.matches(stored)]
    assert_pages_hold_each_once(
        lambda limit, token: security_events.page(where, limit, token), expected, key=lambda e: e.event_id
    )


@pytest.mark.parametrize("token", FOREIGN_TOKENS)
def test_a_foreign_token_is_refused(security_events: SecurityEventRepository, token: str) -> None:
    security_events.put(EVENTS[0])

    with pytest.raises(InvalidPageTokenError):
        security_events.page(SecurityEventFilter(), 1, token)
