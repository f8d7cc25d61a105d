"""Command workflows on Step Functions: starting executions and completing their task tokens."""

import json
import time
from functools import cached_property
from typing import Any

import boto3
from botocore.config import Config

from csms.observability import logger

# A token can be refused as invalid for a moment right after its task was scheduled (the
# callback is registered after the message carrying the token went out).
INVALID_TOKEN_ATTEMPTS = 5
INVALID_TOKEN_BACKOFF_SECONDS = 0.1
# Step Functions' limits on the error name and cause of SendTaskFailure.
MAX_ERROR_LENGTH = 256
MAX_CAUSE_LENGTH = 32768
_CLIENT_CONFIG = Config(connect_timeout=2, read_timeout=5, retries={"max_attempts": 3, "mode": "standard"})


class StepFunctionsWorkflows:
    def __init__(self, state_machine_arn: str) -> None:
        self._state_machine_arn = state_machine_arn

    @cached_property
    def _client(self) -> Any:
        return boto3.client("stepfunctions", config=_CLIENT_CONFIG)

    def start(self, name: str, execution_input: dict[str, Any]) -> str:
        response = self._client.start_execution(
            stateMachineArn=self._state_machine_arn, name=name, input=json.dumps(execution_input)
        )
        return str(response["executionArn"])

    def succeed(self, task_token: str, output: dict[str, Any]) -> None:
        self._complete(self._client.send_task_success, taskToken=task_token, output=json.dumps(output))

    def fail(self, task_token: str, error: str, cause: str) -> None:
        self._complete(
            self._client.send_task_failure,
            taskToken=task_token,
            error=error[:MAX_ERROR_LENGTH],
            cause=cause[:MAX_CAUSE_LENGTH],
        )

    def _complete(self, operation: Any, **request: Any) -> None:
        errors = self._client.exceptions
        for attempt in range(1, INVALID_TOKEN_ATTEMPTS + 1):
            try:
                operation(**request)
                return
            except (errors.TaskTimedOut, errors.TaskDoesNotExist):
                logger.info("Task no longer waits for its token (timed out or completed)")
                return
            except errors.InvalidToken:
                if attempt == INVALID_TOKEN_ATTEMPTS:
                    logger.warning("Task token refused as invalid", extra={"attempts": attempt})
                    return
                time.sleep(INVALID_TOKEN_BACKOFF_SECONDS * attempt)
