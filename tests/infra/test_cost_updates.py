"""Cost updates read running sessions through their index only (the rest of their grants: `test_functions.py`)."""

from typing import Any

import pytest

from csms.tables import RUNNING_COST_INDEX, TRANSACTIONS
from tests.infra.queries import actions_on, function_id, role_statements, table_id

pytestmark = pytest.mark.infra


def test_cost_updates_query_the_running_cost_index_only(resources: dict[str, Any]) -> None:
    statements = role_statements(resources, function_id(resources, "cost_updates"))
    transactions = table_id(resources, TRANSACTIONS)

    assert actions_on(statements, transactions) == {"dynamodb:Query"}
    on_transactions = [s for s in statements if f"'{transactions}'" in repr(s["Resource"])]
    assert [s["Resource"]["Fn::Join"][1][-1] for s in on_transactions] == [f"/index/{RUNNING_COST_INDEX}"]
