"""A charge point's command queue: commands go out in the order submitted, one at a time, none dropped.

The workflow steps run as the worker performs them, over the in-memory fakes; the test plays
Step Functions (a step runs once the previous one's task token was completed) and the charge
point (it answers each CALL as it comes).
"""

import json
import random

import pytest

from csms.commands.models import Command
from csms.commands.workflow_definition import Step
from csms.composition import Services
from csms.wire.versions import OcppVersion
from tests.fakes import RecordingSender, RecordingWorkflows
from tests.unit.stations import CALLRESULT, Station

V16 = OcppVersion.V16


@pytest.fixture
def services(fake_services: Services) -> Services:
    fake_services.charge_points.connected("CP-1", "conn-1", V16)
    return fake_services


def perform(services: Services, step: Step, command: Command, token: str) -> None:
    state = {"commandId": command.command_id, "timeoutSeconds": services.settings.command_timeout_seconds}
    services.command_workflow.perform(step, state, token)


def lock_token(command: Command) -> str:
    return f"lock-{command.command_id}"


def test_forty_queued_commands_are_sent_in_submission_order_one_at_a_time(
    services: Services, workflows: RecordingWorkflows, sender: RecordingSender
) -> None:
    # Given 40 commands submitted back to back to one charge point
    commands = [
        services.commands.submit("CP-1", "ChangeConfiguration", {"key": "K", "value": str(n)}) for n in range(40)
    ]

    # When their workflows ask for their turn in any order (the steps queue keeps none)
    for command in random.Random(8).sample(commands, len(commands)):
        perform(services, Step.ACQUIRE_LOCK, command, lock_token(command))
    # and each goes on to Send once its turn came, the charge point answering every CALL
    station = Station(services, V16)
    sent: set[str] = set()
    while True:
        granted = {token for token, _ in workflows.succeeded}
        turn = [c for c in commands if lock_token(c) in granted and c.command_id not in sent]
        if not turn:
            break
        (command,) = turn  # never two at once
        perform(services, Step.SEND, command, f"send-{command.command_id}")
        sent.add(command.command_id)
        _, frame = sender.sent[-1]
        assert station.send(json.dumps([CALLRESULT, json.loads(frame)[1], {"status": "Accepted"}])) is None

    # Then every command went out, in the order submitted, and none failed
    assert [json.loads(frame)[3]["value"] for _, frame in sender.sent] == [str(n) for n in range(40)]
    assert workflows.failed == []
