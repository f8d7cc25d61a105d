"""Runs over many sessions (billing, cost updates): one session's failure never stops the others.

A session that cannot be priced (`PricingError`) fails for good: the run records why on its
transaction. Any other error (a throttled request, a bug) is logged, not recorded, and the next
run tries that session again. Either way the run reports it, counts it in a metric, and goes on.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime

from csms.domain.models import RecordedError, Transaction
from csms.domain.tariffs import PricingError
from csms.observability import logger, metrics

UNEXPECTED = "Unexpected error (logged); the next run tries again"


@dataclass(frozen=True)
class SessionFailure:
    charge_point_id: str
    transaction_id: str
    reason: str


@dataclass
class SessionFailures:
    """The failures of one run, published as the metric `metric_name` when the run ends."""

    metric_name: str
    failed: list[SessionFailure] = field(default_factory=list)

    @contextmanager
    def isolated(
        self, transaction: Transaction, at: datetime, record: Callable[[Transaction, RecordedError], bool]
    ) -> Iterator[None]:
        """Handle `transaction` inside; a failure is reported, and recorded first if it is a pricing one.

        `record` keeps the error on the transaction; False: it no longer applies (another run handled
        the transaction since), and the failure is not reported.
        """
        try:
            yield
        except PricingError as error:
            if record(transaction, RecordedError(str(error), at)):
                self._add(transaction, str(error))
        except Exception:  # one session must not stop the others
            logger.exception(
                "Session failed",
                extra={"charge_point_id": transaction.charge_point_id, "transaction_id": transaction.transaction_id},
            )
            self._add(transaction, UNEXPECTED)

    def publish(self) -> None:
        """Count the run's failures (none too: an alarm sees a steady series)."""
        metrics.count(self.metric_name, len(self.failed))

    def _add(self, transaction: Transaction, reason: str) -> None:
        self.failed.append(SessionFailure(transaction.charge_point_id, transaction.transaction_id, reason))
