"""Load balancing: the rebalance state machine, its steps queue and worker, who may request a rebalance,
and the site tick that requests them on a schedule.

The definition comes from `csms.rebalancing.workflow_definition`, as in `csms local` and the tests.
The worker submits SetChargingProfile commands through the command workflow (`Commands.grant_submit`).
The worker and the tick both know the tick's interval: rebalances plan for the limit over it.
"""

from collections.abc import Mapping

from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from constructs import Construct

from csms import constants
from csms.function_catalogue import REBALANCE_WORKER, SITE_TICK
from csms.rebalancing.workflow_definition import rebalance_workflow_definition
from csms.tables import CHARGE_POINTS, LOAD_BALANCING, METER_VALUES, SITES, TRANSACTIONS
from stacks.constructs.commands import Commands
from stacks.constructs.data import Data
from stacks.constructs.rate_schedule import RateSchedule
from stacks.constructs.runtime import FunctionRuntime
from stacks.constructs.task_token_workflow import task_token_workflow


class Rebalancing(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        runtime: FunctionRuntime,
        data: Data,
        commands: Commands,
        environment: Mapping[str, str],
        tick_minutes: int,
    ) -> None:
        super().__init__(scope, construct_id)
        self._data = data
        environment = {**environment, constants.ENV_SITE_TICK_INTERVAL_SECONDS: str(tick_minutes * 60)}
        workflow = task_token_workflow(
            self,
            comment="CSMS site rebalance: allocate the limit, apply it in stages that never exceed it",
            definition=rebalance_workflow_definition,
            runtime=runtime,
            worker=REBALANCE_WORKER,
            environment=environment,
        )
        self.dead_letters, self.queue, self.state_machine, self.worker = (
            workflow.dead_letters,
            workflow.queue,
            workflow.state_machine,
            workflow.worker,
        )
        # Charge points: the site's chargers (index bySite), their wiring and installed profiles; meter values: the
        # current each session draws, kept with the allocation's history.
        data.grant_read(self.worker, [SITES, TRANSACTIONS, CHARGE_POINTS, METER_VALUES])
        data.grant_read_write(self.worker, [LOAD_BALANCING])
        commands.grant_submit(self.worker)

        # The tick reads every site (Scan) and its allocation, and requests rebalances.
        self.tick = runtime.function(self, "Tick", SITE_TICK, environment=environment)
        data.grant_read(self.tick, [SITES])
        self.grant_request(self.tick)
        # A failed tick is made up by the next one, which looks at every site again.
        RateSchedule(self, "TickSchedule", function=self.tick, rate_minutes=tick_minutes, what=SITE_TICK.trigger.what)

    def grant_request(self, function: lambda_.Function) -> None:
        """Requesting a rebalance: the per-site record, and starting the state machine."""
        function.add_environment(constants.ENV_REBALANCE_STATE_MACHINE_ARN, self.state_machine.state_machine_arn)
        self._data.grant_read_write(function, [LOAD_BALANCING])
        self._data.grant_read(function, [CHARGE_POINTS])
        function.add_to_role_policy(
            iam.PolicyStatement(actions=["states:StartExecution"], resources=[self.state_machine.state_machine_arn])
        )
