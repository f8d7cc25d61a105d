"""`DynamoDbReservationRepository` on moto: one ending per reservation, and filtered pages."""

from datetime import UTC, datetime, timedelta

import pytest

from csms.domain.models import Reservation, ReservationStatus
from csms.domain.pagination import InvalidPageTokenError, encode_page_token
from csms.domain.ports import ReservationRepository
from csms.services import Repositories

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def reservation(charge_point_id: str, reservation_id: int, **fields: object) -> Reservation:
    defaults: dict[str, object] = {
        "id_token": "TAG",
        "expiry": T0 + timedelta(hours=1),
        "status": ReservationStatus.RESERVED,
        "updated_at": T0,
    }
    return Reservation(charge_point_id, reservation_id, **(defaults | fields))  # type: ignore[arg-type]


@pytest.fixture
def reservations(repositories: Repositories) -> ReservationRepository:
    return repositories.reservations


def every_page(reservations: ReservationRepository, limit: int, **filters: object) -> list[list[tuple[str, int]]]:
    pages, token = [], None
    while True:
        page = reservations.page(limit, token, **filters)  # type: ignore[arg-type]
        pages.append([(r.charge_point_id, r.reservation_id) for r in page.items])
        token = page.next_token
        if token is None:
            return pages


def test_a_reservation_round_trips(reservations: ReservationRepository) -> None:
    stored = reservation("CP-1", 7, connector_id=1, evse_id=None)
    reservations.put(stored)

    assert reservations.get("CP-1", 7) == stored
    assert reservations.get("CP-1", 8) is None


def test_only_a_reserved_reservation_ends(reservations: ReservationRepository) -> None:
    reservations.put(reservation("CP-1", 7))
    later = T0 + timedelta(minutes=5)

    assert reservations.end("CP-1", 7, ReservationStatus.USED, later, transaction_id="42") is True
    assert reservations.end("CP-1", 7, ReservationStatus.CANCELLED, later) is False
    assert reservations.end("CP-1", 99, ReservationStatus.CANCELLED, later) is False

    assert reservations.get("CP-1", 7) == reservation(
        "CP-1", 7, status=ReservationStatus.USED, updated_at=later, transaction_id="42"
    )
    assert reservations.get("CP-1", 99) is None  # ending an unknown one does not create it


def test_a_new_reservation_with_a_used_id_replaces_the_old_one(reservations: ReservationRepository) -> None:
    reservations.put(reservation("CP-1", 7))
    reservations.end("CP-1", 7, ReservationStatus.EXPIRED, T0)

    reservations.put(reservation("CP-1", 7, id_token="OTHER"))

    stored = reservations.get("CP-1", 7)
    assert stored is not None
    assert (stored.status, stored.id_token) == (ReservationStatus.RESERVED, "OTHER")


def test_pages_of_a_charge_point_come_in_reservation_id_order(reservations: ReservationRepository) -> None:
    for reservation_id in (3, 1, 5, 2, 4):
        reservations.put(reservation("CP-1", reservation_id))
    reservations.put(reservation("CP-2", 1))

    pages = every_page(reservations, 2, charge_point_id="CP-1")

    assert pages == [[("CP-1", 1), ("CP-1", 2)], [("CP-1", 3), ("CP-1", 4)], [("CP-1", 5)]]


def test_a_status_filter_still_fills_pages(reservations: ReservationRepository) -> None:
    # Given reservations on two charge points of which every other one was used
    for charge_point_id in ("CP-1", "CP-2"):
        for reservation_id in range(1, 7):
            reservations.put(reservation(charge_point_id, reservation_id))
            if reservation_id % 2 == 0:
                reservations.end(charge_point_id, reservation_id, ReservationStatus.USED, T0)

    # When the used ones are listed, two at a time, first of one charge point, then of all
    one = every_page(reservations, 2, charge_point_id="CP-1", status=ReservationStatus.USED)
    everywhere = every_page(reservations, 2, status=ReservationStatus.USED)

    # Then the pages are full until the end, and together hold each used reservation once
    assert one == [[("CP-1", 2), ("CP-1", 4)], [("CP-1", 6)]]
    assert [len(page) for page in everywhere[:3]] == [2, 2, 2]
    assert sorted(key for page in everywhere for key in page) == [(cp, n) for cp in ("CP-1", "CP-2") for n in (2, 4, 6)]


@pytest.mark.parametrize(
    "token",
    ["garbage", encode_page_token({"offset": 2}), encode_page_token({"key": {"nope": {"Q": "1"}}})],
)
def test_a_token_no_listing_returned_is_refused(reservations: ReservationRepository, token: str) -> None:
    with pytest.raises(InvalidPageTokenError):
        reservations.page(2, token)
