"""`DynamoDbTransactionRepository` on moto: idempotent creation, the 1.6 id sequence, completion, lookups."""

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from csms.domain.models import Transaction, TransactionStatus
from csms.domain.ports import TransactionRepository
from csms.services import Repositories
from csms.wire.versions import OcppVersion

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def transaction(
    transaction_id: str = "1", charge_point_id: str = "CP-1", minutes: int = 0, **fields: Any
) -> Transaction:
    return Transaction(
        charge_point_id=charge_point_id,
        transaction_id=transaction_id,
        ocpp_version=fields.pop("ocpp_version", OcppVersion.V16),
        status=fields.pop("status", TransactionStatus.ACTIVE),
        started_at=T0 + timedelta(minutes=minutes),
        **fields,
    )


def completed(active: Transaction, meter_stop: int = 8500, reason: str = "Local") -> Transaction:
    return replace(
        active,
        status=TransactionStatus.COMPLETED,
        stopped_at=active.started_at + timedelta(hours=1),
        meter_stop=Decimal(meter_stop),
        stop_reason=reason,
    )


@pytest.fixture
def transactions(repositories: Repositories) -> TransactionRepository:
    return repositories.transactions


def test_a_created_transaction_round_trips(transactions: TransactionRepository) -> None:
    # Given a transaction with every field set
    original = transaction(
        "7", connector_id=1, evse_id=2, id_token="TAG", meter_start=Decimal("1000.5"), ocpp_version=OcppVersion.V201
    )

    # When it is created and read back
    stored = transactions.create_once(original)

    # Then it is returned and stored as given
    assert stored == original
    assert transactions.get("CP-1", "7") == original


def test_create_once_with_an_idempotency_key_returns_the_first_transaction_on_retry(
    transactions: TransactionRepository,
) -> None:
    # Given a transaction created for request key K
    first = transactions.create_once(transaction("1", meter_start=Decimal(1000)), "K")

    # When a concurrent copy of the same request (which drew another id) creates its transaction under K
    second = transactions.create_once(transaction("2", meter_start=Decimal(1000)), "K")

    # Then it gets the first transaction, and only that one exists
    assert second == first
    assert [t.transaction_id for t in transactions.list()] == ["1"]
    assert transactions.find_by_idempotency_key("K") == first


def test_create_once_without_key_keeps_the_first_of_two_identical_ids(transactions: TransactionRepository) -> None:
    # Given a transaction tx-1
    first = transactions.create_once(transaction("tx-1", id_token="FIRST"))

    # When another transaction with the same id on the same charge point is created
    again = transactions.create_once(transaction("tx-1", id_token="SECOND"))

    # Then the stored one is returned unchanged
    assert again == first
    assert transactions.get("CP-1", "tx-1") == first


def test_find_by_an_unknown_idempotency_key_is_none(transactions: TransactionRepository) -> None:
    assert transactions.find_by_idempotency_key("never-used") is None


def test_next_transaction_id_increments(transactions: TransactionRepository) -> None:
    assert [transactions.next_transaction_id() for _ in range(3)] == [1, 2, 3]


def test_complete_stores_the_stop_of_an_active_transaction(transactions: TransactionRepository) -> None:
    # Given an active transaction
    active = transactions.create_once(transaction("1", meter_start=Decimal(1000)))

    # When it is completed
    done = completed(active, meter_stop=8500, reason="EVDisconnected")
    result = transactions.complete(done)

    # Then the stop is stored with its energy
    assert result is True
    stored = transactions.get("CP-1", "1")
    assert stored == done
    assert stored is not None
    assert stored.energy_wh == Decimal(7500)


def test_complete_refuses_a_second_completion(transactions: TransactionRepository) -> None:
    # Given a completed transaction
    active = transactions.create_once(transaction("1", meter_start=Decimal(1000)))
    first = completed(active, meter_stop=8500)
    transactions.complete(first)

    # When it is completed again with other values
    result = transactions.complete(completed(active, meter_stop=9999, reason="Other"))

    # Then the second completion is refused and the first kept
    assert result is False
    assert transactions.get("CP-1", "1") == first


def test_complete_stores_a_transaction_that_was_never_started_here(transactions: TransactionRepository) -> None:
    done = completed(transaction("tx-9", meter_start=Decimal(0)), meter_stop=500)

    assert transactions.complete(done) is True
    assert transactions.get("CP-1", "tx-9") == done


def test_energy_is_stored_with_the_completed_transaction(
    transactions: TransactionRepository, raw_table: Callable[[str], Any]
) -> None:
    active = transactions.create_once(transaction("1", meter_start=Decimal(1000)))

    transactions.complete(completed(active, meter_stop=4500))

    item = raw_table("transactions_table").get_item(Key={"chargePointId": "CP-1", "transactionId": "1"})["Item"]
    assert item["energyWh"] == Decimal(3500)


def test_find_finds_a_transaction_id_across_charge_points(transactions: TransactionRepository) -> None:
    # Given the same transaction id on two charge points, and another id
    transactions.create_once(transaction("tx-1", "CP-A"))
    transactions.create_once(transaction("tx-1", "CP-B", minutes=5))
    transactions.create_once(transaction("tx-2", "CP-A"))

    # When tx-1 is looked up by id alone
    found = transactions.find("tx-1")

    # Then both are found, and nothing else
    assert sorted((t.charge_point_id, t.transaction_id) for t in found) == [("CP-A", "tx-1"), ("CP-B", "tx-1")]
    assert transactions.find("tx-404") == []


def test_list_for_charge_point_is_newest_first(transactions: TransactionRepository) -> None:
    # Given three transactions of CP-1 (created out of order) and one of CP-2
    for transaction_id, minutes in [("a", 10), ("b", 30), ("c", 20)]:
        transactions.create_once(transaction(transaction_id, minutes=minutes))
    transactions.create_once(transaction("z", "CP-2", minutes=60))

    # When CP-1's transactions are listed
    listed = transactions.list_for_charge_point("CP-1")

    # Then they come newest first, without CP-2's
    assert [t.transaction_id for t in listed] == ["b", "c", "a"]


def test_list_is_every_transaction_newest_first(transactions: TransactionRepository) -> None:
    transactions.create_once(transaction("a", "CP-1", minutes=10))
    transactions.create_once(transaction("b", "CP-2", minutes=20))

    assert [t.transaction_id for t in transactions.list()] == ["b", "a"]


def test_set_id_token_sets_a_missing_token(transactions: TransactionRepository) -> None:
    transactions.create_once(transaction("tx-1"))

    transactions.set_id_token("CP-1", "tx-1", "TAG")

    stored = transactions.get("CP-1", "tx-1")
    assert stored is not None
    assert stored.id_token == "TAG"


def test_set_id_token_keeps_an_existing_token(transactions: TransactionRepository) -> None:
    transactions.create_once(transaction("tx-1", id_token="FIRST"))

    transactions.set_id_token("CP-1", "tx-1", "SECOND")

    stored = transactions.get("CP-1", "tx-1")
    assert stored is not None
    assert stored.id_token == "FIRST"


def test_set_id_token_of_an_unknown_transaction_creates_nothing(transactions: TransactionRepository) -> None:
    transactions.set_id_token("CP-1", "tx-404", "TAG")

    assert transactions.get("CP-1", "tx-404") is None
    assert transactions.list() == []


def test_charging_state_records_idle_time_only_after_charging_and_while_active(repositories: Repositories) -> None:
    transactions = repositories.transactions
    transactions.create_once(transaction("tx-1", ocpp_version=OcppVersion.V201))

    def idle_since() -> datetime | None:
        stored = transactions.get("CP-1", "tx-1")
        assert stored is not None
        return stored.idle_since

    transactions.record_charging_state("CP-1", "tx-1", False, T0)  # not charged yet: waiting, not idle
    assert idle_since() is None
    transactions.record_charging_state("CP-1", "tx-1", True, T0 + timedelta(minutes=1))
    transactions.record_charging_state("CP-1", "tx-1", False, T0 + timedelta(minutes=30))
    transactions.record_charging_state("CP-1", "tx-1", False, T0 + timedelta(minutes=40))  # still since 30
    assert idle_since() == T0 + timedelta(minutes=30)

    stored = transactions.get("CP-1", "tx-1")
    assert stored is not None
    assert stored.has_charged
    assert transactions.complete(completed(stored))
    transactions.record_charging_state("CP-1", "tx-1", True, T0 + timedelta(hours=2))  # completed: ignored
    transactions.record_charging_state("CP-9", "unknown", False, T0)  # not stored: ignored
    assert idle_since() == T0 + timedelta(minutes=30)


def test_a_charging_state_older_than_the_last_applied_is_ignored(repositories: Repositories) -> None:
    transactions = repositories.transactions
    transactions.create_once(transaction("tx-1", ocpp_version=OcppVersion.V201))
    minutes = [T0 + timedelta(minutes=m) for m in range(60)]

    def idle_since() -> datetime | None:
        stored = transactions.get("CP-1", "tx-1")
        assert stored is not None
        return stored.idle_since

    # Given a session that charged, then went idle at 20 (still idle at 40)
    transactions.record_charging_state("CP-1", "tx-1", True, minutes[5])
    transactions.record_charging_state("CP-1", "tx-1", False, minutes[20])
    transactions.record_charging_state("CP-1", "tx-1", False, minutes[40])

    # When states from before arrive late: not charging, and charging before the idle period began
    transactions.record_charging_state("CP-1", "tx-1", False, minutes[10])
    transactions.record_charging_state("CP-1", "tx-1", True, minutes[15])

    # Then they change nothing
    assert idle_since() == minutes[20]

    # But a late Charging from within the idle period ends it (the vehicle charged again since)
    transactions.record_charging_state("CP-1", "tx-1", True, minutes[30])
    assert idle_since() is None
    # And a not-charging state older than the last applied (40) does not start it again
    transactions.record_charging_state("CP-1", "tx-1", False, minutes[35])
    assert idle_since() is None
