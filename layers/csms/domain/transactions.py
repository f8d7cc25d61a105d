"""Charging sessions: one transaction model for OCPP 1.6 Start/StopTransaction and 2.0.1 TransactionEvent.

Every operation is safe to repeat: a charge point that resends a request (for example after
being offline) gets the same answer and never a second transaction or double-counted energy.
"""

from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal

from csms.domain.authorization import AuthorizationService
from csms.domain.meter_series import ConnectorSeries, TransactionSeries
from csms.domain.metering import earliest_energy_register_wh, energy_register_wh
from csms.domain.models import Authorization, MeterReading, StartTransactionRequest, Transaction, TransactionStatus
from csms.domain.ports import MeterValueRepository, TransactionRepository
from csms.domain.reservations import ReservationService
from csms.domain.running_cost import cost_to_show
from csms.domain.session_ends import SessionEnds
from csms.domain.tariff_resolution import TariffResolver
from csms.domain.tariffs import Tariff
from csms.wire.versions import OcppVersion

DEFAULT_STOP_REASON = "Local"  # OCPP: an absent stop reason means a local stop


@dataclass(frozen=True)
class TransactionStart:
    """An OCPP 1.6 StartTransaction: the CSMS assigns the transaction its id."""

    connector_id: int
    id_token: str
    meter_start: int  # Wh
    timestamp: datetime
    reservation_id: int | None = None


@dataclass(frozen=True)
class TransactionStop:
    """An OCPP 1.6 StopTransaction, with the readings it carries (`transactionData`)."""

    transaction_id: str
    meter_stop: int  # Wh
    timestamp: datetime
    reason: str | None = None
    id_token: str | None = None
    readings: tuple[MeterReading, ...] = ()


@dataclass(frozen=True)
class MeterValues:
    """Readings of an EVSE (2.0.1) or connector (1.6), of a transaction when a 1.6 charge point names it."""

    evse_or_connector_id: int
    readings: tuple[MeterReading, ...]
    transaction_id: str | None = None


@dataclass(frozen=True)
class TransactionEvent:
    """An OCPP 2.0.1 TransactionEvent, reduced to what the CSMS keeps."""

    event_type: str  # Started, Updated, Ended
    timestamp: datetime
    transaction_id: str
    seq_no: int
    trigger_reason: str
    stopped_reason: str | None = None
    evse_id: int | None = None
    connector_id: int | None = None
    id_token: str | None = None
    offline: bool = False
    readings: tuple[MeterReading, ...] = ()
    reservation_id: int | None = None
    charging_state: str | None = None  # transactionInfo.chargingState: Charging, SuspendedEV, ...


CHARGING = "Charging"


@dataclass(frozen=True)
class TransactionEventOutcome:
    """What a TransactionEvent led to, for its response and what follows it."""

    authorization: Authorization | None
    # TariffAndCost: the cost so far (Updated) or final (Ended), tax included; None without a tariff.
    total_cost: Decimal | None = None
    # The active session a Started event began (also when resent: the same session again).
    started: Transaction | None = None


class TransactionService:
    def __init__(
        self,
        transactions: TransactionRepository,
        meter_values: MeterValueRepository,
        session_ends: SessionEnds,
        authorization: AuthorizationService,
        reservations: ReservationService,
        tariffs: TariffResolver | None = None,
    ) -> None:
        self._transactions = transactions
        self._meter_values = meter_values
        self._session_ends = session_ends
        self._authorization = authorization
        self._reservations = reservations
        self._tariffs = tariffs

    # OCPP 1.6 -----------------------------------------------------------------------------

    def start(self, charge_point_id: str, start: TransactionStart) -> tuple[Transaction, Authorization]:
        """StartTransaction: a CSMS-assigned integer id, the same one again for a resent request."""
        authorization = self._authorization.authorize(start.id_token)
        request = StartTransactionRequest(
            charge_point_id, start.connector_id, start.id_token, start.meter_start, start.timestamp
        )
        transaction = self._transactions.find_started_by(request)
        if transaction is None:
            new = Transaction(
                charge_point_id=charge_point_id,
                transaction_id=str(self._transactions.next_transaction_id()),
                ocpp_version=OcppVersion.V16,
                status=TransactionStatus.ACTIVE,
                started_at=start.timestamp,
                connector_id=start.connector_id,
                id_token=start.id_token,
                meter_start=Decimal(start.meter_start),
                tariff=self._tariff(charge_point_id, start.id_token),
            )
            transaction = self._transactions.create_once(new, request)
            if transaction is new:  # stored now, not by a concurrent copy of the same request
                transaction = self._session_ends.transaction_began(transaction)
        self._reservations.expire_overdue(charge_point_id, but=start.reservation_id)
        if start.reservation_id is not None:
            self._reservations.used(charge_point_id, start.reservation_id, transaction.transaction_id)
        return transaction, authorization

    def stop(self, charge_point_id: str, stop: TransactionStop) -> Authorization | None:
        """StopTransaction; an unknown or already stopped transaction is acknowledged as is."""
        if stop.readings:
            self._meter_values.put(TransactionSeries(charge_point_id, stop.transaction_id), list(stop.readings))
        transaction = self._transactions.get(charge_point_id, stop.transaction_id)
        if transaction is not None and transaction.awaits_stop:
            self._session_ends.complete(
                replace(
                    transaction,
                    status=TransactionStatus.COMPLETED,
                    stopped_at=stop.timestamp,
                    meter_stop=Decimal(stop.meter_stop),
                    stop_reason=stop.reason or DEFAULT_STOP_REASON,
                    idle_since=self._session_ends.idle_since(transaction, stop.timestamp),
                    closed_by_csms=None,
                )
            )
        return self._authorization.authorize(stop.id_token) if stop.id_token else None

    def meter_values(self, charge_point_id: str, values: MeterValues) -> None:
        """MeterValues (both versions): one write; a resend overwrites itself."""
        series = (
            TransactionSeries(charge_point_id, values.transaction_id)
            if values.transaction_id is not None
            else ConnectorSeries(charge_point_id, values.evse_or_connector_id)
        )
        self._meter_values.put(series, list(values.readings))

    # OCPP 2.0.1 ---------------------------------------------------------------------------

    def transaction_event(self, charge_point_id: str, event: TransactionEvent) -> TransactionEventOutcome:
        series = TransactionSeries(charge_point_id, event.transaction_id)
        if event.readings:
            self._meter_values.put(series, list(event.readings))
        authorization = self._authorization.authorize(event.id_token) if event.id_token else None
        if event.reservation_id is not None:
            self._reservations.used(charge_point_id, event.reservation_id, event.transaction_id)
        if event.event_type == "Started":
            new = self._new_transaction(charge_point_id, event)
            started = self._transactions.create_once(new)
            if started is new:  # stored now: not a resend
                started = self._session_ends.transaction_began(started)
            elif started.status is TransactionStatus.COMPLETED:  # its Ended came first
                self._revise(started, event, series)
            return TransactionEventOutcome(
                authorization, started=started if started.status is TransactionStatus.ACTIVE else None
            )
        if event.event_type == "Updated":
            if event.id_token:
                self._transactions.set_id_token(charge_point_id, event.transaction_id, event.id_token)
            if event.charging_state:
                # Idle time: since charging stopped (after it had started) while the EV stays plugged in.
                self._transactions.record_charging_state(
                    charge_point_id, event.transaction_id, event.charging_state == CHARGING, event.timestamp
                )
            return TransactionEventOutcome(authorization, total_cost=self._updated(charge_point_id, series, event))
        ended = self._end(charge_point_id, series, event)
        cost = cost_to_show(ended, ended.stopped_at, ended.meter_stop) if ended.stopped_at else None
        return TransactionEventOutcome(authorization, total_cost=cost)

    def _updated(self, charge_point_id: str, series: TransactionSeries, event: TransactionEvent) -> Decimal | None:
        """The cost so far of an active session; an Updated of a completed one came late and revises it."""
        meter_wh = energy_register_wh(list(event.readings))
        if meter_wh is None:
            return None
        transaction = self._transactions.get(charge_point_id, event.transaction_id)
        if transaction is None:
            return None
        if transaction.status is TransactionStatus.COMPLETED:
            self._revise(transaction, event, series)
            return None
        return cost_to_show(transaction, event.timestamp, meter_wh)

    def _revise(self, transaction: Transaction, event: TransactionEvent, series: TransactionSeries) -> None:
        """A late Started or Updated of a completed transaction adds what its end could not know: the
        start (Started's time, else the earliest known), readings beyond its energy range, token and EVSE.
        It never reopens the transaction nor changes its end; once billed, the transaction stays as invoiced.
        """
        readings = self._meter_values.list(series)
        started_at = (
            event.timestamp
            if event.event_type == "Started"
            else min([transaction.started_at, *(reading.timestamp for reading in readings)])
        )
        revised = replace(
            _filled_from(transaction, event),
            started_at=started_at,
            meter_start=_lowest(transaction.meter_start, earliest_energy_register_wh(readings)),
            meter_stop=_highest(transaction.meter_stop, energy_register_wh(readings)),
        )
        if revised != transaction:
            self._transactions.revise(revised)

    def _new_transaction(self, charge_point_id: str, event: TransactionEvent) -> Transaction:
        return Transaction(
            charge_point_id=charge_point_id,
            transaction_id=event.transaction_id,
            ocpp_version=OcppVersion.V201,
            status=TransactionStatus.ACTIVE,
            started_at=event.timestamp,
            evse_id=event.evse_id,
            connector_id=event.connector_id,
            id_token=event.id_token,
            meter_start=energy_register_wh(list(event.readings)),
            tariff=self._tariff(charge_point_id, event.id_token),
            has_charged=event.charging_state == CHARGING,
        )

    def _tariff(self, charge_point_id: str, id_token: str | None) -> Tariff | None:
        """The tariff in force as the session starts; the transaction keeps this copy."""
        return self._tariffs.resolve(charge_point_id, id_token) if self._tariffs else None

    def _end(self, charge_point_id: str, series: TransactionSeries, event: TransactionEvent) -> Transaction:
        """The transaction as completed by this event, or as an earlier Ended completed it."""
        transaction = self._transactions.get(charge_point_id, event.transaction_id)
        if transaction is None:  # Started never reached us: the start reading is the earliest stored
            transaction = replace(self._new_transaction(charge_point_id, event), meter_start=None)
        elif not transaction.awaits_stop:
            return transaction
        meter_stop = energy_register_wh(list(event.readings))
        meter_start = transaction.meter_start
        started_at = transaction.started_at
        if meter_stop is None or meter_start is None:
            stored = self._meter_values.list(series)
            meter_stop = meter_stop if meter_stop is not None else energy_register_wh(stored)
            meter_start = meter_start if meter_start is not None else earliest_energy_register_wh(stored)
            # Without Started, the session began no later than its earliest reading.
            started_at = min([started_at, *(reading.timestamp for reading in stored)])
        ended = replace(
            _filled_from(transaction, event),
            status=TransactionStatus.COMPLETED,
            started_at=started_at,
            stopped_at=event.timestamp,
            meter_start=meter_start,
            meter_stop=meter_stop if meter_stop is not None else meter_start,
            stop_reason=event.stopped_reason or DEFAULT_STOP_REASON,
            closed_by_csms=None,
        )
        if self._session_ends.complete(ended):
            return ended
        # A concurrent copy of this Ended won the race: what it stored is the session's end.
        return self._transactions.get(charge_point_id, event.transaction_id) or ended


def _filled_from(transaction: Transaction, event: TransactionEvent) -> Transaction:
    """The transaction with the token, EVSE and connector it lacks taken from the event."""
    return replace(
        transaction,
        id_token=transaction.id_token or event.id_token,
        evse_id=transaction.evse_id if transaction.evse_id is not None else event.evse_id,
        connector_id=transaction.connector_id if transaction.connector_id is not None else event.connector_id,
    )


def _lowest(*readings: Decimal | None) -> Decimal | None:
    return min((reading for reading in readings if reading is not None), default=None)


def _highest(*readings: Decimal | None) -> Decimal | None:
    return max((reading for reading in readings if reading is not None), default=None)
