"""The `TransactionRepository` contract: creating a transaction once, completing it once, correcting it
until billed, lookups, and the running-cost and idle-time tracking of an active one. (Listings:
`test_transaction_listing.py`; recorded errors: `test_recorded_errors.py`.)"""

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from csms.billing.invoices import InvoiceRepository
from csms.domain.charging_needs import ChargingNeeds
from csms.domain.models import StartTransactionRequest, Transaction, TransactionStatus
from csms.domain.ports import TransactionRepository
from csms.domain.tariffs import Tariff
from csms.wire.versions import OcppVersion

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
TARIFF = Tariff("default", "EUR", price_per_kwh=Decimal("0.30"), tax_rate=Decimal("0.19"), display_text="0.30/kWh")
START = StartTransactionRequest("CP-1", connector_id=1, id_token="TAG", meter_start=1000, timestamp=T0)


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def transaction(
    transaction_id: str = "1", charge_point_id: str = "CP-1", minutes: int = 0, **fields: Any
) -> Transaction:
    return Transaction(
        charge_point_id=charge_point_id,
        transaction_id=transaction_id,
        ocpp_version=fields.pop("ocpp_version", OcppVersion.V16),
        status=fields.pop("status", TransactionStatus.ACTIVE),
        started_at=at(minutes),
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


def keys(transactions: list[Transaction]) -> list[tuple[str, str]]:
    return [(t.charge_point_id, t.transaction_id) for t in transactions]


@pytest.mark.parametrize(
    "original",
    [
        transaction("7"),
        transaction(
            "tx-7",
            connector_id=1,
            evse_id=2,
            id_token="TAG",
            meter_start=Decimal("1000.5"),
            ocpp_version=OcppVersion.V201,
            tariff=TARIFF,
        ),
    ],
)
def test_a_created_transaction_round_trips(transactions: TransactionRepository, original: Transaction) -> None:
    assert transactions.create_once(original) == original

    assert transactions.get("CP-1", original.transaction_id) == original


def test_an_unknown_transaction_is_none(transactions: TransactionRepository) -> None:
    transactions.create_once(transaction("1"))

    assert transactions.get("CP-1", "2") is None
    assert transactions.get("CP-2", "1") is None


def test_create_once_keeps_the_first_of_two_with_the_same_id(transactions: TransactionRepository) -> None:
    first = transactions.create_once(transaction("tx-1", id_token="FIRST"))

    again = transactions.create_once(transaction("tx-1", id_token="SECOND", minutes=5))

    assert again == first
    assert transactions.get("CP-1", "tx-1") == first


def test_create_once_returns_the_transaction_of_the_first_copy_of_a_start_request(
    transactions: TransactionRepository,
) -> None:
    # Given a transaction created for a StartTransaction
    first = transactions.create_once(transaction("1", meter_start=Decimal(1000)), START)

    # When a copy of the same request (which drew another id) creates its transaction
    second = transactions.create_once(transaction("2", meter_start=Decimal(1000)), START)

    # Then it gets the first transaction, and only that one exists
    assert second == first
    assert transactions.find_started_by(START) == first
    assert keys(transactions.list_for_charge_point("CP-1")) == [("CP-1", "1")]


@pytest.mark.parametrize(
    "other",
    [
        replace(START, charge_point_id="CP-2"),
        replace(START, connector_id=2),
        replace(START, id_token="OTHER"),
        replace(START, meter_start=1001),
        replace(START, timestamp=at(1)),
    ],
    ids=["charge point", "connector", "id token", "meter start", "timestamp"],
)
def test_a_start_request_differing_in_anything_is_another_request(
    transactions: TransactionRepository, other: StartTransactionRequest
) -> None:
    transactions.create_once(transaction("1", meter_start=Decimal(1000)), START)

    assert transactions.find_started_by(other) is None


def test_transaction_ids_are_new_each_time(transactions: TransactionRepository) -> None:
    drawn = [transactions.next_transaction_id() for _ in range(3)]

    assert drawn == sorted(set(drawn))


def test_completing_stores_the_stop_of_an_active_transaction(transactions: TransactionRepository) -> None:
    active = transactions.create_once(transaction("1", meter_start=Decimal(1000)))
    done = completed(active, meter_stop=8500, reason="EVDisconnected")

    assert transactions.complete(done) is True

    assert transactions.get("CP-1", "1") == done
    assert done.energy_wh == Decimal(7500)


def test_a_transaction_is_completed_once(transactions: TransactionRepository) -> None:
    active = transactions.create_once(transaction("1", meter_start=Decimal(1000)))
    first = completed(active, meter_stop=8500)
    transactions.complete(first)

    assert transactions.complete(completed(active, meter_stop=9999, reason="Other")) is False

    assert transactions.get("CP-1", "1") == first


def test_a_transaction_never_started_here_is_stored_by_its_completion(transactions: TransactionRepository) -> None:
    done = completed(transaction("tx-9", meter_start=Decimal(0)), meter_stop=500)

    assert transactions.complete(done) is True

    assert transactions.get("CP-1", "tx-9") == done


def test_a_completed_transaction_is_revised_until_it_is_billed(
    transactions: TransactionRepository, invoices: InvoiceRepository
) -> None:
    # Given a completed session, whose Started arrived after its Ended
    done = completed(transaction("tx-1", meter_start=Decimal(0), ocpp_version=OcppVersion.V201))
    transactions.complete(done)
    told = replace(done, started_at=at(-10), meter_start=Decimal(500), id_token="TAG", evse_id=1, connector_id=2)

    # When it is revised with what the late event told
    assert transactions.revise(told) is True

    # Then the start, meter start, token, EVSE and connector are corrected, the rest kept
    assert transactions.get("CP-1", "tx-1") == told
    # And once billed it is revised no more
    stored = transactions.get("CP-1", "tx-1")
    assert stored is not None
    assert invoices.skip(stored, "noTariff")
    assert transactions.revise(replace(told, meter_start=Decimal(1))) is False
    assert transactions.get("CP-1", "tx-1") == told


def test_an_active_or_unknown_transaction_is_not_revised(transactions: TransactionRepository) -> None:
    active = transactions.create_once(transaction("tx-1", meter_start=Decimal(0)))

    assert transactions.revise(replace(active, meter_start=Decimal(500))) is False
    assert transactions.revise(completed(transaction("tx-404"))) is False

    assert transactions.get("CP-1", "tx-1") == active
    assert transactions.get("CP-1", "tx-404") is None


def test_find_finds_a_transaction_id_on_every_charge_point(transactions: TransactionRepository) -> None:
    transactions.create_once(transaction("tx-1", "CP-A"))
    transactions.create_once(transaction("tx-1", "CP-B", minutes=5))
    transactions.create_once(transaction("tx-2", "CP-A"))

    assert sorted(keys(transactions.find("tx-1"))) == [("CP-A", "tx-1"), ("CP-B", "tx-1")]
    assert transactions.find("tx-404") == []


def test_a_charge_points_transactions_come_newest_first(transactions: TransactionRepository) -> None:
    # Given transactions of CP-1 created out of order (ids do not sort as the starts do), and one of CP-2
    for transaction_id, minutes in (("10", 20), ("9", 0), ("11", 40), ("2", 10)):
        transactions.create_once(transaction(transaction_id, minutes=minutes))
    transactions.create_once(transaction("1", "CP-2", minutes=30))
    transactions.complete(completed(transaction("9")))

    assert keys(transactions.list_for_charge_point("CP-1")) == [("CP-1", n) for n in ("11", "10", "2", "9")]
    assert transactions.list_for_charge_point("CP-3") == []


def test_active_201_sessions_with_a_tariff_show_their_running_cost_oldest_first(
    transactions: TransactionRepository,
) -> None:
    # Given 2.0.1 sessions with a tariff (one of them completed), one without, and a 1.6 one with a tariff
    later = transactions.create_once(transaction("b", minutes=10, ocpp_version=OcppVersion.V201, tariff=TARIFF))
    earlier = transactions.create_once(transaction("a", "CP-2", ocpp_version=OcppVersion.V201, tariff=TARIFF))
    done = transactions.create_once(transaction("c", minutes=5, ocpp_version=OcppVersion.V201, tariff=TARIFF))
    transactions.complete(completed(done))
    transactions.create_once(transaction("d", ocpp_version=OcppVersion.V201))
    transactions.create_once(transaction("e", tariff=TARIFF))

    assert transactions.list_showing_running_cost() == [earlier, later]


def test_an_id_token_is_set_only_where_there_is_none(transactions: TransactionRepository) -> None:
    transactions.create_once(transaction("tx-1"))
    transactions.create_once(transaction("tx-2", id_token="FIRST"))

    transactions.set_id_token("CP-1", "tx-1", "TAG")
    transactions.set_id_token("CP-1", "tx-2", "SECOND")
    transactions.set_id_token("CP-1", "tx-404", "TAG")

    assert [t.id_token if t else None for t in (transactions.get("CP-1", n) for n in ("tx-1", "tx-2"))] == [
        "TAG",
        "FIRST",
    ]
    assert transactions.get("CP-1", "tx-404") is None


@pytest.fixture
def session(transactions: TransactionRepository) -> Transaction:
    return transactions.create_once(transaction("tx-1", ocpp_version=OcppVersion.V201))


def idle_since(transactions: TransactionRepository) -> datetime | None:
    stored = transactions.get("CP-1", "tx-1")
    assert stored is not None
    return stored.idle_since


def test_a_session_is_idle_once_it_stops_charging_after_it_charged(
    transactions: TransactionRepository, session: Transaction
) -> None:
    transactions.record_charging_state("CP-1", "tx-1", False, T0)  # not charged yet: waiting, not idle
    assert idle_since(transactions) is None
    transactions.record_charging_state("CP-1", "tx-1", True, at(1))
    transactions.record_charging_state("CP-1", "tx-1", False, at(30))
    transactions.record_charging_state("CP-1", "tx-1", False, at(40))  # still idle since 30
    assert idle_since(transactions) == at(30)
    stored = transactions.get("CP-1", "tx-1")
    assert stored is not None
    assert stored.has_charged
    transactions.record_charging_state("CP-1", "tx-1", True, at(50))  # charging again
    assert idle_since(transactions) is None


def test_the_charging_state_of_a_completed_or_unknown_transaction_is_ignored(
    transactions: TransactionRepository, session: Transaction
) -> None:
    transactions.record_charging_state("CP-1", "tx-1", True, at(1))
    transactions.record_charging_state("CP-1", "tx-1", False, at(30))
    stored = transactions.get("CP-1", "tx-1")
    assert stored is not None
    assert transactions.complete(completed(stored))

    transactions.record_charging_state("CP-1", "tx-1", True, at(90))
    transactions.record_charging_state("CP-9", "unknown", False, T0)

    assert idle_since(transactions) == at(30)
    assert transactions.get("CP-9", "unknown") is None


def test_a_charging_state_older_than_the_last_applied_is_late(
    transactions: TransactionRepository, session: Transaction
) -> None:
    # Given a session that charged, then went idle at 20 (still idle at 40)
    transactions.record_charging_state("CP-1", "tx-1", True, at(5))
    transactions.record_charging_state("CP-1", "tx-1", False, at(20))
    transactions.record_charging_state("CP-1", "tx-1", False, at(40))

    # When states from before arrive late: not charging, and charging before the idle period began
    transactions.record_charging_state("CP-1", "tx-1", False, at(10))
    transactions.record_charging_state("CP-1", "tx-1", True, at(15))

    # Then they change nothing
    assert idle_since(transactions) == at(20)

    # But a late Charging from within the idle period ends it (the vehicle charged again since)
    transactions.record_charging_state("CP-1", "tx-1", True, at(30))
    assert idle_since(transactions) is None
    # And a not-charging state older than the last applied (40) does not start it again
    transactions.record_charging_state("CP-1", "tx-1", False, at(35))
    assert idle_since(transactions) is None


def test_active_transactions_are_counted_until_completed(transactions: TransactionRepository) -> None:
    assert transactions.count_active() == 0
    running = transactions.create_once(transaction("1", connector_id=1))
    transactions.create_once(transaction("tx-a", "CP-2", evse_id=1, connector_id=1, ocpp_version=OcppVersion.V201))
    assert transactions.count_active() == 2

    transactions.complete(completed(running))

    assert transactions.count_active() == 1


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
    transactions: TransactionRepository, invoices: InvoiceRepository
) -> None:
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
    billed = transactions.get("CP-1", "2")
    assert billed is not None
    assert invoices.skip(billed, "noTariff")
    assert not transactions.complete(completed(second, 9000))


NEEDS = ChargingNeeds(
    received_at=at(5),
    requested_energy_transfer="AC_three_phase",
    departure=at(240),
    energy_amount_wh=Decimal(22000),
    ev_max_current_amps=Decimal(16),
    energy_register_wh=Decimal("1500.5"),
)


def test_charging_needs_are_kept_with_an_active_transaction_until_it_completes(
    transactions: TransactionRepository,
) -> None:
    transactions.create_once(transaction("1", ocpp_version=OcppVersion.V201, evse_id=1))

    kept = transactions.record_charging_needs("CP-1", "1", NEEDS)
    later = replace(NEEDS, received_at=at(6), departure=None, energy_amount_wh=None, ev_max_current_amps=None)
    transactions.record_charging_needs("CP-1", "1", later)
    active = transactions.get("CP-1", "1")
    assert active is not None
    transactions.complete(completed(active))

    assert kept is True
    assert active.charging_needs == later
    assert transactions.record_charging_needs("CP-1", "1", NEEDS) is False  # completed
    assert transactions.record_charging_needs("CP-1", "2", NEEDS) is False  # unknown
    stored = transactions.get("CP-1", "1")
    assert stored is not None
    assert stored.charging_needs == later
