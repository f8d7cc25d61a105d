"""Tariffs, and the tariff copy a transaction keeps: prices as decimal strings (exact, as given)."""

from decimal import Decimal
from typing import Any

from csms.adapters.dynamodb.codec import item
from csms.adapters.dynamodb.paging import read_page
from csms.domain.pagination import Page
from csms.domain.tariffs import Tariff
from csms.tables import TARIFFS

_PRICES = (
    ("pricePerKwh", "price_per_kwh"),
    ("pricePerMinute", "price_per_minute"),
    ("sessionFee", "session_fee"),
    ("idleFeePerMinute", "idle_fee_per_minute"),
    ("idleGraceMinutes", "idle_grace_minutes"),
    ("taxRate", "tax_rate"),
)
_LIMITS = (("minPrice", "min_price"), ("maxPrice", "max_price"))


class DynamoDbTariffRepository:
    def __init__(self, table: Any) -> None:
        self._table = table

    def get(self, tariff_id: str) -> Tariff | None:
        entry = self._table.get_item(Key={"tariffId": tariff_id}).get("Item")
        return tariff_of(entry) if entry else None

    def put(self, tariff: Tariff) -> None:
        self._table.put_item(Item=tariff_item(tariff))

    def page(self, limit: int, next_token: str | None = None) -> Page[Tariff]:
        page = read_page(self._table.scan, TARIFFS, limit, next_token)
        return Page([tariff_of(entry) for entry in page.items], page.next_token)


def tariff_item(tariff: Tariff) -> dict[str, Any]:
    prices = {name: str(getattr(tariff, field)) for name, field in _PRICES}
    limits = {name: str(getattr(tariff, field)) for name, field in _LIMITS if getattr(tariff, field) is not None}
    return item(
        tariffId=tariff.tariff_id, currency=tariff.currency, displayText=tariff.display_text, **prices, **limits
    )


def tariff_of(entry: dict[str, Any]) -> Tariff:
    def price(name: str) -> Decimal:
        return Decimal(str(entry.get(name, 0)))

    def limit(name: str) -> Decimal | None:
        return Decimal(str(entry[name])) if name in entry else None

    return Tariff(
        tariff_id=entry["tariffId"],
        currency=entry["currency"],
        price_per_kwh=price("pricePerKwh"),
        price_per_minute=price("pricePerMinute"),
        session_fee=price("sessionFee"),
        idle_fee_per_minute=price("idleFeePerMinute"),
        idle_grace_minutes=price("idleGraceMinutes"),
        min_price=limit("minPrice"),
        max_price=limit("maxPrice"),
        tax_rate=price("taxRate"),
        display_text=entry.get("displayText"),
    )
