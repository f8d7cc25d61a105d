"""The notification listings of `ChargePointRepository`: one charge point's, newest first and paged,
and the newest of the whole fleet."""

from datetime import UTC, datetime, timedelta

import pytest

from csms.domain.models import Notification
from csms.domain.pagination import InvalidPageTokenError
from csms.domain.ports import ChargePointRepository
from tests.contracts.paging import FOREIGN_TOKENS, every_page

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
EVENT, SECURITY, FIRMWARE, STATUS = (
    "NotifyEvent",
    "SecurityEventNotification",
    "FirmwareStatusNotification",
    ("StatusNotification"),
)
KINDS = [EVENT, SECURITY, FIRMWARE, STATUS]


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


# CP-1's: six notifications of three kinds, interleaved in time.
CP_1 = [
    (5, EVENT, "e-5"),
    (1, EVENT, "e-1"),
    (3, SECURITY, "s-3"),
    (4, FIRMWARE, "f-4"),
    (2, FIRMWARE, "f-2"),
    (6, SECURITY, "s-6"),
]


@pytest.fixture
def notified(charge_points: ChargePointRepository) -> ChargePointRepository:
    """CP-1's six; CP-2: two; CP-3: one of its own kind."""
    for minutes, kind, message_id in CP_1:
        charge_points.record_notification("CP-1", kind, message_id, at(minutes), {"n": minutes})
    charge_points.record_notification("CP-2", SECURITY, "s-2b", at(2), {"type": "Tamper"})
    charge_points.record_notification("CP-2", EVENT, "e-7b", at(7), {"seqNo": 0})
    charge_points.record_notification("CP-3", STATUS, "st-0", T0, {"status": "Faulted"})
    return charge_points


def ids(notifications: list[Notification]) -> list[str]:
    return [notification.message_id for notification in notifications]


def test_a_charge_points_notifications_come_newest_first_across_kinds(notified: ChargePointRepository) -> None:
    page = notified.page_notifications("CP-1", KINDS, None, 10)

    assert ids(page.items) == ["s-6", "e-5", "f-4", "s-3", "f-2", "e-1"]
    assert page.next_token is None
    assert page.items[0] == Notification("CP-1", SECURITY, "s-6", at(6), {"n": 6})


def test_they_can_be_limited_to_some_kinds_and_to_those_since_a_time(notified: ChargePointRepository) -> None:
    assert ids(notified.page_notifications("CP-1", [FIRMWARE], None, 10).items) == ["f-4", "f-2"]
    assert ids(notified.page_notifications("CP-1", [EVENT, SECURITY], at(3), 10).items) == ["s-6", "e-5", "s-3"]
    assert notified.page_notifications("CP-1", [STATUS], None, 10).items == []
    assert notified.page_notifications("CP-404", KINDS, None, 10).items == []


@pytest.mark.parametrize("kinds", [KINDS, [FIRMWARE, SECURITY], [EVENT]], ids=len)
def test_pages_of_a_charge_points_notifications_hold_each_once_newest_first(
    notified: ChargePointRepository, kinds: list[str]
) -> None:
    expected = [message_id for _, kind, message_id in sorted(CP_1, reverse=True) if kind in kinds]

    for limit in (1, 2, 4, len(expected) + 1):
        pages = every_page(lambda count, token: notified.page_notifications("CP-1", kinds, None, count, token), limit)
        assert [n.message_id for page in pages for n in page] == expected, limit
        assert all(len(page) == limit for page in pages[:-1]), limit


def test_a_token_continues_only_the_listing_that_returned_it(notified: ChargePointRepository) -> None:
    token = notified.page_notifications("CP-1", KINDS, None, 2).next_token
    assert token is not None

    assert ids(notified.page_notifications("CP-1", KINDS, None, 2, token).items) == ["f-4", "s-3"]
    for other in (
        lambda: notified.page_notifications("CP-2", KINDS, None, 2, token),
        lambda: notified.page_notifications("CP-1", [EVENT], None, 2, token),
        lambda: notified.page_notifications("CP-1", KINDS, at(1), 2, token),
    ):
        with pytest.raises(InvalidPageTokenError):
            other()


@pytest.mark.parametrize("token", FOREIGN_TOKENS)
def test_a_token_no_listing_returned_is_refused(notified: ChargePointRepository, token: str) -> None:
    with pytest.raises(InvalidPageTokenError):
        notified.page_notifications("CP-1", KINDS, None, 2, token)


def test_the_newest_of_the_fleet_come_newest_first_of_the_kinds_asked(notified: ChargePointRepository) -> None:
    assert ids(notified.latest_notifications(KINDS, 4)) == ["e-7b", "s-6", "e-5", "f-4"]
    assert ids(notified.latest_notifications([SECURITY], 10)) == ["s-6", "s-3", "s-2b"]
    assert notified.latest_notifications([STATUS], 1) == [
        Notification("CP-3", STATUS, "st-0", T0, {"status": "Faulted"})
    ]
    assert notified.latest_notifications(["NotifyDisplayMessages"], 5) == []


def test_a_deleted_charge_points_notifications_leave_the_fleets(notified: ChargePointRepository) -> None:
    notified.delete("CP-1")

    assert ids(notified.latest_notifications(KINDS, 10)) == ["e-7b", "s-2b", "st-0"]
