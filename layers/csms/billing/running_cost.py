"""What a session used, and what it costs so far (OCPP 2.0.1 TariffAndCost `totalCost`)."""

from datetime import datetime
from decimal import Decimal

from csms.billing.tariffs import SessionUsage, price_session
from csms.domain.models import Transaction


def session_usage(transaction: Transaction, until: datetime, meter_wh: Decimal | None) -> SessionUsage:
    """Usage of `transaction` up to `until`, with the energy register at `meter_wh`."""
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
