"""The worker's handler: an SQS event of the command steps queue, one step performed per record."""

import json
from typing import Any

import pytest

from csms.commands.models import CommandStatus
from csms.commands.workflow_definition import Step
from csms.composition import Services
from csms.local.lambda_events import lambda_context, sqs_event
from csms.wire.versions import OcppVersion
from functions import command_worker
from tests.fakes import RecordingWorkflows

QUEUE_ARN = "arn:aws:sqs:us-east-1:123456789012:steps"


def event(body: dict[str, Any]) -> dict[str, Any]:
    message = {"MessageId": "m-1", "ReceiptHandle": "r-1", "Body": json.dumps(body), "MD5OfBody": "x"}
    return sqs_event(QUEUE_ARN, message)


@pytest.fixture
def services(fake_services: Services, monkeypatch: pytest.MonkeyPatch) -> Services:
    monkeypatch.setattr("csms.handlers.command_worker.get_services", lambda: fake_services)
    fake_services.charge_points.connected("CP-1", "conn-1", OcppVersion.V16)
    return fake_services


def test_a_step_message_is_performed_and_its_token_completed(services: Services, workflows: RecordingWorkflows) -> None:
    command = services.commands.submit("CP-1", "ClearCache", {})
    body = {
        "step": Step.RECORD_ANSWER.value,
        "taskToken": "token-1",
        "input": {
            "commandId": command.command_id,
            "answer": {"response": {"status": "Accepted"}, "answeredAt": "2026-11-23T12:00:01.000Z"},
        },
    }

    command_worker.handler(event(body), lambda_context("command_worker"))

    assert workflows.succeeded == [("token-1", {"waiting": False})]
    assert services.commands.get(command.command_id).status is CommandStatus.ACCEPTED  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "body",
    [
        {"step": "Dance", "taskToken": "t", "input": {}},
        {"step": Step.RECORD_ANSWER.value, "taskToken": 7, "input": {}},
        {"step": Step.RECORD_ANSWER.value, "taskToken": "t", "input": []},
        {"step": Step.RECORD_ANSWER.value, "input": {}},
    ],
    ids=["unknown step", "token not a string", "input not an object", "no token"],
)
def test_a_message_that_is_no_step_fails_the_invocation(
    services: Services, workflows: RecordingWorkflows, body: dict[str, Any]
) -> None:
    """Raising leaves the message to SQS: redelivered, then dead-lettered."""
    with pytest.raises((ValueError, KeyError)):
        command_worker.handler(event(body), lambda_context("w"))
    assert workflows.succeeded == workflows.failed == []
