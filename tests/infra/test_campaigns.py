"""Campaigns: the state machine (the builder's very definition), its steps queue and worker, and who may start
campaign executions."""

import json
import re
from typing import Any

import pytest

from csms import constants
from csms.campaigns.workflow_definition import campaign_workflow_definition
from csms.function_catalogue import CAMPAIGN_WORKER
from tests.infra.queries import function_id, of_type, role_statements

pytestmark = pytest.mark.infra

QUEUE_URL = "<queue url>"


def one(resources: dict[str, Any], resource_type: str, prefix: str) -> str:
    (logical_id,) = [i for i in of_type(resources, resource_type) if i.startswith(prefix)]
    return logical_id


@pytest.fixture(scope="module")
def queue_id(resources: dict[str, Any]) -> str:
    (logical_id,) = [i for i in of_type(resources, "AWS::SQS::Queue") if re.match(r"^CampaignsSteps[0-9A-F]{8}$", i)]
    return logical_id


@pytest.fixture(scope="module")
def state_machine_id(resources: dict[str, Any]) -> str:
    return one(resources, "AWS::StepFunctions::StateMachine", "CampaignsStateMachine")


def states_actions(resources: dict[str, Any], module: str) -> dict[str, list[Any]]:
    """The Step Functions actions the function may take, each with the resources it may take it on."""
    found: dict[str, list[Any]] = {}
    for statement in role_statements(resources, function_id(resources, module)):
        actions = statement["Action"]
        for action in [actions] if isinstance(actions, str) else actions:
            if action.startswith("states:"):
                granted = statement["Resource"]
                found.setdefault(action, []).extend(granted if isinstance(granted, list) else [granted])
    return found


def test_the_definition_is_the_builders_with_the_queue_url_filled_in(
    resources: dict[str, Any], state_machine_id: str, queue_id: str
) -> None:
    """`csms local` and the tests run `campaign_workflow_definition` in moto: it must be this one."""
    props = resources[state_machine_id]["Properties"]
    parts = props["DefinitionString"]["Fn::Join"][1]

    assert props["StateMachineType"] == "STANDARD"
    assert {"Ref": queue_id} in parts
    text = "".join(QUEUE_URL if part == {"Ref": queue_id} else part for part in parts)
    assert json.loads(text) == campaign_workflow_definition(QUEUE_URL)


def test_the_queue_dead_letters_after_three_tries_and_outlasts_the_worker(
    resources: dict[str, Any], queue_id: str
) -> None:
    queue = resources[queue_id]["Properties"]
    dead_letters = one(resources, "AWS::SQS::Queue", "CampaignsStepsDeadLetters")

    assert queue["RedrivePolicy"] == {
        "deadLetterTargetArn": {"Fn::GetAtt": [dead_letters, "Arn"]},
        "maxReceiveCount": 3,
    }
    assert queue["VisibilityTimeout"] == 6 * CAMPAIGN_WORKER.timeout_seconds
    assert queue["SqsManagedSseEnabled"] is True


def test_the_worker_completes_only_campaign_tasks_and_starts_only_campaigns_and_commands(
    resources: dict[str, Any], state_machine_id: str, queue_id: str
) -> None:
    campaigns = {"Ref": state_machine_id}
    commands = {"Ref": one(resources, "AWS::StepFunctions::StateMachine", "CommandsStateMachine")}
    actions = states_actions(resources, "campaign_worker")

    assert actions["states:SendTaskSuccess"] == actions["states:SendTaskFailure"] == [campaigns]
    assert sorted(map(json.dumps, actions["states:StartExecution"])) == sorted(map(json.dumps, [campaigns, commands]))
    environment = resources[function_id(resources, "campaign_worker")]["Properties"]["Environment"]["Variables"]
    assert environment[constants.ENV_CAMPAIGN_STATE_MACHINE_ARN] == campaigns
    assert environment[constants.ENV_CAMPAIGN_STEPS_QUEUE_URL] == {"Ref": queue_id}


def test_the_operator_api_may_start_campaigns_but_not_complete_their_tasks(
    resources: dict[str, Any], state_machine_id: str
) -> None:
    actions = states_actions(resources, "operator_api")

    assert {"Ref": state_machine_id} in actions["states:StartExecution"]
    assert {"Ref": state_machine_id} not in actions.get("states:SendTaskSuccess", [])
    environment = resources[function_id(resources, "operator_api")]["Properties"]["Environment"]["Variables"]
    assert environment[constants.ENV_CAMPAIGN_STATE_MACHINE_ARN] == {"Ref": state_machine_id}
