"""A state machine whose steps are SQS task-token messages, its steps queue, that queue's dead letters, and the
worker that performs the steps.

The command, rebalance and campaign workflows are all built this way (moto cannot run Lambda tasks, so a
worker performs each step from the queue). The resources are made in the caller's scope, so their logical
ids are the caller's own.
"""

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from aws_cdk import Duration
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_lambda_event_sources as event_sources
from aws_cdk import aws_logs as logs
from aws_cdk import aws_sqs as sqs
from aws_cdk import aws_stepfunctions as sfn
from constructs import Construct

from csms.function_catalogue import LambdaFunction, SqsQueue
from stacks.constructs.runtime import FunctionRuntime
from stacks.nag import acknowledge

# A step whose worker failed this often goes to the dead-letter queue (and its state times out).
STEPS_MAX_RECEIVE_COUNT = 3


@dataclass(frozen=True)
class TaskTokenWorkflow:
    dead_letters: sqs.Queue
    queue: sqs.Queue
    state_machine: sfn.StateMachine
    worker: lambda_.Function

    def grant_task_response(self, function: lambda_.Function) -> None:
        """SendTaskSuccess / SendTaskFailure: completing the tasks of this state machine."""
        function.add_to_role_policy(
            iam.PolicyStatement(
                actions=["states:SendTaskSuccess", "states:SendTaskFailure"],
                resources=[self.state_machine.state_machine_arn],
            )
        )


def task_token_workflow(
    scope: Construct,
    *,
    comment: str,
    definition: Callable[[str], dict[str, Any]],
    runtime: FunctionRuntime,
    worker: LambdaFunction[SqsQueue],
    environment: Mapping[str, str],
) -> TaskTokenWorkflow:
    """`definition(queue_url)` is the Amazon States Language; the queue is the one its steps go to, and
    `worker` (given `environment` and the queue's URL) performs them and may complete their tasks."""
    worker_timeout_seconds = worker.timeout_seconds
    dead_letters = sqs.Queue(
        scope,
        "StepsDeadLetters",
        encryption=sqs.QueueEncryption.SQS_MANAGED,
        enforce_ssl=True,
        retention_period=Duration.days(14),
    )
    queue = sqs.Queue(
        scope,
        "Steps",
        encryption=sqs.QueueEncryption.SQS_MANAGED,
        enforce_ssl=True,
        # AWS recommends at least six times the function timeout for an SQS event source.
        visibility_timeout=Duration.seconds(6 * worker_timeout_seconds),
        dead_letter_queue=sqs.DeadLetterQueue(queue=dead_letters, max_receive_count=STEPS_MAX_RECEIVE_COUNT),
    )
    state_machine = sfn.StateMachine(
        scope,
        "StateMachine",
        comment=comment,
        state_machine_type=sfn.StateMachineType.STANDARD,
        definition_body=sfn.DefinitionBody.from_string(json.dumps(definition(queue.queue_url))),
        # Events without their data: payloads may carry configuration values and id tokens.
        logs=sfn.LogOptions(
            destination=logs.LogGroup(scope, "StateMachineLogs", retention=logs.RetentionDays.ONE_MONTH),
            level=sfn.LogLevel.ALL,
            include_execution_data=False,
        ),
        tracing_enabled=True,
    )
    queue.grant_send_messages(state_machine)
    acknowledge(
        state_machine.role,
        "AwsSolutions-IAM5[Resource::*]",
        "Vended log delivery (logs:CreateLogDelivery and related) and X-Ray tracing "
        "(xray:PutTraceSegments and related) support no resource-level permissions.",
    )
    function = runtime.function(
        scope, "Worker", worker, environment={**environment, worker.trigger.url_setting: queue.queue_url}
    )
    function.add_event_source(event_sources.SqsEventSource(queue, batch_size=worker.trigger.batch_size))
    workflow = TaskTokenWorkflow(dead_letters, queue, state_machine, function)
    workflow.grant_task_response(function)
    return workflow
