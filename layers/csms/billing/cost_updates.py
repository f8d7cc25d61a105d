"""OCPP 2.0.1 TariffAndCost: CostUpdated, the cost so far, sent to charge points during long sessions.

A schedule runs this at a fixed interval. Each run sends every running session that has lasted at
least one interval its cost so far, by the session's own tariff, from its latest energy reading.
The CALL goes through the command workflow, so it waits its turn behind other commands to the
same charge point and its answer is recorded like any command's.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from csms.billing.failures import SessionFailure, SessionFailures
from csms.commands.service import CommandService
from csms.domain.configuration_variables import ConfigurationVariable
from csms.domain.meter_series import TransactionSeries
from csms.domain.metering import energy_register_wh
from csms.domain.models import Transaction
from csms.domain.ports import (
    ChargePointRepository,
    Clock,
    ConfigurationRepository,
    MeterValueRepository,
    TransactionRepository,
)
from csms.domain.running_cost import cost_so_far
from csms.metric_names import COST_UPDATE_FAILURES

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


@dataclass
class CostUpdateRun:
    sent: list[CostUpdate] = field(default_factory=list)
    # Sessions this run could not price (`cost_update_error` recorded) or send an update to.
    failed: list[SessionFailure] = field(default_factory=list)


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

    def run(self) -> CostUpdateRun:
        """Send CostUpdated to each long-running session's charge point; what was sent, what failed.

        Skipped: sessions younger than the interval, charge points not connected (they get the next
        run's figure), charge points whose reported device model says they show no cost, and sessions
        without an energy reading yet (nothing to tell). A charge point that never reported its device
        model is sent the update: one without TariffAndCost answers with a CALLERROR, recorded.
        Each session on its own (`csms.billing.failures`): one that cannot be priced keeps the
        error on its transaction, and the next run tries again.
        """
        now = self._clock.now()
        failures = SessionFailures(COST_UPDATE_FAILURES)
        result = CostUpdateRun(failed=failures.failed)
        for transaction in self._transactions.list_showing_running_cost():
            with failures.isolated(transaction, now, self._transactions.record_cost_update_error):
                update = self._update(transaction, now)
                if update is not None:
                    result.sent.append(update)
        failures.publish()
        return result

    def _update(self, transaction: Transaction, now: datetime) -> CostUpdate | None:
        """The update sent to the session's charge point, if it is due one."""
        if now - transaction.started_at < self._interval:
            return None
        charge_point = self._charge_points.get(transaction.charge_point_id)
        if charge_point is None or not charge_point.connected:
            return None
        if _cost_switched_off(self._configuration.list(transaction.charge_point_id)):
            return None
        total_cost = self._cost_so_far(transaction, now)
        if total_cost is None:
            return None
        command = self._commands.submit(
            transaction.charge_point_id,
            "CostUpdated",
            {"totalCost": float(total_cost), "transactionId": transaction.transaction_id},
        )
        return CostUpdate(transaction.charge_point_id, transaction.transaction_id, total_cost, command.command_id)

    def _cost_so_far(self, transaction: Transaction, now: datetime) -> Decimal | None:
        readings = self._meter_values.list(TransactionSeries(transaction.charge_point_id, transaction.transaction_id))
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
