"""`DynamoDbTransactionRepository` on moto: what is stored beside the transaction (the port's contract:
`tests/contracts/test_transaction_repository.py`)."""

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from csms.composition import Repositories
from csms.domain.models import Transaction, TransactionStatus
from csms.domain.ports import TransactionRepository
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
