"""The campaign workflow as Amazon States Language: worker-driven batches, built like
`csms.rebalancing.workflow_definition` by the stack, `csms local` and the tests.

    Advance ──► Waiting? ──yes──► Wait (waitSeconds) ──┐
       ▲           │ no                                │
       │           ▼                                   │
       │          Done                                 │
       └───────────────────────────────────────────────┘
    (Advance failed for good, its retries spent: Halt records the campaign Halted with the reason, then Failed)

Advance is one `sqs:sendMessage.waitForTaskToken` task performed by the campaign worker
(`csms.campaigns.workflow`): it settles the running chargers of the current batch from their commands' outcomes,
applies the halt rule, starts chargers up to `maxConcurrency`, moves on to the next batch when one is done, and says
how long to wait before it looks again. Each charger's operation goes through the command workflow
(`CommandService.submit`), so the campaign's own execution never holds a state per charger.

Why not a Map over batches: an inline Map keeps every iteration's events in the parent's history, and a
campaign of 10,000 chargers in batches of 10 would pass the 25,000-event limit of one Standard execution; a
distributed Map does not run in moto, and the same definition must run in `csms local`. Here a round (Advance,
the Choice, the Wait) costs about 10 history events and 3 state transitions whatever the batch size, and after
`MAX_ROUNDS` rounds (about 20,000 events) the execution hands the campaign over to a new one (the next
generation, started by the worker) and ends: any campaign, however long, stays under the limit. Paused, halted
and cancelled campaigns end their execution once no charger runs; resuming starts the next generation.
"""

from enum import StrEnum
from typing import Any

from csms.commands.workflow_definition import STEP_TIMEOUT_SECONDS, WORKER_RETRY, worker_task

# Rounds one execution performs before it hands over: about 10 history events each, under the 25,000 limit.
MAX_ROUNDS = 2000


class CampaignStep(StrEnum):
    ADVANCE = "Advance"
    HALT = "Halt"  # a round failed for good: the campaign must not stay Running with no execution


def execution_name(campaign_id: str, generation: int) -> str:
    """Step Functions names are unique per state machine (and for 90 days after): one per generation."""
    return f"{campaign_id}-{generation}"


def execution_input(campaign_id: str, generation: int) -> dict[str, Any]:
    return {"campaignId": campaign_id, "generation": generation}


def campaign_workflow_definition(queue_url: str) -> dict[str, Any]:
    """The state machine; its input is `execution_input`'s."""
    return {
        "Comment": "Run a campaign: a canary, then batches, each charger through the command workflow",
        "StartAt": CampaignStep.ADVANCE.value,
        "States": {
            CampaignStep.ADVANCE.value: worker_task(
                CampaignStep.ADVANCE,
                queue_url,
                TimeoutSeconds=STEP_TIMEOUT_SECONDS,
                ResultPath="$.progress",
                Retry=[WORKER_RETRY],
                Catch=[{"ErrorEquals": ["States.ALL"], "ResultPath": "$.failure", "Next": CampaignStep.HALT.value}],
                Next="Waiting",
            ),
            "Waiting": {
                "Type": "Choice",
                "Choices": [{"Variable": "$.progress.waiting", "BooleanEquals": True, "Next": "Wait"}],
                "Default": "Done",
            },
            "Wait": {"Type": "Wait", "SecondsPath": "$.progress.waitSeconds", "Next": CampaignStep.ADVANCE.value},
            "Done": {"Type": "Succeed"},
            CampaignStep.HALT.value: worker_task(
                CampaignStep.HALT,
                queue_url,
                TimeoutSeconds=STEP_TIMEOUT_SECONDS,
                ResultPath="$.halt",
                Retry=[WORKER_RETRY],
                Next="Failed",
            ),
            "Failed": {"Type": "Fail", "Error": "CampaignRoundFailed", "Cause": "A round failed; the campaign halted"},
        },
    }
