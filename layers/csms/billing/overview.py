"""The operator's overview of the network: chargers, sessions, energy and revenue, latest faults and security events.

Every figure comes from a bounded read: counts from keys-only indexes (`count_fleet`), the active
sessions' count, the billed totals of today and this month (two items), and a few newest
notifications. Days and months are UTC (`csms.billing.totals`).
"""

from dataclasses import dataclass
from decimal import Decimal

from csms.billing.invoices import InvoiceRepository
from csms.billing.totals import day_of, month_of
from csms.domain.models import FleetCounts, Notification
from csms.domain.money import round_amount
from csms.domain.notifications import NotificationKind
from csms.domain.ports import ChargePointRepository, Clock, TransactionRepository

LATEST = 5  # faults and security events shown


@dataclass(frozen=True)
class Revenue:
    """Invoice totals in one currency, rounded to its minor unit."""

    currency: str
    today: Decimal
    month: Decimal


@dataclass(frozen=True)
class Overview:
    chargers: FleetCounts
    active_sessions: int
    energy_wh_today: Decimal
    energy_wh_month: Decimal
    revenue: list[Revenue]  # by currency
    latest_faults: list[Notification]  # StatusNotifications reporting a fault, newest first
    latest_security_events: list[Notification]  # newest first


class FleetOverview:
    def __init__(
        self,
        charge_points: ChargePointRepository,
        transactions: TransactionRepository,
        invoices: InvoiceRepository,
        clock: Clock,
    ) -> None:
        self._charge_points = charge_points
        self._transactions = transactions
        self._invoices = invoices
        self._clock = clock

    def now(self) -> Overview:
        now = self._clock.now()
        today, month = self._invoices.totals(day_of(now)), self._invoices.totals(month_of(now))
        zero = Decimal(0)
        return Overview(
            chargers=self._charge_points.count_fleet(),
            active_sessions=self._transactions.count_active(),
            energy_wh_today=today.energy_wh,
            energy_wh_month=month.energy_wh,
            revenue=[
                Revenue(
                    currency,
                    round_amount(today.revenue.get(currency, zero), currency),
                    round_amount(month.revenue.get(currency, zero), currency),
                )
                for currency in sorted(month.revenue.keys() | today.revenue.keys())
            ],
            latest_faults=self._charge_points.latest_notifications([NotificationKind.STATUS], LATEST),
            latest_security_events=self._charge_points.latest_notifications([NotificationKind.SECURITY_EVENT], LATEST),
        )
