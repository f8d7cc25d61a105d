"""What a session used, and what it costs so far (OCPP 2.0.1 TariffAndCost `totalCost`)."""

from datetime import datetime
from decimal import Decimal

from csms.domain.limits import register_problem
from csms.domain.models import Transaction
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
