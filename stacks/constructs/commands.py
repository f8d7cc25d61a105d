"""Remote commands: the Standard state machine, its command steps queue, and the worker behind it.

The definition comes from `csms.commands.workflow_definition`, the builder the embedded runtime
and the tests run in moto too: only the queue URL is filled in here.
"""

from collections.abc import Mapping
from typing import cast

from aws_cdk import ArnFormat, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_stepfunctions as sfn
from constructs import Construct

from csms import constants
from csms.commands.workflow_definition import command_workflow_definition
from csms.function_catalogue import COMMAND_WORKER
from csms.tables import CALLS, CHARGE_POINTS, COMMANDS, CONNECTIONS, RESERVATIONS, TRANSACTIONS
from stacks.constructs.data import Data
from stacks.constructs.ocpp_gateway import OcppGateway
from stacks.constructs.runtime import FunctionRuntime
from stacks.constructs.task_token_workflow import task_token_workflow
from stacks.nag import acknowledge


class Commands(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        runtime: FunctionRuntime,
        data: Data,
        gateway: OcppGateway,
        environment: Mapping[str, str],
    ) -> None:
        super().__init__(scope, construct_id)
        self._data = data
        self._workflow = task_token_workflow(
            self,
            comment="CSMS remote command: send an OCPP CALL, wait for the answer and the follow-up",
            definition=command_workflow_definition,
            runtime=runtime,
            worker=COMMAND_WORKER,
            environment={**environment, constants.ENV_WEBSOCKET_MANAGEMENT_ENDPOINT: gateway.management_endpoint},
        )
        self.dead_letters, self.queue, self.state_machine, self.worker = (
            self._workflow.dead_letters,
            self._workflow.queue,
            self._workflow.state_machine,
            self._workflow.worker,
        )
        data.grant_read(self.worker, [TRANSACTIONS])
        # Charge points and connections: a connection found gone is recorded as disconnected.
        data.grant_read_write(self.worker, [COMMANDS, CALLS, CHARGE_POINTS, CONNECTIONS, RESERVATIONS])
        gateway.grant_manage_connections(self.worker)

    def grant_task_response(self, function: lambda_.Function) -> None:
        """SendTaskSuccess / SendTaskFailure: completing the tasks of command workflows."""
        self._workflow.grant_task_response(function)

    def grant_submit(self, function: lambda_.Function) -> None:
        """All that submitting commands takes: the state machine's ARN, the commands table, a ticket of
        the charge point's command queue (in the calls table), starting the workflow."""
        function.add_environment(constants.ENV_COMMAND_STATE_MACHINE_ARN, self.state_machine.state_machine_arn)
        self._data.grant_read_write(function, [COMMANDS, CALLS])
        self._grant_start(function)

    def _grant_start(self, function: lambda_.Function) -> None:
        """StartExecution of the state machine, DescribeExecution of its executions."""
        function.add_to_role_policy(
            iam.PolicyStatement(actions=["states:StartExecution"], resources=[self.state_machine.state_machine_arn])
        )
        stack = Stack.of(self)
        executions = stack.format_arn(
            service="states",
            resource="execution",
            resource_name=f"{self.state_machine.state_machine_name}:*",
            arn_format=ArnFormat.COLON_RESOURCE_NAME,
        )
        function.add_to_role_policy(iam.PolicyStatement(actions=["states:DescribeExecution"], resources=[executions]))
        state_machine_id = stack.resolve(cast(sfn.CfnStateMachine, self.state_machine.node.default_child).logical_id)
        if function.role is None:
            raise ValueError(f"{function.node.path} has no execution role")
        acknowledge(
            function.role,
            "AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:"
            f"<{state_machine_id}.Name>:*]",
            "Execution names (command ids) are only known at run time; the grant is limited to "
            "DescribeExecution of this state machine's executions.",
        )
