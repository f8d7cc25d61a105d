"""The operator's view of charging sessions: listed newest first, and one with its meter values."""

from dataclasses import dataclass

from csms.domain.filters import TransactionFilter
from csms.domain.meter_series import TransactionSeries
from csms.domain.models import MeterReading, Transaction
from csms.domain.pagination import Page
from csms.domain.ports import Clock, MeterValueRepository, TransactionRepository
from csms.domain.running_cost import SessionCost, session_cost


@dataclass(frozen=True)
class RecordedTransaction:
    transaction: Transaction
    readings: list[MeterReading]  # oldest first
    cost: SessionCost | None


class TransactionHistory:
    def __init__(self, transactions: TransactionRepository, meter_values: MeterValueRepository, clock: Clock) -> None:
        self._transactions = transactions
        self._meter_values = meter_values
        self._clock = clock

    def page(self, where: TransactionFilter, limit: int, next_token: str | None = None) -> Page[Transaction]:
        """Newest first; raises `InvalidPageTokenError`."""
        return self._transactions.page(where, limit, next_token)

    def get(self, transaction_id: str, charge_point_id: str | None = None) -> RecordedTransaction | None:
        """The transaction with this id (2.0.1 ids are unique per charge point only: `charge_point_id`
        tells them apart, else the latest started is taken), with its meter values and its cost so far."""
        found = [
            transaction
            for transaction in self._transactions.find(transaction_id)
            if charge_point_id in (None, transaction.charge_point_id)
        ]
        if not found:
            return None
        transaction = max(found, key=lambda candidate: candidate.started_at)
        series = TransactionSeries(transaction.charge_point_id, transaction.transaction_id)
        readings = self._meter_values.list(series)
        return RecordedTransaction(transaction, readings, session_cost(transaction, readings, self._clock.now()))
