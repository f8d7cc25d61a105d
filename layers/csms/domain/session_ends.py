"""Sessions a charge point left open: the CSMS ends them, by one rule, once it sees they are over.

A StopTransaction (1.6) or TransactionEvent Ended (2.0.1) can be lost for good, leaving a session
Active, and unbilled, forever. Two facts show such a session is over:
- a new transaction on the same connector (1.6) or EVSE (2.0.1): of two Active ones there, the one
  that began earlier ended when the later one began;
- that connector or EVSE reporting Available (after a reboot, say): an Active session there that
  began no later than the status ended by then. (Connector or EVSE 0, the charge point itself, says
  nothing about the sessions.)
Such a session is completed with stop reason `Other`, `stoppedAt` the moment of that fact, and
`meterStop` the new session's meter start if it is not below the old session's last reading (the
meter kept counting), else that last reading (else its meter start); `closedByCsms` names the fact.
It is billed like any other. The charge point's own stop, should it arrive, replaces this end while
the session is not billed yet.

Every end, the charge point's or inferred, is stored through `complete`: the session's TxProfiles
end with it.
"""

from dataclasses import replace
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from csms.domain.charging_profiles.service import InstalledProfileService
from csms.domain.meter_series import TransactionSeries
from csms.domain.metering import earliest_energy_register_wh, energy_register_wh
from csms.domain.models import ConnectorStatus, Transaction, TransactionStatus
from csms.domain.ports import ChargePointRepository, MeterValueRepository, TransactionRepository

# A stop reason of both versions (1.6 Reason, 2.0.1 ReasonEnumType).
INFERRED_STOP_REASON = "Other"
CHARGE_POINT_ITSELF = 0


class EndEvidence(StrEnum):
    """What showed the CSMS that a session was over (`Transaction.closed_by_csms`)."""

    NEW_TRANSACTION = "NewTransaction"
    CONNECTOR_AVAILABLE = "ConnectorAvailable"


class SessionEnds:
    def __init__(
        self,
        transactions: TransactionRepository,
        meter_values: MeterValueRepository,
        charge_points: ChargePointRepository,
        installed_profiles: InstalledProfileService,
    ) -> None:
        self._transactions = transactions
        self._meter_values = meter_values
        self._charge_points = charge_points
        self._installed_profiles = installed_profiles

    def transaction_began(self, began: Transaction) -> Transaction:
        """A new transaction (not a resend): it ends an earlier one left open where it runs, or, when it
        arrives late, is itself ended by a later one already running there. One Query. Returns `began`
        as it now stands."""
        place = began.evse_or_connector_id
        if place is None:
            return began
        others = [
            other
            for other in self._transactions.list_active_on(began.charge_point_id, place)
            if other.transaction_id != began.transaction_id
        ]
        for earlier in (other for other in others if other.started_at < began.started_at):
            self._end(earlier, began.started_at, EndEvidence.NEW_TRANSACTION, began.meter_start)
        later = [other for other in others if other.started_at > began.started_at]
        if not later:
            return began
        next_one = min(later, key=lambda other: other.started_at)
        return self._end(began, next_one.started_at, EndEvidence.NEW_TRANSACTION, next_one.meter_start)

    def status_reported(self, charge_point_id: str, status: ConnectorStatus) -> None:
        """A connector or EVSE reporting Available ends the sessions there that began no later (one Query);
        any other status shows nothing."""
        if not status.available or status.evse_or_connector_id == CHARGE_POINT_ITSELF:
            return
        for transaction in self._transactions.list_active_on(charge_point_id, status.evse_or_connector_id):
            if transaction.started_at <= status.timestamp and transaction.connector_id in (None, status.connector_id):
                self._end(transaction, status.timestamp, EndEvidence.CONNECTOR_AVAILABLE)

    def complete(self, ended: Transaction) -> bool:
        """Store the end of a session not ended yet (False: another end was stored first); its
        TxProfiles are gone from its charge point."""
        if not self._transactions.complete(ended):
            return False
        self._installed_profiles.transaction_ended(ended)
        return True

    def idle_since(self, transaction: Transaction, stopped_at: datetime) -> datetime | None:
        """When the session, ending at `stopped_at`, went idle: from its connector's statuses (1.6) or as
        its charging states recorded it (2.0.1). One GetItem for 1.6."""
        if not transaction.idle_tracked_on_connector:
            idle_since = transaction.idle_since
            return idle_since if idle_since is not None and idle_since <= stopped_at else None
        if transaction.connector_id is None:
            return None
        connector = self._charge_points.get_connector(transaction.charge_point_id, None, transaction.connector_id)
        return connector.idle_since_during(transaction.started_at, stopped_at) if connector else None

    def _end(
        self, transaction: Transaction, at: datetime, evidence: EndEvidence, next_meter_start: Decimal | None = None
    ) -> Transaction:
        readings = self._meter_values.list(TransactionSeries(transaction.charge_point_id, transaction.transaction_id))
        meter_start = (
            transaction.meter_start if transaction.meter_start is not None else earliest_energy_register_wh(readings)
        )
        last_reading = energy_register_wh(readings)
        last_known = last_reading if last_reading is not None else meter_start
        kept_counting = next_meter_start is not None and (last_known is None or next_meter_start >= last_known)
        ended = replace(
            transaction,
            status=TransactionStatus.COMPLETED,
            stopped_at=at,
            meter_start=meter_start,
            meter_stop=next_meter_start if kept_counting else last_known,
            stop_reason=INFERRED_STOP_REASON,
            closed_by_csms=evidence.value,
            idle_since=self.idle_since(transaction, at),
        )
        # Not stored if its own stop won the race: then that is its end.
        return ended if self.complete(ended) else transaction
