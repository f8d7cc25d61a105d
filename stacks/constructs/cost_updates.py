"""OCPP 2.0.1 CostUpdated: the function that sends running sessions their cost so far, on a schedule.

It reads the running sessions (the transactions table's sparse `runningCost` index), their
charge points and meter values, and submits a CostUpdated command for each long-running one; it
updates a transaction only to keep why its cost could not be computed.
"""

from collections.abc import Mapping

from aws_cdk import aws_iam as iam
from constructs import Construct

from csms import constants
from csms.function_catalogue import COST_UPDATES
from csms.tables import CHARGE_POINTS, METER_VALUES, RUNNING_COST_INDEX, TRANSACTIONS
from stacks.constructs.commands import Commands
from stacks.constructs.data import Data
from stacks.constructs.rate_schedule import RateSchedule
from stacks.constructs.runtime import FunctionRuntime


class CostUpdates(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        runtime: FunctionRuntime,
        data: Data,
        commands: Commands,
        environment: Mapping[str, str],
        interval_minutes: int,
    ) -> None:
        super().__init__(scope, construct_id)
        self.function = runtime.function(
            self,
            "Run",
            COST_UPDATES,
            environment={**environment, constants.ENV_COST_UPDATE_INTERVAL_SECONDS: str(interval_minutes * 60)},
        )
        data.grant_query_index(self.function, TRANSACTIONS, RUNNING_COST_INDEX)
        data.grant_read(self.function, [CHARGE_POINTS, METER_VALUES])
        # A session whose cost cannot be computed keeps why on its transaction (`costUpdateError`).
        iam.Grant.add_to_principal(
            grantee=self.function, actions=["dynamodb:UpdateItem"], resource_arns=[data.tables[TRANSACTIONS].table_arn]
        )
        commands.grant_submit(self.function)
        # A failed run is made up by the next one, which sends the cost as it is then.
        RateSchedule(
            self, "Schedule", function=self.function, rate_minutes=interval_minutes, what=COST_UPDATES.trigger.what
        )
