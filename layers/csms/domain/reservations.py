"""Reservations (ReserveNow): made when a charge point accepts one, ended once, by whoever ends it first.

Only a Reserved reservation changes status, so every ending is safe to repeat: a resent
StartTransaction, a late ReservationStatusUpdate or a second cancel changes nothing.
"""

from datetime import datetime

from csms.domain.models import Reservation, ReservationStatus
from csms.domain.pagination import Page
from csms.domain.ports import Clock, ReservationRepository


class ReservationService:
    def __init__(self, reservations: ReservationRepository, clock: Clock) -> None:
        self._reservations = reservations
        self._clock = clock

    def reserved(
        self,
        charge_point_id: str,
        reservation_id: int,
        id_token: str,
        expiry: datetime,
        connector_id: int | None = None,
        evse_id: int | None = None,
    ) -> Reservation:
        """The charge point accepted ReserveNow; a reused reservation id replaces the earlier one."""
        reservation = Reservation(
            charge_point_id=charge_point_id,
            reservation_id=reservation_id,
            id_token=id_token,
            expiry=expiry,
            status=ReservationStatus.RESERVED,
            updated_at=self._clock.now(),
            connector_id=connector_id,
            evse_id=evse_id,
        )
        self._reservations.put(reservation)
        return reservation

    def cancelled(self, charge_point_id: str, reservation_id: int) -> bool:
        """The charge point accepted CancelReservation."""
        return self._end(charge_point_id, reservation_id, ReservationStatus.CANCELLED)

    def status_updated(self, charge_point_id: str, reservation_id: int, status: ReservationStatus) -> bool:
        """2.0.1 ReservationStatusUpdate: the charge point let it expire or removed it."""
        return self._end(charge_point_id, reservation_id, status)

    def used(self, charge_point_id: str, reservation_id: int, transaction_id: str) -> bool:
        """A transaction started on the reservation."""
        return self._end(charge_point_id, reservation_id, ReservationStatus.USED, transaction_id)

    def get(self, charge_point_id: str, reservation_id: int) -> Reservation | None:
        return self._reservations.get(charge_point_id, reservation_id)

    def page(
        self,
        limit: int,
        next_token: str | None = None,
        charge_point_id: str | None = None,
        status: ReservationStatus | None = None,
    ) -> Page[Reservation]:
        """By charge point and reservation id when filtered by charge point, else in no particular order."""
        return self._reservations.page(limit, next_token, charge_point_id, status)

    def _end(
        self, charge_point_id: str, reservation_id: int, status: ReservationStatus, transaction_id: str | None = None
    ) -> bool:
        return self._reservations.end(charge_point_id, reservation_id, status, self._clock.now(), transaction_id)
