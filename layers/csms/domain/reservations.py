"""Reservations (ReserveNow): made when a charge point accepts one, ended once, by whoever ends it first.

Only a Reserved reservation changes status, so every ending is safe to repeat: a resent
StartTransaction, a late ReservationStatusUpdate or a second cancel changes nothing.

A 2.0.1 station tells when a reservation expired (ReservationStatusUpdate); a 1.6 charge point never does, so
the CSMS ends a 1.6 reservation itself at its expiry: lazily, as it is read (one by one or listed) and when the
charge point starts a transaction, as Expired as of its expiry. Nothing runs on a schedule for it.
"""

from dataclasses import replace
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

    def expire_overdue(self, charge_point_id: str, but: int | None = None) -> None:
        """End the charge point's 1.6 reservations whose expiry passed (a 1.6 StartTransaction does this; `but`: the
        reservation it uses)."""
        for reservation in self._all(charge_point_id, ReservationStatus.RESERVED):
            if reservation.reservation_id != but:
                self._current(reservation)

    def get(self, charge_point_id: str, reservation_id: int) -> Reservation | None:
        reservation = self._reservations.get(charge_point_id, reservation_id)
        return self._current(reservation) if reservation is not None else None

    def page(
        self,
        limit: int,
        next_token: str | None = None,
        charge_point_id: str | None = None,
        status: ReservationStatus | None = None,
    ) -> Page[Reservation]:
        """By charge point and reservation id when filtered by charge point, else in no particular order. A 1.6
        reservation that expired shows Expired (and leaves a listing of Reserved ones)."""
        page = self._reservations.page(limit, next_token, charge_point_id, status)
        items = [self._current(reservation) for reservation in page.items]
        return Page([item for item in items if status is None or item.status is status], page.next_token)

    def _all(self, charge_point_id: str, status: ReservationStatus) -> list[Reservation]:
        found: list[Reservation] = []
        next_token: str | None = None
        while True:
            page = self._reservations.page(100, next_token, charge_point_id, status)
            found += page.items
            if page.next_token is None:
                return found
            next_token = page.next_token

    def _current(self, reservation: Reservation) -> Reservation:
        """The reservation as it stands now: a 1.6 one (it has a connector) past its expiry has expired."""
        overdue = reservation.status is ReservationStatus.RESERVED and reservation.expiry <= self._clock.now()
        if not overdue or reservation.connector_id is None:
            return reservation
        self._reservations.end(
            reservation.charge_point_id, reservation.reservation_id, ReservationStatus.EXPIRED, reservation.expiry
        )
        return replace(reservation, status=ReservationStatus.EXPIRED, updated_at=reservation.expiry)

    def _end(
        self, charge_point_id: str, reservation_id: int, status: ReservationStatus, transaction_id: str | None = None
    ) -> bool:
        return self._reservations.end(charge_point_id, reservation_id, status, self._clock.now(), transaction_id)
