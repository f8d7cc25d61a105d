"""Campaigns: the campaign state machine, its steps queue and worker, and who may start campaigns.

The definition comes from `csms.campaigns.workflow_definition`, as in `csms local` and the tests. The worker
submits each charger's commands through the command workflow (`Commands.grant_submit`) and starts the next
generation's execution when one hands a long campaign over.
"""

from collections.abc import Mapping

from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from constructs import Construct

from csms import constants
from csms.campaigns.workflow_definition import campaign_workflow_definition
from csms.function_catalogue import CAMPAIGN_WORKER
from csms.tables import CAMPAIGNS, CHARGE_POINTS
from stacks.constructs.commands import Commands
from stacks.constructs.data import Data
from stacks.constructs.runtime import FunctionRuntime
from stacks.constructs.task_token_workflow import task_token_workflow


class Campaigns(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        runtime: FunctionRuntime,
        data: Data,
        commands: Commands,
        environment: Mapping[str, str],
    ) -> None:
        super().__init__(scope, construct_id)
        workflow = task_token_workflow(
            self,
            comment="CSMS campaign: a canary, then batches, each charger through the command workflow",
            definition=campaign_workflow_definition,
            runtime=runtime,
            worker=CAMPAIGN_WORKER,
            environment=environment,
        )
        self.dead_letters, self.queue, self.state_machine, self.worker = (
            workflow.dead_letters,
            workflow.queue,
            workflow.state_machine,
            workflow.worker,
        )
        # The campaign and its chargers; each charger's profile (connected, OCPP version); the commands sent
        # (read back through the commands table, which submitting already grants).
        data.grant_read_write(self.worker, [CAMPAIGNS])
        data.grant_read(self.worker, [CHARGE_POINTS])
        commands.grant_submit(self.worker)
        # A long campaign is handed over to a new execution (its history stays under the limit).
        self.grant_start(self.worker)

    def grant_start(self, function: lambda_.Function) -> None:
        """Starting campaign executions (creating or resuming a campaign, handing one over)."""
        function.add_environment(constants.ENV_CAMPAIGN_STATE_MACHINE_ARN, self.state_machine.state_machine_arn)
        function.add_to_role_policy(
            iam.PolicyStatement(actions=["states:StartExecution"], resources=[self.state_machine.state_machine_arn])
        )
