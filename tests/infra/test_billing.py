"""Billing: the billing run's least-privilege grants (its schedule: `test_schedules.py`)."""

from typing import Any

import pytest

from csms.tables import BILLING_QUEUE_INDEX, IDEMPOTENCY, INVOICES, TABLES, TRANSACTIONS
from tests.infra.queries import actions_on, function_id, role_statements, table_id

pytestmark = pytest.mark.infra


def test_the_billing_run_may_only_dequeue_transactions_put_invoices_and_add_to_totals(
    resources: dict[str, Any],
) -> None:
    statements = role_statements(resources, function_id(resources, "billing_run"))
    transactions = table_id(resources, TRANSACTIONS)
    invoices = table_id(resources, INVOICES)

    assert actions_on(statements, transactions) == {"dynamodb:Query", "dynamodb:UpdateItem"}
    query = [s for s in statements if s["Action"] == "dynamodb:Query"]
    assert [s["Resource"]["Fn::Join"][1][-1] for s in query] == [f"/index/{BILLING_QUEUE_INDEX}"]
    assert actions_on(statements, invoices) == {"dynamodb:PutItem", "dynamodb:ConditionCheckItem"}
    assert actions_on(statements, table_id(resources, IDEMPOTENCY)) == {"dynamodb:UpdateItem"}
    others = [table_id(resources, spec) for spec in TABLES if spec not in (TRANSACTIONS, INVOICES, IDEMPOTENCY)]
    assert all(not actions_on(statements, other) for other in others)
