"""The rules of the operator's id tokens and tariffs, and what the transaction history shows."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from csms.domain.filters import TransactionFilter
from csms.domain.id_token_administration import IdTokenAdministration
from csms.domain.meter_series import TransactionSeries
from csms.domain.models import IdToken, IdTokenStatus, MeterReading, Transaction, TransactionStatus
from csms.domain.tariff_administration import TariffAdministration
from csms.domain.tariffs import Tariff
from csms.domain.transaction_history import TransactionHistory
from csms.domain.violations import RuleViolationError
from csms.ocpp.v201 import mappers as v201_mappers
from csms.wire.versions import OcppVersion
from tests.fakes import FixedClock, InMemoryIdTokens, InMemoryMeterValues, InMemoryTariffs, InMemoryTransactions

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.fixture
def tariffs() -> InMemoryTariffs:
    return InMemoryTariffs()


def test_a_tariff_is_stored_when_its_bounds_agree(tariffs: InMemoryTariffs) -> None:
    administration = TariffAdministration(tariffs)
    tariff = Tariff("standard", "EUR", min_price=Decimal(1), max_price=Decimal(1))

    assert administration.put(tariff) == tariff
    assert administration.get("standard") == tariff


@pytest.mark.parametrize(
    ("tariff", "reason"),
    [
        (Tariff("", "EUR"), "A tariff id is 1 to 64 characters"),
        (Tariff("t" * 65, "EUR"), "A tariff id is 1 to 64 characters"),
        (Tariff("t", "EUR", min_price=Decimal(2), max_price=Decimal(1)), "minPrice must not exceed maxPrice"),
    ],
)
def test_a_tariff_breaking_a_rule_is_not_stored(tariffs: InMemoryTariffs, tariff: Tariff, reason: str) -> None:
    with pytest.raises(RuleViolationError, match=reason):
        TariffAdministration(tariffs).put(tariff)

    assert tariffs.tariffs == {}


def test_an_id_token_is_registered_with_an_existing_tariff_only(tariffs: InMemoryTariffs) -> None:
    id_tokens = InMemoryIdTokens()
    administration = IdTokenAdministration(id_tokens, TariffAdministration(tariffs))
    token = IdToken("TAG-1", IdTokenStatus.ACCEPTED, tariff_id="fleet")

    with pytest.raises(RuleViolationError, match="No tariff fleet"):
        administration.register(token)
    assert id_tokens.tokens == {}

    tariffs.put(Tariff("fleet", "EUR"))
    assert administration.register(token) == token
    assert administration.get("TAG-1") == token
    assert administration.delete("TAG-1") is True
    assert administration.delete("TAG-1") is False


@pytest.mark.parametrize("id_token", ["", "T" * 37])
def test_an_id_token_of_the_wrong_length_is_refused(tariffs: InMemoryTariffs, id_token: str) -> None:
    id_tokens = InMemoryIdTokens()

    with pytest.raises(RuleViolationError, match="An id token is 1 to 36 characters"):
        IdTokenAdministration(id_tokens, TariffAdministration(tariffs)).register(
            IdToken(id_token, IdTokenStatus.ACCEPTED)
        )

    assert id_tokens.tokens == {}


def transaction(charge_point_id: str, transaction_id: str, minutes: int) -> Transaction:
    return Transaction(
        charge_point_id, transaction_id, OcppVersion.V201, TransactionStatus.ACTIVE, T0 + timedelta(minutes=minutes)
    )


def test_a_transaction_is_shown_with_its_meter_values_and_told_apart_by_charge_point() -> None:
    # Given transaction tx-1 on two charge points (2.0.1 ids are unique per charge point), with readings
    transactions, meter_values = InMemoryTransactions(), InMemoryMeterValues()
    transactions.create_once(transaction("CS-1", "tx-1", 0))
    transactions.create_once(transaction("CS-2", "tx-1", 10))
    reading = MeterReading(T0 + timedelta(minutes=1), (v201_mappers.sampled_value({"value": 12.5}),))
    meter_values.put(TransactionSeries("CS-1", "tx-1"), [reading])
    history = TransactionHistory(transactions, meter_values, FixedClock())

    # Then the charge point's is shown when given, else the one started last
    recorded = history.get("tx-1", "CS-1")
    assert recorded is not None
    assert (recorded.transaction.charge_point_id, recorded.readings) == ("CS-1", [reading])
    latest = history.get("tx-1")
    assert latest is not None
    assert (latest.transaction.charge_point_id, latest.readings) == ("CS-2", [])
    assert history.get("tx-1", "CS-3") is None
    assert history.get("tx-2") is None
    assert [t.charge_point_id for t in history.page(TransactionFilter(), 10).items] == ["CS-2", "CS-1"]
