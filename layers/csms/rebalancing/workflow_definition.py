"""The rebalance workflow as Amazon States Language: one execution per run of rebalances of a site.

Plain Python like `csms.commands.workflow_definition`, built the same way by the stack, `csms local` and
the tests. Every step is an `sqs:sendMessage.waitForTaskToken` task that the rebalance worker
(`functions/rebalance_worker.py`) performs:

    Debounce ──► Plan ──► StagePending? ──yes──► WaitForAnswers ──► Apply ─┐
       ▲                     │ no   ▲                                       │
       │                     ▼      └───────────────────────────────────────┘
       └──── yes ── Again? ◄── Finish ──► no: Done
    (any error of Plan or Apply: Finish, so the site is never left marked running)

Debounce waits before Plan reads the site, so that requests arriving meanwhile are answered by this run
(`csms.rebalancing.requests`). Plan computes the allocation and sends the first stage of
SetChargingProfile commands; Apply, polled, waits for their outcomes and sends the next stage; Finish
runs the whole again if a request came since Plan read the site.
"""

from enum import StrEnum
from typing import Any

from csms.commands.workflow_definition import STEP_TIMEOUT_SECONDS, WORKER_RETRY, worker_task
from csms.rebalancing.requests import DEBOUNCE_SECONDS


class RebalanceStep(StrEnum):
    PLAN = "Plan"
    APPLY = "Apply"
    FINISH = "Finish"


def rebalance_workflow_definition(queue_url: str) -> dict[str, Any]:
    """The state machine; its input is `{"siteId": ...}`."""
    on_failure = [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.failure", "Next": RebalanceStep.FINISH.value}]
    return {
        "Comment": "Rebalance a site: allocate its limit, apply it in stages that never exceed it, again if asked",
        "StartAt": "Debounce",
        "States": {
            "Debounce": {"Type": "Wait", "Seconds": DEBOUNCE_SECONDS, "Next": RebalanceStep.PLAN.value},
            RebalanceStep.PLAN.value: worker_task(
                RebalanceStep.PLAN,
                queue_url,
                TimeoutSeconds=STEP_TIMEOUT_SECONDS,
                ResultPath="$.apply",
                Retry=[WORKER_RETRY],
                Catch=on_failure,
                Next="StagePending",
            ),
            "StagePending": {
                "Type": "Choice",
                "Choices": [{"Variable": "$.apply.waiting", "BooleanEquals": True, "Next": "WaitForAnswers"}],
                "Default": RebalanceStep.FINISH.value,
            },
            "WaitForAnswers": {"Type": "Wait", "SecondsPath": "$.apply.waitSeconds", "Next": RebalanceStep.APPLY.value},
            RebalanceStep.APPLY.value: worker_task(
                RebalanceStep.APPLY,
                queue_url,
                TimeoutSeconds=STEP_TIMEOUT_SECONDS,
                ResultPath="$.apply",
                Retry=[WORKER_RETRY],
                Catch=on_failure,
                Next="StagePending",
            ),
            RebalanceStep.FINISH.value: worker_task(
                RebalanceStep.FINISH,
                queue_url,
                TimeoutSeconds=STEP_TIMEOUT_SECONDS,
                ResultPath="$.finish",
                Retry=[WORKER_RETRY],
                Next="Again",
            ),
            "Again": {
                "Type": "Choice",
                "Choices": [{"Variable": "$.finish.again", "BooleanEquals": True, "Next": "Debounce"}],
                "Default": "Done",
            },
            "Done": {"Type": "Succeed"},
        },
    }
