"""Reservations: made on an accepted ReserveNow, ended once by use, cancel, expiry or removal."""

from datetime import UTC, datetime

import pytest

from csms.composition import Services
from csms.domain.models import IdToken, IdTokenStatus, Reservation, ReservationStatus
from csms.domain.reservations import ReservationService
from tests.fakes import FixedClock, InMemoryReservations
from tests.unit.stations import Station

EXPIRY = datetime(2026, 11, 23, 13, 0, tzinfo=UTC)


@pytest.fixture
def reservations(fake_services: Services) -> ReservationService:
    return fake_services.reservations


@pytest.fixture
def store(fake_services: Services) -> InMemoryReservations:
    repository = fake_services.repositories.reservations
    assert isinstance(repository, InMemoryReservations)
    return repository


def status_of(store: InMemoryReservations, charge_point_id: str, reservation_id: int) -> ReservationStatus:
    reservation = store.get(charge_point_id, reservation_id)
    assert reservation is not None
    return reservation.status


def test_an_accepted_reserve_now_makes_a_reserved_reservation(
    reservations: ReservationService, store: InMemoryReservations, clock: FixedClock
) -> None:
    reservation = reservations.reserved("CP-1", 7, "TAG", EXPIRY, connector_id=1)

    assert reservation == Reservation(
        charge_point_id="CP-1",
        reservation_id=7,
        id_token="TAG",
        expiry=EXPIRY,
        status=ReservationStatus.RESERVED,
        updated_at=clock.now(),
        connector_id=1,
    )
    assert store.get("CP-1", 7) == reservation


def test_a_cancelled_reservation_stays_cancelled(reservations: ReservationService, store: InMemoryReservations) -> None:
    reservations.reserved("CP-1", 7, "TAG", EXPIRY)

    assert reservations.cancelled("CP-1", 7) is True
    # A later ending (a late status update, a second cancel) changes nothing
    assert reservations.status_updated("CP-1", 7, ReservationStatus.EXPIRED) is False
    assert reservations.cancelled("CP-1", 7) is False
    assert status_of(store, "CP-1", 7) is ReservationStatus.CANCELLED


def test_ending_an_unknown_reservation_changes_nothing(
    reservations: ReservationService, store: InMemoryReservations
) -> None:
    assert reservations.cancelled("CP-1", 99) is False
    assert store.reservations == {}


def test_a_16_start_transaction_with_its_reservation_id_uses_the_reservation(
    station16: Station, fake_services: Services, reservations: ReservationService, store: InMemoryReservations
) -> None:
    # Given a reservation for an accepted token
    fake_services.repositories.id_tokens.put(IdToken("TAG", IdTokenStatus.ACCEPTED))
    reservations.reserved("CP-1", 7, "TAG", EXPIRY, connector_id=1)
    start = {"connectorId": 1, "idTag": "TAG", "meterStart": 0, "timestamp": "2026-11-23T12:30:00Z", "reservationId": 7}

    # When the charge point starts a transaction on it, and resends the request
    result = station16.call("StartTransaction", start)
    station16.call("StartTransaction", start)

    # Then the reservation is used, by that transaction
    reservation = store.get("CP-1", 7)
    assert reservation is not None
    assert (reservation.status, reservation.transaction_id) == (ReservationStatus.USED, str(result["transactionId"]))


def test_a_201_transaction_event_with_its_reservation_id_uses_the_reservation(
    station201: Station, reservations: ReservationService, store: InMemoryReservations
) -> None:
    reservations.reserved("CP-1", 8, "TAG", EXPIRY, evse_id=1)

    station201.call(
        "TransactionEvent",
        {
            "eventType": "Started",
            "timestamp": "2026-11-23T12:30:00Z",
            "triggerReason": "Authorized",
            "seqNo": 0,
            "transactionInfo": {"transactionId": "tx-9"},
            "idToken": {"idToken": "TAG", "type": "ISO14443"},
            "evse": {"id": 1, "connectorId": 1},
            "reservationId": 8,
        },
    )

    reservation = store.get("CP-1", 8)
    assert reservation is not None
    assert (reservation.status, reservation.transaction_id) == (ReservationStatus.USED, "tx-9")


def test_transactions_without_a_reservation_id_touch_no_reservation(
    station16: Station, station201: Station, store: InMemoryReservations
) -> None:
    station16.call(
        "StartTransaction", {"connectorId": 1, "idTag": "TAG", "meterStart": 0, "timestamp": "2026-11-23T12:30:00Z"}
    )
    station201.call(
        "TransactionEvent",
        {
            "eventType": "Started",
            "timestamp": "2026-11-23T12:30:00Z",
            "triggerReason": "CablePluggedIn",
            "seqNo": 0,
            "transactionInfo": {"transactionId": "tx-9"},
        },
    )

    assert store.writes == 0


@pytest.mark.parametrize("update", ["Expired", "Removed"])
def test_reservation_status_update_ends_the_reservation(
    station201: Station, reservations: ReservationService, store: InMemoryReservations, update: str
) -> None:
    reservations.reserved("CP-1", 8, "TAG", EXPIRY, evse_id=1)

    result = station201.call("ReservationStatusUpdate", {"reservationId": 8, "reservationUpdateStatus": update})

    assert result == {}
    assert status_of(store, "CP-1", 8) is ReservationStatus(update)


def test_reservation_status_update_of_an_unknown_reservation_is_acknowledged(
    station201: Station, store: InMemoryReservations
) -> None:
    assert station201.call("ReservationStatusUpdate", {"reservationId": 1, "reservationUpdateStatus": "Expired"}) == {}
    assert store.reservations == {}


def test_a_16_reservation_is_shown_expired_from_its_expiry_on(
    reservations: ReservationService, store: InMemoryReservations, clock: FixedClock
) -> None:
    # Given a 1.6 and a 2.0.1 reservation until 13:00
    reservations.reserved("CP-1", 7, "TAG", EXPIRY, connector_id=1)
    reservations.reserved("CP-2", 8, "TAG", EXPIRY, evse_id=1)

    # Before it, both are Reserved
    assert reservations.get("CP-1", 7).status is ReservationStatus.RESERVED  # type: ignore[union-attr]

    # When its expiry passes, the 1.6 one is Expired as of its expiry, when read one by one or listed
    clock.current = EXPIRY
    expired = reservations.get("CP-1", 7)
    assert expired is not None
    assert (expired.status, expired.updated_at) == (ReservationStatus.EXPIRED, EXPIRY)
    assert status_of(store, "CP-1", 7) is ReservationStatus.EXPIRED
    # and the 2.0.1 one waits for the station's ReservationStatusUpdate
    listed = {r.reservation_id: r.status for r in reservations.page(10).items}
    assert listed == {7: ReservationStatus.EXPIRED, 8: ReservationStatus.RESERVED}


def test_a_listing_of_reserved_ones_leaves_out_those_that_expired(
    reservations: ReservationService, clock: FixedClock
) -> None:
    reservations.reserved("CP-1", 7, "TAG", EXPIRY, connector_id=1)
    reservations.reserved("CP-1", 9, "TAG", EXPIRY.replace(hour=15), connector_id=2)
    clock.current = EXPIRY.replace(hour=14)

    page = reservations.page(10, charge_point_id="CP-1", status=ReservationStatus.RESERVED)

    assert [r.reservation_id for r in page.items] == [9]


def test_a_16_start_transaction_expires_the_overdue_reservations_of_its_charge_point(
    station16: Station,
    fake_services: Services,
    reservations: ReservationService,
    store: InMemoryReservations,
    clock: FixedClock,
) -> None:
    fake_services.repositories.id_tokens.put(IdToken("TAG", IdTokenStatus.ACCEPTED))
    reservations.reserved("CP-1", 7, "TAG", EXPIRY, connector_id=1)
    clock.current = EXPIRY.replace(hour=14)

    start = {"connectorId": 2, "idTag": "TAG", "meterStart": 0, "timestamp": "2026-11-23T14:00:00Z"}
    station16.call("StartTransaction", start)

    assert status_of(store, "CP-1", 7) is ReservationStatus.EXPIRED
