"""The command workflow as Amazon States Language, and the names it shares with its worker.

Plain Python, no CDK: the stack (`stacks/constructs/commands.py`), the embedded runtime and the
tests all build the state machine from `command_workflow_definition`, so what runs in moto is
what is deployed.

Every step is an `sqs:sendMessage.waitForTaskToken` task: the message (step name, task token,
state input) goes to the command steps queue, whose worker (`functions/command_worker.py`)
performs the step and completes the token. Lambda tasks would save the queue, but moto cannot
run Lambda code, and the same definition must run in both. The Send step's token is completed by
the charge point's answer instead (`csms.commands.answers`), or it times out.

    AcquireLock ──► Send ──► RecordAnswer ──► FollowUpPending? ──yes──► WaitForFollowUp ──► CheckFollowUp
     ▲   │  │         │                          │ no   ▲                                          │
     │   │  │         │                          ▼      └──────────────────────────────────────────┘
     │   │  │         │                         Done
     │   │  └─────────┴──► RecordFailure ──► Failed   (any error: Offline, the CALLERROR's code,
     │   │                                             InvalidResponse, States.Timeout, QueueTimeout, WorkerError)
     │   └─ States.Timeout (still queued after QUEUE_CHECK_SECONDS) ──► StillWaiting ─┐
     └────────────────────────────────────────────────────────────────────────────────┘

AcquireLock waits for the command's turn in its charge point's queue (`csms.commands.queue`): the
worker parks the token, and the token is completed when the command is granted the charge point's
lock. Each wait lasts QUEUE_CHECK_SECONDS; a command still queued then goes round through
StillWaiting and parks a new token, which also lets the queue pass over a holder whose workflow
died. The worker fails a command queued longer than QUEUE_TIMEOUT_SECONDS as QueueTimeout.
(StillWaiting is a state of its own: moto mishandles a Catch leading back to the state it left.)

Taking the lock is a step of its own so that Send is never retried: a retried task may keep its
token (moto does), and a late completion for one attempt must not resume the next.
"""

from enum import StrEnum
from typing import Any

TASK_RESOURCE = "arn:aws:states:::sqs:sendMessage.waitForTaskToken"

# Worker steps are quick, but a failed delivery is retried by SQS (visibility timeout, then the
# dead-letter queue): this bounds how long an execution waits for a step whose message was lost.
STEP_TIMEOUT_SECONDS = 600


class Step(StrEnum):
    """Steps the worker performs; each is also the name of its state."""

    ACQUIRE_LOCK = "AcquireLock"
    SEND = "Send"
    RECORD_ANSWER = "RecordAnswer"
    CHECK_FOLLOW_UP = "CheckFollowUp"
    RECORD_FAILURE = "RecordFailure"


class StepError(StrEnum):
    """Error names a step fails with (`SendTaskFailure`), besides Step Functions' own and, for Send,
    the code of the charge point's CALLERROR."""

    OFFLINE = "Offline"  # not connected, or the connection is gone
    INVALID_RESPONSE = "InvalidResponse"  # the CALLRESULT breaks the action's schema
    WORKER_ERROR = "WorkerError"  # the worker failed unexpectedly
    TIMEOUT = "States.Timeout"  # raised by Step Functions: no answer within the command timeout
    QUEUE_TIMEOUT = "QueueTimeout"  # the commands before it kept it waiting too long, or its turn passed


# How long one wait for the command's turn lasts before it checks the queue again.
QUEUE_CHECK_SECONDS = 60
# How long a command may wait for its turn in all: 100 queued commands that each time out after
# the default 30 s go through in about an hour.
QUEUE_TIMEOUT_SECONDS = 3600
STILL_WAITING = "StillWaiting"
WORKER_RETRY: dict[str, Any] = {
    "ErrorEquals": [StepError.WORKER_ERROR.value],
    "IntervalSeconds": 2,
    "BackoffRate": 2,
    "MaxAttempts": 2,
}


def _step(step: Step, queue_url: str, **fields: Any) -> dict[str, Any]:
    return {
        "Type": "Task",
        "Resource": TASK_RESOURCE,
        "Parameters": {
            "QueueUrl": queue_url,
            "MessageBody": {"step": step.value, "taskToken.$": "$$.Task.Token", "input.$": "$"},
        },
        **fields,
    }


def _on_failure() -> list[dict[str, Any]]:
    return [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.failure", "Next": Step.RECORD_FAILURE.value}]


def _on_queue_check() -> list[dict[str, Any]]:
    return [{"ErrorEquals": [StepError.TIMEOUT.value], "ResultPath": None, "Next": STILL_WAITING}, *_on_failure()]


def command_workflow_definition(queue_url: str) -> dict[str, Any]:
    """The state machine; its input is `{"commandId", "chargePointId", "action", "timeoutSeconds"}`."""
    return {
        "Comment": "Send an OCPP CALL to a charge point, wait for its answer, then for the follow-up",
        "StartAt": Step.ACQUIRE_LOCK.value,
        "States": {
            Step.ACQUIRE_LOCK.value: _step(
                Step.ACQUIRE_LOCK,
                queue_url,
                TimeoutSeconds=QUEUE_CHECK_SECONDS,
                ResultPath=None,
                Retry=[WORKER_RETRY],
                Catch=_on_queue_check(),
                Next=Step.SEND.value,
            ),
            STILL_WAITING: {"Type": "Pass", "Next": Step.ACQUIRE_LOCK.value},
            Step.SEND.value: _step(
                Step.SEND,
                queue_url,
                TimeoutSecondsPath="$.timeoutSeconds",
                ResultPath="$.answer",
                Catch=_on_failure(),
                Next=Step.RECORD_ANSWER.value,
            ),
            Step.RECORD_ANSWER.value: _step(
                Step.RECORD_ANSWER,
                queue_url,
                TimeoutSeconds=STEP_TIMEOUT_SECONDS,
                ResultPath="$.followUp",
                Retry=[WORKER_RETRY],
                Catch=_on_failure(),
                Next="FollowUpPending",
            ),
            "FollowUpPending": {
                "Type": "Choice",
                "Choices": [{"Variable": "$.followUp.waiting", "BooleanEquals": True, "Next": "WaitForFollowUp"}],
                "Default": "Done",
            },
            "WaitForFollowUp": {
                "Type": "Wait",
                "SecondsPath": "$.followUp.waitSeconds",
                "Next": Step.CHECK_FOLLOW_UP.value,
            },
            Step.CHECK_FOLLOW_UP.value: _step(
                Step.CHECK_FOLLOW_UP,
                queue_url,
                TimeoutSeconds=STEP_TIMEOUT_SECONDS,
                ResultPath="$.followUp",
                Retry=[WORKER_RETRY],
                Catch=_on_failure(),
                Next="FollowUpPending",
            ),
            "Done": {"Type": "Succeed"},
            Step.RECORD_FAILURE.value: _step(
                Step.RECORD_FAILURE,
                queue_url,
                TimeoutSeconds=STEP_TIMEOUT_SECONDS,
                ResultPath=None,
                Retry=[WORKER_RETRY],
                Next="Failed",
            ),
            "Failed": {"Type": "Fail", "Error": "CommandFailed", "Cause": "The command record says why"},
        },
    }
