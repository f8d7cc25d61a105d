"""The command steps queue: each message is one step of a command workflow to perform."""

from typing import Any

from aws_lambda_powertools.utilities.data_classes import SQSEvent
from pydantic import BaseModel, Field

from csms.commands.workflow_definition import Step
from csms.composition import get_services
from csms.observability import logger


class StepMessage(BaseModel):
    """The message body the state machine's tasks send (see `workflow_definition`)."""

    step: Step
    task_token: str = Field(alias="taskToken")
    input: dict[str, Any]


def perform_steps(event: dict[str, Any]) -> None:
    """Perform each step (one per event: batch size 1); its token is completed by the step."""
    workflow = get_services().command_workflow
    for record in SQSEvent(event).records:
        message = StepMessage.model_validate_json(record.body)
        logger.append_keys(command_id=message.input.get("commandId"), step=message.step.value)
        workflow.perform(message.step, message.input, message.task_token)
