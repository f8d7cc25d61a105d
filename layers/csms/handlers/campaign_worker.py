"""The campaign steps queue: each message is one step of a campaign workflow to perform."""

from typing import Any

from csms.campaigns.workflow_definition import CampaignStep
from csms.composition import get_services
from csms.handlers.command_worker import StepMessage
from csms.observability import logger


def perform_steps(event: dict[str, Any]) -> None:
    """Perform each step (batch size 1); the step completes its token."""
    workflow = get_services().campaign_workflow
    for record in event["Records"]:
        message = StepMessage.from_body(record["body"], CampaignStep)
        logger.append_keys(campaign_id=message.input.get("campaignId"), step=message.step)
        workflow.perform(CampaignStep(message.step), message.input, message.task_token)
