"""Load balancing: the rebalance state machine, its steps queue and worker, and who may request a rebalance.

The definition comes from `csms.rebalancing.workflow_definition`, as in `csms local` and the tests.
The worker submits SetChargingProfile commands through the command workflow (`Commands.grant_submit`).
"""

import json
from collections.abc import Mapping

from aws_cdk import Duration
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_lambda_event_sources as event_sources
from aws_cdk import aws_logs as logs
from aws_cdk import aws_sqs as sqs
from aws_cdk import aws_stepfunctions as sfn
from constructs import Construct

from csms import constants
from csms.function_catalogue import REBALANCE_WORKER
from csms.rebalancing.workflow_definition import rebalance_workflow_definition
from csms.tables import CHARGE_POINTS, LOAD_BALANCING, SITES, TRANSACTIONS
from stacks.constructs.commands import STEPS_MAX_RECEIVE_COUNT, Commands
from stacks.constructs.data import Data
from stacks.constructs.runtime import FunctionRuntime
from stacks.nag import acknowledge

STEPS_VISIBILITY_TIMEOUT = Duration.seconds(6 * REBALANCE_WORKER.timeout_seconds)


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
    ) -> None:
        super().__init__(scope, construct_id)
        self._data = data
        self.dead_letters = sqs.Queue(
            self,
            "StepsDeadLetters",
            encryption=sqs.QueueEncryption.SQS_MANAGED,
            enforce_ssl=True,
            retention_period=Duration.days(14),
        )
        self.queue = sqs.Queue(
            self,
            "Steps",
            encryption=sqs.QueueEncryption.SQS_MANAGED,
            enforce_ssl=True,
            visibility_timeout=STEPS_VISIBILITY_TIMEOUT,
            dead_letter_queue=sqs.DeadLetterQueue(queue=self.dead_letters, max_receive_count=STEPS_MAX_RECEIVE_COUNT),
        )
        self.state_machine = sfn.StateMachine(
            self,
            "StateMachine",
            comment="CSMS site rebalance: allocate the limit, apply it in stages that never exceed it",
            state_machine_type=sfn.StateMachineType.STANDARD,
            definition_body=sfn.DefinitionBody.from_string(
                json.dumps(rebalance_workflow_definition(self.queue.queue_url))
            ),
            logs=sfn.LogOptions(
                destination=logs.LogGroup(self, "StateMachineLogs", retention=logs.RetentionDays.ONE_MONTH),
                level=sfn.LogLevel.ALL,
                include_execution_data=False,
            ),
            tracing_enabled=True,
        )
        self.queue.grant_send_messages(self.state_machine)
        acknowledge(
            self.state_machine.role,
            "AwsSolutions-IAM5[Resource::*]",
            "Vended log delivery (logs:CreateLogDelivery and related) and X-Ray tracing "
            "(xray:PutTraceSegments and related) support no resource-level permissions.",
        )
        self.worker = runtime.function(
            self,
            "Worker",
            REBALANCE_WORKER,
            environment={**environment, REBALANCE_WORKER.trigger.url_setting: self.queue.queue_url},
        )
        self.worker.add_event_source(
            event_sources.SqsEventSource(self.queue, batch_size=REBALANCE_WORKER.trigger.batch_size)
        )
        # Charge points: the site's chargers (index bySite), their wiring and installed profiles.
        data.grant_read(self.worker, [SITES, TRANSACTIONS, CHARGE_POINTS])
        data.grant_read_write(self.worker, [LOAD_BALANCING])
        commands.grant_submit(self.worker)
        self.worker.add_to_role_policy(
            iam.PolicyStatement(
                actions=["states:SendTaskSuccess", "states:SendTaskFailure"],
                resources=[self.state_machine.state_machine_arn],
            )
        )

    def grant_request(self, function: lambda_.Function) -> None:
        """Requesting a rebalance: the per-site record, and starting the state machine."""
        function.add_environment(constants.ENV_REBALANCE_STATE_MACHINE_ARN, self.state_machine.state_machine_arn)
        self._data.grant_read_write(function, [LOAD_BALANCING])
        self._data.grant_read(function, [CHARGE_POINTS])
        function.add_to_role_policy(
            iam.PolicyStatement(actions=["states:StartExecution"], resources=[self.state_machine.state_machine_arn])
        )
