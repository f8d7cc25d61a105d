"""The EventBridge Scheduler schedules: billing runs and cost updates, each with a role of its own."""

from pathlib import Path
from typing import Any

import pytest

from tests.infra.conftest import synthesize
from tests.infra.queries import function_id, of_type

pytestmark = pytest.mark.infra

SCHEDULED = ["billing_run", "cost_updates"]


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
def test_the_function_runs_every_15_minutes_by_default_without_retries(resources: dict[str, Any], module: str) -> None:
    props = schedule_of(resources, module)

    assert props["ScheduleExpression"] == "rate(15 minutes)"
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
    synthesis = synthesize(tmp_path, billingRateMinutes="1", costUpdateIntervalMinutes="5")
    assert synthesis.error is None
    resources: dict[str, Any] = synthesis.template.to_json()["Resources"]

    assert schedule_of(resources, "billing_run")["ScheduleExpression"] == "rate(1 minute)"
    assert schedule_of(resources, "cost_updates")["ScheduleExpression"] == "rate(5 minutes)"
    environment = resources[function_id(resources, "cost_updates")]["Properties"]["Environment"]["Variables"]
    assert environment["COST_UPDATE_INTERVAL_SECONDS"] == "300"
