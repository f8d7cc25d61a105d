"""OCPP 2.0.1 TariffAndCost: CostUpdated, the cost so far, sent to chargers during long sessions.

A schedule runs this at a fixed interval. Each run sends every running session that has lasted at
least one interval its cost so far, by the session's own tariff, from its latest energy reading.
The CALL goes through the command workflow, so it waits its turn behind other commands to the
same charger and its answer is recorded like any command's.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from csms.billing.running_cost import cost_so_far
from csms.commands.service import CommandService
from csms.domain.metering import energy_register_wh
from csms.domain.models import ConfigurationVariable, Transaction
from csms.domain.ports import (
    ChargePointRepository,
    Clock,
    ConfigurationRepository,
    MeterValueRepository,
    TransactionRepository,
)
from csms.domain.transactions import transaction_series
from csms.observability import logger

# OCPP 2.0.1 device model: TariffCostCtrlr.Available[Cost] / Enabled[Cost] say whether the station
# shows costs at all.
COST_CONTROLLER = "TariffCostCtrlr"
COST_SWITCHES = frozenset({"Available", "Enabled"})
COST_INSTANCE = "Cost"


@dataclass(frozen=True)
class CostUpdate:
    charge_point_id: str
    transaction_id: str
    total_cost: Decimal
    command_id: str


class CostUpdateService:
    def __init__(
        self,
        transactions: TransactionRepository,
        meter_values: MeterValueRepository,
        charge_points: ChargePointRepository,
        configuration: ConfigurationRepository,
        commands: CommandService,
        clock: Clock,
        interval: timedelta,
    ) -> None:
        self._transactions = transactions
        self._meter_values = meter_values
        self._charge_points = charge_points
        self._configuration = configuration
        self._commands = commands
        self._clock = clock
        self._interval = interval

    def run(self) -> list[CostUpdate]:
        """Send CostUpdated to each long-running session's charger; what was sent.

        Skipped: sessions younger than the interval, chargers not connected (they get the next
        run's figure), chargers whose reported device model says they show no cost, and sessions
        without an energy reading yet (nothing to tell). A charger that never reported its device
        model is sent the update: one without TariffAndCost answers with a CALLERROR, recorded.
        """
        now = self._clock.now()
        updates: list[CostUpdate] = []
        for transaction in self._transactions.list_showing_running_cost():
            if now - transaction.started_at < self._interval:
                continue
            charge_point = self._charge_points.get(transaction.charge_point_id)
            if charge_point is None or not charge_point.connected:
                continue
            if _cost_switched_off(self._configuration.list(transaction.charge_point_id)):
                continue
            total_cost = self._cost_so_far(transaction, now)
            if total_cost is None:
                continue
            try:
                command = self._commands.submit(
                    transaction.charge_point_id,
                    "CostUpdated",
                    {"totalCost": float(total_cost), "transactionId": transaction.transaction_id},
                )
            except Exception:  # one charger's failure must not keep the others from their update
                logger.exception(
                    "CostUpdated not sent",
                    extra={
                        "charge_point_id": transaction.charge_point_id,
                        "transaction_id": transaction.transaction_id,
                    },
                )
                continue
            updates.append(
                CostUpdate(transaction.charge_point_id, transaction.transaction_id, total_cost, command.command_id)
            )
        return updates

    def _cost_so_far(self, transaction: Transaction, now: datetime) -> Decimal | None:
        readings = self._meter_values.list(transaction_series(transaction.charge_point_id, transaction.transaction_id))
        meter_wh = energy_register_wh(readings)
        if meter_wh is None:
            return None
        return cost_so_far(transaction, now, meter_wh)


def _cost_switched_off(variables: list[ConfigurationVariable]) -> bool:
    return any(
        variable.component == COST_CONTROLLER
        and variable.variable in COST_SWITCHES
        and variable.variable_instance == COST_INSTANCE
        and variable.attribute_type == "Actual"
        and (variable.value or "").lower() == "false"
        for variable in variables
    )
