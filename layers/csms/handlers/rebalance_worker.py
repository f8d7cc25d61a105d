"""The rebalance steps queue: each message is one step of a rebalance workflow to perform."""

from typing import Any

from csms.composition import get_services
from csms.handlers.command_worker import StepMessage
from csms.observability import logger
from csms.rebalancing.workflow_definition import RebalanceStep


def perform_steps(event: dict[str, Any]) -> None:
    """Perform each step (batch size 1); the step completes its token."""
    workflow = get_services().rebalance_workflow
    for record in event["Records"]:
        message = StepMessage.from_body(record["body"], RebalanceStep)
        logger.append_keys(site_id=message.input.get("siteId"), step=message.step)
        workflow.perform(RebalanceStep(message.step), message.input, message.task_token)
