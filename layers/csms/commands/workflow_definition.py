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
     │   │  └─────────┴──► RecordFailure ──► FailureRecorded   (any error: Offline, the CALLERROR's
     │   │                                   code, InvalidResponse, States.Timeout, QueueTimeout, WorkerError)
     │   └─ States.Timeout (still queued after QUEUE_CHECK_SECONDS) ──► StillWaiting ─┐
     └────────────────────────────────────────────────────────────────────────────────┘

Every execution starts at Resume, a Choice on optional input fields that only `csms local` sets
(`csms.commands.recovery`), for a command whose workflow stopped with the runtime; on AWS it
costs one state transition and always leads to AcquireLock:

    Resume ── neither ──► AcquireLock
      ├── RESUME_FOLLOW_UP ──► CheckFollowUp   (the command was answered: check its follow-up again)
      └── AWAIT_RECONNECT_SINCE ──► AwaitCharger ──► ChargerBack ── back, or waited enough ──► AcquireLock
                                       ▲                 │ not yet
                                       └─ WaitForCharger ┘
    (never sent: the restart closed every connection, so it waits for its charge point to connect
    again, keeping its place in the queue, before it takes its turn)

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
    AWAIT_CHARGER = "AwaitCharger"


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
RESUME = "Resume"
# A command that failed is a normal end of its workflow once the record says why (the execution
# succeeds): a failed execution means the workflow itself broke, which the stack alarms on.
FAILURE_RECORDED = "FailureRecorded"
# Optional input fields, set only when `csms local` starts a command's workflow again after a restart:
RESUME_FOLLOW_UP = "resumeFollowUp"  # true: the command was answered; check its follow-up again
AWAIT_RECONNECT_SINCE = "awaitReconnectSince"  # when the runtime restarted: wait for a connection since
WORKER_RETRY: dict[str, Any] = {
    "ErrorEquals": [StepError.WORKER_ERROR.value],
    "IntervalSeconds": 2,
    "BackoffRate": 2,
    "MaxAttempts": 2,
}


def worker_task(step: StrEnum, queue_url: str, **fields: Any) -> dict[str, Any]:
    """A task that sends the step (its name, task token, state input) to the worker's queue and waits for its token."""
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


def _polled(step: Step, queue_url: str, result_path: str, check: str, wait: str, then: str) -> dict[str, Any]:
    """`step`, performed again after a Wait of the seconds it says as long as it says it is waiting; then `then`."""
    return {
        step.value: worker_task(
            step,
            queue_url,
            TimeoutSeconds=STEP_TIMEOUT_SECONDS,
            ResultPath=result_path,
            Retry=[WORKER_RETRY],
            Catch=_on_failure(),
            Next=check,
        ),
        check: {
            "Type": "Choice",
            "Choices": [{"Variable": f"{result_path}.waiting", "BooleanEquals": True, "Next": wait}],
            "Default": then,
        },
        wait: {"Type": "Wait", "SecondsPath": f"{result_path}.waitSeconds", "Next": step.value},
    }


def execution_input(command_id: str, charge_point_id: str, action: str, timeout_seconds: int) -> dict[str, Any]:
    """The state machine's input for a command, `timeout_seconds` its answer timeout."""
    return {
        "commandId": command_id,
        "chargePointId": charge_point_id,
        "action": action,
        "timeoutSeconds": timeout_seconds,
    }


def command_workflow_definition(queue_url: str) -> dict[str, Any]:
    """The state machine; its input is `execution_input`'s, with an optional resume field."""
    return {
        "Comment": "Send an OCPP CALL to a charge point, wait for its answer, then for the follow-up",
        "StartAt": RESUME,
        "States": {
            RESUME: {
                "Type": "Choice",
                "Choices": [
                    {"Variable": f"$.{RESUME_FOLLOW_UP}", "IsPresent": True, "Next": Step.CHECK_FOLLOW_UP.value},
                    {"Variable": f"$.{AWAIT_RECONNECT_SINCE}", "IsPresent": True, "Next": Step.AWAIT_CHARGER.value},
                ],
                "Default": Step.ACQUIRE_LOCK.value,
            },
            **_polled(
                Step.AWAIT_CHARGER, queue_url, "$.reconnect", "ChargerBack", "WaitForCharger", Step.ACQUIRE_LOCK.value
            ),
            Step.ACQUIRE_LOCK.value: worker_task(
                Step.ACQUIRE_LOCK,
                queue_url,
                TimeoutSeconds=QUEUE_CHECK_SECONDS,
                ResultPath=None,
                Retry=[WORKER_RETRY],
                Catch=_on_queue_check(),
                Next=Step.SEND.value,
            ),
            STILL_WAITING: {"Type": "Pass", "Next": Step.ACQUIRE_LOCK.value},
            Step.SEND.value: worker_task(
                Step.SEND,
                queue_url,
                TimeoutSecondsPath="$.timeoutSeconds",
                ResultPath="$.answer",
                Catch=_on_failure(),
                Next=Step.RECORD_ANSWER.value,
            ),
            Step.RECORD_ANSWER.value: worker_task(
                Step.RECORD_ANSWER,
                queue_url,
                TimeoutSeconds=STEP_TIMEOUT_SECONDS,
                ResultPath="$.followUp",
                Retry=[WORKER_RETRY],
                Catch=_on_failure(),
                Next="FollowUpPending",
            ),
            **_polled(Step.CHECK_FOLLOW_UP, queue_url, "$.followUp", "FollowUpPending", "WaitForFollowUp", "Done"),
            "Done": {"Type": "Succeed"},
            Step.RECORD_FAILURE.value: worker_task(
                Step.RECORD_FAILURE,
                queue_url,
                TimeoutSeconds=STEP_TIMEOUT_SECONDS,
                ResultPath=None,
                Retry=[WORKER_RETRY],
                Next=FAILURE_RECORDED,
            ),
            FAILURE_RECORDED: {"Type": "Succeed"},
        },
    }
