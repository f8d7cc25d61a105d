"""The command steps queue: each message is one step of a command workflow to perform."""

import json
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from csms.commands.workflow_definition import Step
from csms.composition import get_services
from csms.observability import logger


@dataclass(frozen=True)
class StepMessage:
    """The message body the state machine's tasks send (see `workflow_definition`)."""

    step: StrEnum
    task_token: str
    input: dict[str, Any]

    @classmethod
    def from_body(cls, body: str, steps: type[StrEnum] = Step) -> "StepMessage":
        """Raises ValueError (or KeyError) for a body that is no step message of `steps`."""
        message = json.loads(body)
        task_token, state = message["taskToken"], message["input"]
        if not isinstance(task_token, str) or not isinstance(state, dict):
            raise ValueError(f"not a step message: {body[:200]}")
        return cls(steps(message["step"]), task_token, state)


def perform_steps(event: dict[str, Any]) -> None:
    """Perform each step (one per event: batch size 1); its token is completed by the step."""
    workflow = get_services().command_workflow
    for record in event["Records"]:
        message = StepMessage.from_body(record["body"])
        logger.append_keys(command_id=message.input.get("commandId"), step=message.step.value)
        workflow.perform(Step(message.step), message.input, message.task_token)
