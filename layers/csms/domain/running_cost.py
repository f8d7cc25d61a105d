"""What a session used, and what it costs so far (OCPP 2.0.1 TariffAndCost `totalCost`, the operator's view)."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from csms.domain.limits import register_problem
from csms.domain.metering import energy_register_wh
from csms.domain.models import MeterReading, Transaction
from csms.domain.tariffs import PricingError, SessionUsage, price_session
from csms.observability import logger


def session_usage(transaction: Transaction, until: datetime, meter_wh: Decimal | None) -> SessionUsage:
    """Usage of `transaction` up to `until`, with the energy register at `meter_wh`.

    Raises `PricingError` for a register beyond the limits (stored before the limits at the door).
    """
    for name, register in (("meterStart", transaction.meter_start), ("meter reading", meter_wh)):
        problem = register_problem(register) if register is not None else None
        if problem is not None:
            raise PricingError(f"{name}: {problem}")
    start = transaction.meter_start
    energy = max(meter_wh - start, Decimal(0)) if meter_wh is not None and start is not None else Decimal(0)
    return SessionUsage(
        energy_wh=energy, started_at=transaction.started_at, stopped_at=until, idle_since=transaction.idle_since
    )


def cost_so_far(transaction: Transaction, until: datetime, meter_wh: Decimal | None) -> Decimal | None:
    """Tax included, by the session's own tariff; None when no tariff applies."""
    if transaction.tariff is None:
        return None
    return price_session(transaction.tariff, session_usage(transaction, until, meter_wh)).total


def cost_to_show(transaction: Transaction, until: datetime, meter_wh: Decimal | None) -> Decimal | None:
    """`cost_so_far` for a TransactionEventResponse, None also when the session cannot be priced.

    The response goes out all the same; billing records the failure on the transaction.
    """
    try:
        return cost_so_far(transaction, until, meter_wh)
    except PricingError:
        logger.warning("No totalCost: the session cannot be priced", exc_info=True)
        return None


@dataclass(frozen=True)
class SessionCost:
    """What a session costs by its tariff, tax included, counted up to `until`."""

    currency: str
    total: Decimal
    until: datetime


def session_cost(transaction: Transaction, readings: list[MeterReading], now: datetime) -> SessionCost | None:
    """An active session's cost up to `now` and its latest energy reading, an ended one's at its end
    (as its TransactionEventResponse `Ended` showed it); None without a tariff or when it cannot be priced.

    Before billing invoices a session this is the only price to show; the invoice is what is billed.
    """
    tariff = transaction.tariff
    if tariff is None:
        return None
    if transaction.stopped_at is not None:
        until, meter_wh = transaction.stopped_at, transaction.meter_stop
    else:
        until, meter_wh = now, energy_register_wh(readings)
    try:
        total = price_session(tariff, session_usage(transaction, until, meter_wh)).total
    except PricingError:
        return None
    return SessionCost(tariff.currency, total, until)
