"""A state machine whose steps are SQS task-token messages, its steps queue and that queue's dead letters.

The command workflow and the rebalance workflow are both built this way (moto cannot run Lambda
tasks, so a worker performs each step from the queue). The resources are made in the caller's
scope, so their logical ids are the caller's own.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aws_cdk import Duration
from aws_cdk import aws_logs as logs
from aws_cdk import aws_sqs as sqs
from aws_cdk import aws_stepfunctions as sfn
from constructs import Construct

from stacks.nag import acknowledge

# A step whose worker failed this often goes to the dead-letter queue (and its state times out).
STEPS_MAX_RECEIVE_COUNT = 3


@dataclass(frozen=True)
class TaskTokenWorkflow:
    dead_letters: sqs.Queue
    queue: sqs.Queue
    state_machine: sfn.StateMachine


def task_token_workflow(
    scope: Construct,
    *,
    comment: str,
    definition: Callable[[str], dict[str, Any]],
    worker_timeout_seconds: int,
) -> TaskTokenWorkflow:
    """`definition(queue_url)` is the Amazon States Language; the queue is the one its steps go to."""
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
    return TaskTokenWorkflow(dead_letters, queue, state_machine)
