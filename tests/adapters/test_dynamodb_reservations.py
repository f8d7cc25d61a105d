"""`DynamoDbReservationRepository` on moto: the order a charge point's partition gives, and tokens of other
listings (the port's contract: `tests/contracts/test_reservation_repository.py`)."""

from datetime import UTC, datetime, timedelta

import pytest

from csms.composition import Repositories
from csms.domain.models import Reservation, ReservationStatus
from csms.domain.pagination import InvalidPageTokenError, encode_page_token
from csms.domain.ports import ReservationRepository

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


def test_pages_of_a_charge_point_come_in_reservation_id_order(reservations: ReservationRepository) -> None:
    for reservation_id in (3, 1, 5, 2, 4):
        reservations.put(reservation("CP-1", reservation_id))
    reservations.put(reservation("CP-2", 1))

    pages = every_page(reservations, 2, charge_point_id="CP-1")

    assert pages == [[("CP-1", 1), ("CP-1", 2)], [("CP-1", 3), ("CP-1", 4)], [("CP-1", 5)]]


@pytest.mark.parametrize(
    "token",
    [encode_page_token({"offset": 2}), encode_page_token({"key": {"nope": {"Q": "1"}}})],
)
def test_a_token_no_listing_returned_is_refused(reservations: ReservationRepository, token: str) -> None:
    with pytest.raises(InvalidPageTokenError):
        reservations.page(2, token)
