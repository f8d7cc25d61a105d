"""The `ReservationRepository` contract: reservations by charge point and id, ended once, paged with filters."""

from datetime import UTC, datetime, timedelta

import pytest

from csms.domain.models import Reservation, ReservationStatus
from csms.domain.pagination import InvalidPageTokenError
from csms.domain.ports import ReservationRepository
from tests.contracts.paging import FOREIGN_TOKENS, assert_pages_hold_each_once

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
LATER = T0 + timedelta(minutes=5)


def reservation(charge_point_id: str, reservation_id: int, **fields: object) -> Reservation:
    defaults: dict[str, object] = {
        "id_token": "TAG",
        "expiry": T0 + timedelta(hours=1),
        "status": ReservationStatus.RESERVED,
        "updated_at": T0,
    }
    return Reservation(charge_point_id, reservation_id, **(defaults | fields))  # type: ignore[arg-type]


def by_key(reservation: Reservation) -> tuple[str, int]:
    return (reservation.charge_point_id, reservation.reservation_id)


@pytest.mark.parametrize(
    "stored",
    [
        reservation("CP-1", 7, connector_id=1),
        reservation("CP-1", 8, evse_id=2, status=ReservationStatus.USED, transaction_id="42"),
    ],
)
def test_a_reservation_round_trips(reservations: ReservationRepository, stored: Reservation) -> None:
    reservations.put(stored)

    assert reservations.get(stored.charge_point_id, stored.reservation_id) == stored


def test_reservations_are_told_apart_by_charge_point_and_id(reservations: ReservationRepository) -> None:
    reservations.put(reservation("CP-1", 7))

    assert reservations.get("CP-1", 8) is None
    assert reservations.get("CP-2", 7) is None


def test_a_reserved_reservation_ends_once(reservations: ReservationRepository) -> None:
    reservations.put(reservation("CP-1", 7))

    assert reservations.end("CP-1", 7, ReservationStatus.USED, LATER, transaction_id="42") is True
    assert reservations.end("CP-1", 7, ReservationStatus.CANCELLED, LATER + timedelta(minutes=1)) is False

    assert reservations.get("CP-1", 7) == reservation(
        "CP-1", 7, status=ReservationStatus.USED, updated_at=LATER, transaction_id="42"
    )


@pytest.mark.parametrize("status", [ReservationStatus.CANCELLED, ReservationStatus.EXPIRED, ReservationStatus.REMOVED])
def test_an_ending_without_a_transaction_records_none(
    reservations: ReservationRepository, status: ReservationStatus
) -> None:
    reservations.put(reservation("CP-1", 7))

    assert reservations.end("CP-1", 7, status, LATER) is True

    assert reservations.get("CP-1", 7) == reservation("CP-1", 7, status=status, updated_at=LATER)


def test_ending_an_unknown_reservation_creates_none(reservations: ReservationRepository) -> None:
    assert reservations.end("CP-1", 99, ReservationStatus.CANCELLED, LATER) is False

    assert reservations.get("CP-1", 99) is None
    assert reservations.page(10).items == []


def test_a_new_reservation_with_a_used_id_replaces_the_old_one(reservations: ReservationRepository) -> None:
    reservations.put(reservation("CP-1", 7))
    reservations.end("CP-1", 7, ReservationStatus.EXPIRED, LATER)

    reservations.put(reservation("CP-1", 7, id_token="OTHER"))

    assert reservations.get("CP-1", 7) == reservation("CP-1", 7, id_token="OTHER")
    assert reservations.end("CP-1", 7, ReservationStatus.CANCELLED, LATER) is True


@pytest.fixture
def every_other_used(reservations: ReservationRepository) -> list[Reservation]:
    """Reservations 1-6 on CP-1 and on CP-2, of which the even ones were used."""
    stored = []
    for charge_point_id in ("CP-1", "CP-2"):
        for reservation_id in range(1, 7):
            reservations.put(reservation(charge_point_id, reservation_id))
            if reservation_id % 2 == 0:
                reservations.end(charge_point_id, reservation_id, ReservationStatus.USED, LATER)
                stored.append(
                    reservation(charge_point_id, reservation_id, status=ReservationStatus.USED, updated_at=LATER)
                )
            else:
                stored.append(reservation(charge_point_id, reservation_id))
    return stored


def test_pages_hold_each_matching_reservation_once(
    reservations: ReservationRepository, every_other_used: list[Reservation]
) -> None:
    filters = [
        (None, None),
        ("CP-1", None),
        (None, ReservationStatus.USED),
        ("CP-2", ReservationStatus.RESERVED),
        ("CP-3", None),
    ]
    for charge_point_id, status in filters:
        matching = [
            r for r in every_other_used if charge_point_id in (None, r.charge_point_id) and status in (None, r.status)
        ]

        assert_pages_hold_each_once(
            lambda limit, token, cp=charge_point_id, st=status: reservations.page(
                limit, token, charge_point_id=cp, status=st
            ),
            matching,
            by_key,
        )


@pytest.mark.parametrize("charge_point_id", [None, "CP-1"])
def test_a_token_no_listing_returned_is_refused(
    reservations: ReservationRepository, charge_point_id: str | None
) -> None:
    reservations.put(reservation("CP-1", 7))

    for token in FOREIGN_TOKENS:
        with pytest.raises(InvalidPageTokenError):
            reservations.page(2, token, charge_point_id=charge_point_id)
