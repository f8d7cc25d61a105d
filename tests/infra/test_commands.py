"""Remote commands: the Standard state machine (the builder's very definition), its queue and worker,
and the command queue of each charge point (in the Calls table) that submitters and workers share."""

import json
from typing import Any

import pytest
from aws_cdk.assertions import Template

from csms import constants
from csms.commands.workflow_definition import QUEUE_CHECK_SECONDS, STILL_WAITING, command_workflow_definition
from csms.tables import CALLS
from tests.infra.queries import actions_on, function_id, of_type, role_statements, table_id

pytestmark = pytest.mark.infra

QUEUE_URL = "<queue url>"


def one(resources: dict[str, Any], resource_type: str, prefix: str) -> str:
    (logical_id,) = [i for i in of_type(resources, resource_type) if i.startswith(prefix)]
    return logical_id


@pytest.fixture(scope="module")
def state_machine_id(resources: dict[str, Any]) -> str:
    return one(resources, "AWS::StepFunctions::StateMachine", "CommandsStateMachine")


@pytest.fixture(scope="module")
def queue_id(resources: dict[str, Any]) -> str:
    return one(resources, "AWS::SQS::Queue", "CommandsSteps5")


@pytest.fixture(scope="module")
def dead_letters_id(resources: dict[str, Any]) -> str:
    return one(resources, "AWS::SQS::Queue", "CommandsStepsDeadLetters")


def test_the_state_machine_is_standard_logged_and_traced(resources: dict[str, Any], state_machine_id: str) -> None:
    props = resources[state_machine_id]["Properties"]

    assert props["StateMachineType"] == "STANDARD"  # Express supports no .waitForTaskToken
    assert props["TracingConfiguration"] == {"Enabled": True}
    logging = props["LoggingConfiguration"]
    assert (logging["Level"], logging["IncludeExecutionData"]) == ("ALL", False)
    (destination,) = logging["Destinations"]
    log_group = destination["CloudWatchLogsLogGroup"]["LogGroupArn"]["Fn::GetAtt"][0]
    assert resources[log_group]["Properties"]["RetentionInDays"] == 30


def test_the_definition_is_the_builders_with_the_queue_url_filled_in(
    resources: dict[str, Any], state_machine_id: str, queue_id: str
) -> None:
    """The embedded runtime and the tests run `command_workflow_definition` in moto: it must be this one."""
    parts = resources[state_machine_id]["Properties"]["DefinitionString"]["Fn::Join"][1]

    assert {"Ref": queue_id} in parts
    text = "".join(QUEUE_URL if part == {"Ref": queue_id} else part for part in parts)
    assert json.loads(text) == command_workflow_definition(QUEUE_URL)


def test_a_queued_command_checks_its_turn_every_minute(resources: dict[str, Any], state_machine_id: str) -> None:
    parts = resources[state_machine_id]["Properties"]["DefinitionString"]["Fn::Join"][1]
    states = json.loads("".join(part if isinstance(part, str) else QUEUE_URL for part in parts))["States"]

    assert states["AcquireLock"]["TimeoutSeconds"] == QUEUE_CHECK_SECONDS == 60
    assert states["AcquireLock"]["Catch"][0]["Next"] == STILL_WAITING
    assert states[STILL_WAITING]["Next"] == "AcquireLock"


@pytest.mark.parametrize("module", ["operator_api", "ocpp_message", "cost_updates", "command_worker"])
def test_who_submits_or_performs_commands_may_use_the_charge_points_queues(
    resources: dict[str, Any], module: str
) -> None:
    """Submitting takes a ticket (UpdateItem, PutItem); answers and steps park, settle and leave."""
    statements = role_statements(resources, function_id(resources, module))

    assert {"dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"} <= actions_on(
        statements, table_id(resources, CALLS)
    )


def test_the_state_machine_may_only_send_to_its_queue(
    resources: dict[str, Any], state_machine_id: str, queue_id: str
) -> None:
    role = resources[state_machine_id]["Properties"]["RoleArn"]["Fn::GetAtt"][0]
    statements = [
        statement
        for policy in of_type(resources, "AWS::IAM::Policy").values()
        if {"Ref": role} in policy["Properties"]["Roles"]
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]
    ]
    sqs = [statement for statement in statements if any(a.startswith("sqs:") for a in statement["Action"])]
    assert sqs == [
        {
            "Action": ["sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:SendMessage"],
            "Effect": "Allow",
            "Resource": {"Fn::GetAtt": [queue_id, "Arn"]},
        }
    ]


def test_the_queue_is_encrypted_ssl_only_and_dead_letters_after_three_tries(
    resources: dict[str, Any], template: Template, queue_id: str, dead_letters_id: str
) -> None:
    queue = resources[queue_id]["Properties"]
    assert queue["SqsManagedSseEnabled"] is True
    assert queue["RedrivePolicy"] == {
        "deadLetterTargetArn": {"Fn::GetAtt": [dead_letters_id, "Arn"]},
        "maxReceiveCount": 3,
    }
    assert queue["VisibilityTimeout"] == 6 * 30  # six times the worker's timeout
    assert resources[dead_letters_id]["Properties"]["SqsManagedSseEnabled"] is True
    for logical_id in (queue_id, dead_letters_id):
        template.has_resource_properties(
            "AWS::SQS::QueuePolicy",
            {
                "Queues": [{"Ref": logical_id}],
                "PolicyDocument": {
                    "Statement": [
                        {
                            "Action": "sqs:*",
                            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                            "Effect": "Deny",
                            "Principal": {"AWS": "*"},
                            "Resource": {"Fn::GetAtt": [logical_id, "Arn"]},
                        }
                    ],
                    "Version": "2012-10-17",
                },
            },
        )


def test_the_worker_takes_one_step_at_a_time_from_the_queue(
    resources: dict[str, Any], template: Template, queue_id: str
) -> None:
    worker = function_id(resources, "command_worker")
    template.has_resource_properties(
        "AWS::Lambda::EventSourceMapping",
        {"BatchSize": 1, "EventSourceArn": {"Fn::GetAtt": [queue_id, "Arn"]}, "FunctionName": {"Ref": worker}},
    )
    properties = resources[worker]["Properties"]
    assert properties["Timeout"] == 30
    assert properties["Environment"]["Variables"][constants.ENV_COMMAND_STEPS_QUEUE_URL] == {"Ref": queue_id}


def states_actions(resources: dict[str, Any], module: str) -> dict[str, Any]:
    """Every states:* action the function may take, with its resource."""
    return {
        action: statement["Resource"]
        for statement in role_statements(resources, function_id(resources, module))
        for action in ([statement["Action"]] if isinstance(statement["Action"], str) else statement["Action"])
        if action.startswith("states:")
    }


@pytest.mark.parametrize(
    ("module", "actions"),
    [
        ("command_worker", {"states:SendTaskSuccess", "states:SendTaskFailure"}),
        # ... and a 2.0.1 session's start submits SetDisplayMessage
        (
            "ocpp_message",
            {"states:SendTaskSuccess", "states:SendTaskFailure", "states:StartExecution", "states:DescribeExecution"},
        ),
        ("operator_api", {"states:StartExecution", "states:DescribeExecution"}),
        ("cost_updates", {"states:StartExecution", "states:DescribeExecution"}),
        ("ocpp_connect", set()),
        ("ocpp_disconnect", set()),
        ("ocpp_authorizer", set()),
    ],
)
def test_who_may_do_what_with_the_workflows(
    resources: dict[str, Any], state_machine_id: str, module: str, actions: set[str]
) -> None:
    granted = states_actions(resources, module)

    assert set(granted) == actions
    for action, resource in granted.items():
        if action == "states:DescribeExecution":  # executions are named by command id
            join = resource["Fn::Join"][1]
            assert join[-3:] == [":execution:", {"Fn::GetAtt": [state_machine_id, "Name"]}, ":*"]
        else:
            # The operator API starts campaign executions too (`test_campaigns.py`), in the same statement.
            granted_on = resource if isinstance(resource, list) else [resource]
            assert {"Ref": state_machine_id} in granted_on
            assert all(
                r == {"Ref": state_machine_id} or r["Ref"].startswith("CampaignsStateMachine") for r in granted_on
            )


@pytest.mark.parametrize("module", ["operator_api", "ocpp_message", "cost_updates"])
def test_who_submits_commands_knows_the_state_machine(
    resources: dict[str, Any], state_machine_id: str, module: str
) -> None:
    environment = resources[function_id(resources, module)]["Properties"]["Environment"]["Variables"]

    assert environment[constants.ENV_COMMAND_STATE_MACHINE_ARN] == {"Ref": state_machine_id}
