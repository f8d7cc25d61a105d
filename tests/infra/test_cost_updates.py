"""Cost updates read running sessions through their index only, and may update a transaction only to keep why its
cost could not be computed (`costUpdateError`). The rest of their grants: `test_functions.py`."""

from typing import Any

import pytest

from csms.tables import RUNNING_COST_INDEX, TRANSACTIONS
from tests.infra.queries import actions_on, function_id, role_statements, table_id

pytestmark = pytest.mark.infra


def test_cost_updates_query_the_running_cost_index_only(resources: dict[str, Any]) -> None:
    statements = role_statements(resources, function_id(resources, "cost_updates"))
    transactions = table_id(resources, TRANSACTIONS)

    queries = [s for s in statements if s["Action"] == "dynamodb:Query" and f"'{transactions}'" in repr(s["Resource"])]
    assert [s["Resource"]["Fn::Join"][1][-1] for s in queries] == [f"/index/{RUNNING_COST_INDEX}"]
    assert actions_on(statements, transactions) == {"dynamodb:Query", "dynamodb:UpdateItem"}


def test_cost_updates_may_only_update_transactions_to_record_a_failure(resources: dict[str, Any]) -> None:
    statements = role_statements(resources, function_id(resources, "cost_updates"))
    transactions = table_id(resources, TRANSACTIONS)

    [update] = [s for s in statements if s["Action"] == "dynamodb:UpdateItem"]
    assert update["Resource"] == {"Fn::GetAtt": [transactions, "Arn"]}  # the table's items, no index
