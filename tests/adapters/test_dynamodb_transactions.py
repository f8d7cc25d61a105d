"""`DynamoDbTransactionRepository` on moto: what is stored beside the transaction (the port's contract:
`tests/contracts/test_transaction_repository.py`)."""

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


def test_energy_is_stored_with_the_completed_transaction(
    transactions: TransactionRepository, raw_table: Callable[[str], Any]
) -> None:
    active = transactions.create_once(transaction("1", meter_start=Decimal(1000)))

    transactions.complete(completed(active, meter_stop=4500))

    item = raw_table("transactions_table").get_item(Key={"chargePointId": "CP-1", "transactionId": "1"})["Item"]
    assert item["energyWh"] == Decimal(3500)


def test_list_is_every_transaction_newest_first(transactions: TransactionRepository) -> None:
    transactions.create_once(transaction("a", "CP-1", minutes=10))
    transactions.create_once(transaction("b", "CP-2", minutes=20))

    assert [t.transaction_id for t in transactions.list()] == ["b", "a"]


def test_active_transactions_are_listed_where_they_run_until_completed(transactions: TransactionRepository) -> None:
    # Given active 1.6 transactions on connectors 1 and 2, a 2.0.1 one on EVSE 1, and one elsewhere
    on_1 = transactions.create_once(transaction("1", minutes=10, connector_id=1))
    transactions.create_once(transaction("2", minutes=5, connector_id=2))
    evse_1 = transactions.create_once(
        transaction("tx-a", minutes=0, evse_id=1, connector_id=2, ocpp_version=OcppVersion.V201)
    )
    transactions.create_once(transaction("3", "CP-2", connector_id=1))

    # Then each place lists its own, oldest first; a completed one is no longer listed
    assert transactions.list_active_on("CP-1", 1) == [evse_1, on_1]
    transactions.complete(completed(on_1))
    assert transactions.list_active_on("CP-1", 1) == [evse_1]
    assert transactions.list_active_on("CP-1", 3) == []


def test_the_charge_points_own_stop_replaces_an_end_the_csms_inferred_until_billed(
    repositories: Repositories,
) -> None:
    transactions = repositories.transactions
    active = transactions.create_once(transaction("1", connector_id=1))
    inferred = replace(completed(active, 5000, "Other"), closed_by_csms="ConnectorAvailable")
    own_stop = completed(active, 6000, "EVDisconnected")

    # Given an end the CSMS inferred: another inferred end does not replace it
    assert transactions.complete(inferred)
    assert not transactions.complete(replace(inferred, meter_stop=Decimal(1)))

    # When the charge point's own stop arrives, it replaces it, once
    assert transactions.complete(own_stop)
    assert transactions.get("CP-1", "1") == own_stop
    assert not transactions.complete(replace(own_stop, meter_stop=Decimal(7000)))

    # And once an inferred end is billed, nothing replaces it
    second = transactions.create_once(transaction("2", connector_id=1))
    transactions.complete(replace(completed(second), closed_by_csms="NewTransaction"))
    repositories.invoices.skip(transactions.get("CP-1", "2"), "noTariff")  # type: ignore[arg-type]
    assert not transactions.complete(completed(second, 9000))
