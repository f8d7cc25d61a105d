"""The `TariffRepository` contract: tariffs by id with exact decimal prices, replaced whole, paged."""

from decimal import Decimal

import pytest

from csms.domain.pagination import InvalidPageTokenError
from csms.domain.ports import TariffRepository
from csms.domain.tariffs import Tariff
from tests.contracts.paging import FOREIGN_TOKENS, assert_pages_hold_each_once

FULL = Tariff(
    tariff_id="full",
    currency="EUR",
    price_per_kwh=Decimal("0.3950"),
    price_per_minute=Decimal("0.01"),
    session_fee=Decimal("1.00"),
    idle_fee_per_minute=Decimal("0.10"),
    idle_grace_minutes=Decimal("15"),
    min_price=Decimal("0.50"),
    max_price=Decimal("80.00"),
    tax_rate=Decimal("0.19"),
    display_text="0.395 EUR/kWh",
)


def by_id(tariff: Tariff) -> str:
    return tariff.tariff_id


@pytest.mark.parametrize("tariff", [Tariff("bare", "SEK"), FULL])
def test_a_tariff_round_trips(tariffs: TariffRepository, tariff: Tariff) -> None:
    tariffs.put(tariff)

    assert tariffs.get(tariff.tariff_id) == tariff


def test_prices_are_kept_exactly_as_given(tariffs: TariffRepository) -> None:
    tariffs.put(
        Tariff("exact", "EUR", price_per_kwh=Decimal("0.123456789012345678901234567"), tax_rate=Decimal("0.190"))
    )

    stored = tariffs.get("exact")

    assert stored is not None
    assert (str(stored.price_per_kwh), str(stored.tax_rate)) == ("0.123456789012345678901234567", "0.190")


def test_an_unknown_tariff_is_none(tariffs: TariffRepository) -> None:
    assert tariffs.get("nope") is None


def test_put_replaces_the_whole_tariff(tariffs: TariffRepository) -> None:
    tariffs.put(FULL)

    tariffs.put(Tariff("full", "EUR", price_per_kwh=Decimal("0.30")))

    assert tariffs.get("full") == Tariff("full", "EUR", price_per_kwh=Decimal("0.30"))


def test_pages_hold_each_tariff_once(tariffs: TariffRepository) -> None:
    stored = [Tariff(f"T-{n}", "EUR", price_per_kwh=Decimal(n)) for n in range(5)]
    for tariff in stored:
        tariffs.put(tariff)

    assert_pages_hold_each_once(tariffs.page, stored, by_id)


def test_a_token_no_listing_returned_is_refused(tariffs: TariffRepository) -> None:
    tariffs.put(FULL)

    for token in FOREIGN_TOKENS:
        with pytest.raises(InvalidPageTokenError):
            tariffs.page(2, token)
