"""`DynamoDbCallRepository` on moto: a charge point's answers to CSMS calls."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from csms.domain.ports import CallRepository
from csms.services import Repositories

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.fixture
def calls(repositories: Repositories) -> CallRepository:
    return repositories.calls


@pytest.fixture
def stored(raw_table: Callable[[str], Any]) -> Callable[[str, str], dict[str, Any]]:
    table = raw_table("calls_table")

    def item(charge_point_id: str, message_id: str) -> dict[str, Any]:
        found: dict[str, Any] = table.get_item(Key={"chargePointId": charge_point_id, "messageId": message_id})["Item"]
        return found

    return item


def test_a_callresult_is_stored_as_the_response(
    calls: CallRepository, stored: Callable[[str, str], dict[str, Any]]
) -> None:
    # When a charge point answers call c-1 with a result
    calls.record_answer("CP-1", "c-1", T0, payload={"status": "Accepted", "ratio": 0.5, "list": [1, {"a": None}]})

    # Then the response is stored against the call, with when it came and its TTL
    item = stored("CP-1", "c-1")
    assert item["response"] == {"status": "Accepted", "ratio": Decimal("0.5"), "list": [1, {"a": None}]}
    assert "error" not in item
    assert item["answeredAt"] == "2026-11-23T09:00:00.000Z"
    assert int(item["expiresAt"]) == int((T0 + timedelta(days=30)).timestamp())


def test_a_callerror_is_stored_as_the_error(
    calls: CallRepository, stored: Callable[[str, str], dict[str, Any]]
) -> None:
    # When a charge point answers call c-2 with an error
    error = {"errorCode": "NotSupported", "errorDescription": "no", "errorDetails": {}}
    calls.record_answer("CP-1", "c-2", T0, error=error)

    # Then the error is stored against the call
    item = stored("CP-1", "c-2")
    assert item["error"] == error
    assert "response" not in item


def test_answers_are_kept_per_charge_point(calls: CallRepository, stored: Callable[[str, str], dict[str, Any]]) -> None:
    calls.record_answer("CP-1", "same-id", T0, payload={"status": "Accepted"})
    calls.record_answer("CP-2", "same-id", T0, payload={"status": "Rejected"})

    assert stored("CP-1", "same-id")["response"] == {"status": "Accepted"}
    assert stored("CP-2", "same-id")["response"] == {"status": "Rejected"}
