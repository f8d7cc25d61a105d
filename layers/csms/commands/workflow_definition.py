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
     (retried while      │                        │ no   ▲                                          │
      ChargePointBusy)   │                        ▼      └──────────────────────────────────────────┘
                         │                       Done
      any error ─────────┴──► RecordFailure ──► Failed   (Offline, the CALLERROR's code, InvalidResponse,
                                                           States.Timeout, ChargePointBusy, WorkerError)

Taking the charge point's lock is a step of its own so that Send is never retried: a retried task
may keep its token (moto does), and a late completion for one attempt must not resume the next.
Taking the lock again is harmless (it is re-entrant per command).
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

    CHARGE_POINT_BUSY = "ChargePointBusy"  # another CALL to the charge point is outstanding
    OFFLINE = "Offline"  # not connected, or the connection is gone
    INVALID_RESPONSE = "InvalidResponse"  # the CALLRESULT breaks the action's schema
    WORKER_ERROR = "WorkerError"  # the worker failed unexpectedly
    TIMEOUT = "States.Timeout"  # raised by Step Functions: no answer within the command timeout


# Waiting for the one outstanding call to a charge point to be answered or to time out: with full
# jitter, about two minutes on average before the command fails as ChargePointBusy.
BUSY_RETRY: dict[str, Any] = {
    "ErrorEquals": [StepError.CHARGE_POINT_BUSY.value],
    "IntervalSeconds": 1,
    "BackoffRate": 1.5,
    "MaxDelaySeconds": 10,
    "MaxAttempts": 30,
    "JitterStrategy": "FULL",
}
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


def command_workflow_definition(queue_url: str) -> dict[str, Any]:
    """The state machine; its input is `{"commandId", "chargePointId", "action", "timeoutSeconds"}`."""
    return {
        "Comment": "Send an OCPP CALL to a charge point, wait for its answer, then for the follow-up",
        "StartAt": Step.ACQUIRE_LOCK.value,
        "States": {
            Step.ACQUIRE_LOCK.value: _step(
                Step.ACQUIRE_LOCK,
                queue_url,
                TimeoutSeconds=STEP_TIMEOUT_SECONDS,
                ResultPath=None,
                Retry=[BUSY_RETRY, WORKER_RETRY],
                Catch=_on_failure(),
                Next=Step.SEND.value,
            ),
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
