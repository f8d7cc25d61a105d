"""Receiving a vehicle's charging needs: kept with its session, and whether a schedule follows (see
`csms.domain.charging_needs`)."""

from dataclasses import replace

from csms.domain.charging_needs import ChargingNeeds
from csms.domain.meter_series import TransactionSeries
from csms.domain.metering import energy_register_wh
from csms.domain.ports import ChargePointRepository, MeterValueRepository, TransactionRepository


class ChargingNeedsService:
    def __init__(
        self,
        charge_points: ChargePointRepository,
        transactions: TransactionRepository,
        meter_values: MeterValueRepository,
    ) -> None:
        self._charge_points = charge_points
        self._transactions = transactions
        self._meter_values = meter_values

    def notified(self, charge_point_id: str, evse_id: int, needs: ChargingNeeds) -> bool:
        """Keep `needs` with the active session on the EVSE; True when a schedule follows (see the module)."""
        charge_point = self._charge_points.get(charge_point_id)
        if charge_point is None or charge_point.wiring.site_id is None:
            return False
        active = self._transactions.list_active_on(charge_point_id, evse_id)
        if not active:
            return False
        transaction = max(active, key=lambda session: session.started_at)
        readings = self._meter_values.list(TransactionSeries(charge_point_id, transaction.transaction_id))
        register = energy_register_wh(readings)
        kept = replace(needs, energy_register_wh=register if register is not None else transaction.meter_start)
        return self._transactions.record_charging_needs(charge_point_id, transaction.transaction_id, kept)
