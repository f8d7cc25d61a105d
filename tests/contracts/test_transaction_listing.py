"""The `TransactionRepository.page` contract: newest first, by charge point and status, paged."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from csms.domain.filters import TransactionFilter
from csms.domain.models import Transaction, TransactionStatus
from csms.domain.pagination import InvalidPageTokenError
from csms.domain.ports import TransactionRepository
from csms.wire.versions import OcppVersion
from tests.contracts.paging import FOREIGN_TOKENS, every_page

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
ACTIVE, COMPLETED = TransactionStatus.ACTIVE, TransactionStatus.COMPLETED

# (charge point, transaction id, minutes after T0 it started, completed?): ids do not sort as the starts do.
SESSIONS = [
    ("CP-1", "9", 0, True),
    ("CP-2", "a", 10, True),
    ("CP-1", "10", 20, False),
    ("CP-2", "b", 30, False),
    ("CP-1", "11", 40, True),
    ("CP-1", "2", 50, False),
]


@pytest.fixture
def stored(transactions: TransactionRepository) -> TransactionRepository:
    for charge_point_id, transaction_id, minutes, completed in SESSIONS:
        started = Transaction(
            charge_point_id,
            transaction_id,
            OcppVersion.V16,
            ACTIVE,
            T0 + timedelta(minutes=minutes),
            meter_start=Decimal(0),
        )
        transactions.create_once(started)
        if completed:
            stopped_at = started.started_at + timedelta(minutes=5)
            transactions.complete(replace(started, status=COMPLETED, stopped_at=stopped_at, meter_stop=Decimal(100)))
    return transactions


def newest_first(where: TransactionFilter) -> list[str]:
    matching = [
        (minutes, transaction_id)
        for charge_point_id, transaction_id, minutes, completed in SESSIONS
        if where.charge_point_id in (None, charge_point_id)
        and where.status in (None, COMPLETED if completed else ACTIVE)
    ]
    return [transaction_id for _, transaction_id in sorted(matching, reverse=True)]


@pytest.mark.parametrize(
    "where",
    [
        TransactionFilter(),
        TransactionFilter(status=ACTIVE),
        TransactionFilter(status=COMPLETED),
        TransactionFilter(charge_point_id="CP-1"),
        TransactionFilter(charge_point_id="CP-2", status=ACTIVE),
        TransactionFilter(charge_point_id="CP-3"),
    ],
    ids=repr,
)
def test_transactions_come_newest_first_in_full_pages(stored: TransactionRepository, where: TransactionFilter) -> None:
    for limit in range(1, len(SESSIONS) + 2):
        pages = every_page(lambda count, token: stored.page(where, count, token), limit)

        assert [t.transaction_id for page in pages for t in page] == newest_first(where), limit
        assert all(len(page) == limit for page in pages[:-1]), limit


def test_a_listed_transaction_is_the_stored_one(stored: TransactionRepository) -> None:
    [listed] = stored.page(TransactionFilter(charge_point_id="CP-2", status=COMPLETED), 5).items

    assert listed == stored.get("CP-2", "a")


def test_a_token_continues_only_the_listing_with_the_same_filter(stored: TransactionRepository) -> None:
    for where in (TransactionFilter(), TransactionFilter(status=COMPLETED), TransactionFilter(charge_point_id="CP-1")):
        token = stored.page(where, 1).next_token
        assert token is not None
        others = [
            TransactionFilter(status=ACTIVE),
            TransactionFilter(charge_point_id="CP-2"),
            TransactionFilter(charge_point_id="CP-1", status=COMPLETED),
        ]
        for other in others:
            with pytest.raises(InvalidPageTokenError):
                stored.page(other, 1, token)


@pytest.mark.parametrize("where", [TransactionFilter(), TransactionFilter(charge_point_id="CP-1")], ids=repr)
@pytest.mark.parametrize("token", FOREIGN_TOKENS)
def test_a_token_no_listing_returned_is_refused(
    stored: TransactionRepository, where: TransactionFilter, token: str
) -> None:
    with pytest.raises(InvalidPageTokenError):
        stored.page(where, 2, token)
