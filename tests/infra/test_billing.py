"""Billing: the scheduled billing run, its least-privilege grants, and the schedule's role."""

from pathlib import Path
from typing import Any

import pytest

from csms.tables import BILLING_QUEUE_INDEX, INVOICES, TABLES, TRANSACTIONS
from tests.infra.conftest import synthesize
from tests.infra.queries import actions_on, function_id, of_type, role_statements, table_id

pytestmark = pytest.mark.infra


def schedule(resources: dict[str, Any]) -> dict[str, Any]:
    (found,) = of_type(resources, "AWS::Scheduler::Schedule").values()
    props: dict[str, Any] = found["Properties"]
    return props


def test_a_schedule_invokes_the_billing_run_every_15_minutes_by_default(resources: dict[str, Any]) -> None:
    props = schedule(resources)
    billing = function_id(resources, "billing_run")

    assert props["ScheduleExpression"] == "rate(15 minutes)"
    assert props["FlexibleTimeWindow"] == {"Mode": "OFF"}
    assert props["Target"]["Arn"] == {"Fn::GetAtt": [billing, "Arn"]}


def test_the_schedule_role_may_invoke_the_billing_run_only(resources: dict[str, Any]) -> None:
    props = schedule(resources)
    role = props["Target"]["RoleArn"]["Fn::GetAtt"][0]
    billing = function_id(resources, "billing_run")
    assumed = resources[role]["Properties"]["AssumeRolePolicyDocument"]["Statement"]
    assert [s["Principal"] for s in assumed] == [{"Service": "scheduler.amazonaws.com"}]
    statements = [
        statement
        for policy in of_type(resources, "AWS::IAM::Policy").values()
        if {"Ref": role} in policy["Properties"]["Roles"]
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]
    ]
    assert {statement["Action"] for statement in statements} == {"lambda:InvokeFunction"}
    assert all(f"'{billing}'" in repr(statement["Resource"]) for statement in statements)


def test_the_billing_run_may_only_dequeue_transactions_and_put_invoices(resources: dict[str, Any]) -> None:
    statements = role_statements(resources, function_id(resources, "billing_run"))
    transactions = table_id(resources, TRANSACTIONS)
    invoices = table_id(resources, INVOICES)

    assert actions_on(statements, transactions) == {"dynamodb:Query", "dynamodb:UpdateItem"}
    query = [s for s in statements if s["Action"] == "dynamodb:Query"]
    assert [s["Resource"]["Fn::Join"][1][-1] for s in query] == [f"/index/{BILLING_QUEUE_INDEX}"]
    assert actions_on(statements, invoices) == {"dynamodb:PutItem", "dynamodb:ConditionCheckItem"}
    others = [table_id(resources, spec) for spec in TABLES if spec not in (TRANSACTIONS, INVOICES)]
    assert all(not actions_on(statements, other) for other in others)


def test_the_rate_comes_from_context(tmp_path: Path) -> None:
    synthesis = synthesize(tmp_path, billingRateMinutes="1")
    assert synthesis.error is None
    resources: dict[str, Any] = synthesis.template.to_json()["Resources"]

    assert schedule(resources)["ScheduleExpression"] == "rate(1 minute)"
