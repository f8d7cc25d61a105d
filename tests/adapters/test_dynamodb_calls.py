"""`DynamoDbCallRepository` on moto: what is stored of a call and its answer, and the command queue's items
beside the calls (the port's contract: `tests/contracts/test_call_repository.py`)."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from csms.commands.models import CallAnswer, PendingCall
from csms.commands.ports import CallRepository
from csms.composition import Repositories

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.fixture
def calls(repositories: Repositories) -> CallRepository:
    return repositories.calls


@pytest.fixture
def stored(raw_table: Callable[[str], Any]) -> Callable[[str, str], dict[str, Any] | None]:
    table = raw_table("calls_table")

    def item(charge_point_id: str, message_id: str) -> dict[str, Any] | None:
        found: dict[str, Any] | None = table.get_item(
            Key={"chargePointId": charge_point_id, "messageId": message_id}
        ).get("Item")
        return found

    return item


def pending(message_id: str = "m-1", charge_point_id: str = "CP-1", command_id: str = "cmd-1") -> PendingCall:
    return PendingCall(charge_point_id, message_id, "Reset", command_id, f"token-{message_id}", T0, ticket=7)


# Pending calls and their answers ------------------------------------------------------------------


def test_the_first_answer_claims_the_pending_call_and_is_stored(
    calls: CallRepository, stored: Callable[[str, str], dict[str, Any] | None]
) -> None:
    # Given a pending call
    calls.put_pending(pending())

    # When the charge point answers it
    claimed = calls.claim_answer("CP-1", "m-1", T0 + timedelta(seconds=1), payload={"status": "Accepted", "r": 0.5})

    # Then the pending call comes back (with its token), and the answer is kept with its TTL
    assert claimed == pending()
    item = stored("CP-1", "m-1")
    assert item is not None
    assert item["response"] == {"status": "Accepted", "r": Decimal("0.5")}
    assert item["answeredAt"] == "2026-11-23T09:00:01.000Z"
    assert int(item["expiresAt"]) == int((T0 + timedelta(days=30)).timestamp())
    assert calls.answer("CP-1", "m-1") == CallAnswer(
        T0 + timedelta(seconds=1), response={"status": "Accepted", "r": 0.5}
    )


def test_an_answer_to_no_pending_call_is_not_stored(
    calls: CallRepository, stored: Callable[[str, str], dict[str, Any] | None]
) -> None:
    assert calls.claim_answer("CP-1", "nobody-asked", T0, payload={"status": "Accepted"}) is None
    assert stored("CP-1", "nobody-asked") is None
    assert calls.answer("CP-1", "nobody-asked") is None


def test_the_command_queue_is_never_an_answerable_call(calls: CallRepository, repositories: Repositories) -> None:
    queues = repositories.command_queues
    queues.take_ticket("CP-1", "cmd-1", T0, limit=10)
    queues.park("CP-1", 1, "token-1", 60, T0)

    for message_id in ("#QUEUE", "#TICKET#1"):
        assert calls.claim_answer("CP-1", message_id, T0, payload={"status": "Accepted"}) is None
    assert queues.waiter("CP-1", 1) is not None
