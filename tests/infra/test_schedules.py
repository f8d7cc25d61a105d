"""The EventBridge Scheduler schedules (billing runs, cost updates, site ticks, certificate renewal), each with a role
of its own."""

from pathlib import Path
from typing import Any

import pytest

from csms import constants, tables
from stacks.constructs.data import READ_ACTIONS
from tests.infra.conftest import synthesize
from tests.infra.queries import actions_on, function_id, of_type, role_statements, table_id

pytestmark = pytest.mark.infra

# module -> its default rate
RATES = {
    "billing_run": "rate(15 minutes)",
    "cost_updates": "rate(15 minutes)",
    "site_tick": "rate(1 minute)",
    "certificate_renewal": "rate(60 minutes)",
}
SCHEDULED = list(RATES)


def schedule_of(resources: dict[str, Any], module: str) -> dict[str, Any]:
    target = function_id(resources, module)
    (props,) = [
        schedule["Properties"]
        for schedule in of_type(resources, "AWS::Scheduler::Schedule").values()
        if schedule["Properties"]["Target"]["Arn"] == {"Fn::GetAtt": [target, "Arn"]}
    ]
    return props


def test_there_is_one_schedule_per_scheduled_function(resources: dict[str, Any]) -> None:
    assert len(of_type(resources, "AWS::Scheduler::Schedule")) == len(SCHEDULED)


@pytest.mark.parametrize("module", SCHEDULED)
def test_the_function_runs_at_its_default_rate_without_retries(resources: dict[str, Any], module: str) -> None:
    props = schedule_of(resources, module)

    assert props["ScheduleExpression"] == RATES[module]
    assert props["FlexibleTimeWindow"] == {"Mode": "OFF"}
    assert props["Target"]["RetryPolicy"] == {"MaximumRetryAttempts": 0}


@pytest.mark.parametrize("module", SCHEDULED)
def test_the_schedule_role_may_invoke_its_function_only(resources: dict[str, Any], module: str) -> None:
    role = schedule_of(resources, module)["Target"]["RoleArn"]["Fn::GetAtt"][0]
    target = function_id(resources, module)
    assumed = resources[role]["Properties"]["AssumeRolePolicyDocument"]["Statement"]
    assert [s["Principal"] for s in assumed] == [{"Service": "scheduler.amazonaws.com"}]
    statements = [
        statement
        for policy in of_type(resources, "AWS::IAM::Policy").values()
        if {"Ref": role} in policy["Properties"]["Roles"]
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]
    ]
    assert {statement["Action"] for statement in statements} == {"lambda:InvokeFunction"}
    assert all(f"'{target}'" in repr(statement["Resource"]) for statement in statements)


def test_the_rates_come_from_context(tmp_path: Path) -> None:
    synthesis = synthesize(tmp_path, billingRateMinutes="1", costUpdateIntervalMinutes="5", siteTickMinutes="2")
    assert synthesis.error is None
    resources: dict[str, Any] = synthesis.template.to_json()["Resources"]

    assert schedule_of(resources, "billing_run")["ScheduleExpression"] == "rate(1 minute)"
    assert schedule_of(resources, "cost_updates")["ScheduleExpression"] == "rate(5 minutes)"
    environment = resources[function_id(resources, "cost_updates")]["Properties"]["Environment"]["Variables"]
    assert environment["COST_UPDATE_INTERVAL_SECONDS"] == "300"
    # Rebalances plan for the limit over the tick's interval (and a rebalance's time): the worker knows it too.
    assert schedule_of(resources, "site_tick")["ScheduleExpression"] == "rate(2 minutes)"
    for module in ("site_tick", "rebalance_worker"):
        environment = resources[function_id(resources, module)]["Properties"]["Environment"]["Variables"]
        assert environment[constants.ENV_SITE_TICK_INTERVAL_SECONDS] == "120", module


def test_the_site_tick_reads_sites_and_may_only_request_rebalances(resources: dict[str, Any]) -> None:
    tick = function_id(resources, "site_tick")
    statements = role_statements(resources, tick)

    assert actions_on(statements, table_id(resources, tables.SITES)) == set(READ_ACTIONS)
    (rebalance,) = [
        logical_id
        for logical_id in of_type(resources, "AWS::StepFunctions::StateMachine")
        if logical_id.startswith("Rebalancing")
    ]
    starts = [statement for statement in statements if statement["Action"] == "states:StartExecution"]
    assert starts == [{"Action": "states:StartExecution", "Effect": "Allow", "Resource": {"Ref": rebalance}}]
    assert not [statement for statement in statements if statement["Action"] == "lambda:InvokeFunction"]
    environment = resources[tick]["Properties"]["Environment"]["Variables"]
    assert environment[constants.ENV_REBALANCE_STATE_MACHINE_ARN] == {"Ref": rebalance}
