"""The current each session of an allocation draws, from its latest Current.Import meter value."""

from dataclasses import replace
from decimal import Decimal

from csms.domain.meter_series import TransactionSeries
from csms.domain.metering import current_import_amps
from csms.domain.ports import MeterValueRepository
from csms.rebalancing.models import SiteAllocation

# How many of a session's latest meter value messages are searched for a current: a message without one (an
# energy reading at the transaction's start, say) does not hide the one before it, and the read stays bounded.
LATEST_MESSAGES = 3


class MeasuredCurrents:
    def __init__(self, meter_values: MeterValueRepository) -> None:
        self._meter_values = meter_values

    def amps(self, charge_point_id: str, transaction_id: str) -> Decimal | None:
        """None when the charger does not report it."""
        readings = self._meter_values.latest(TransactionSeries(charge_point_id, transaction_id), LATEST_MESSAGES)
        return current_import_amps(readings)

    def of(self, allocation: SiteAllocation) -> SiteAllocation:
        """`allocation` with each session's current measured now (one bounded Query per session)."""
        sessions = tuple(
            replace(session, measured_amps=self.amps(session.charger_id, session.transaction_id))
            for session in allocation.sessions
        )
        return replace(allocation, sessions=sessions)
