"""/api/tariffs: what charging costs. The tariff `default` prices sessions no other tariff applies to."""

from decimal import Decimal
from http import HTTPStatus
from typing import Annotated

from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.exceptions import NotFoundError
from pydantic import Field

from csms.api.api_model import ApiModel
from csms.api.errors import responses
from csms.api.models import PageView, decimal_string
from csms.api.openapi import Tag, body_examples
from csms.api.pagination import DEFAULT_PAGE_SIZE, Limit, NextToken
from csms.composition import get_services
from csms.domain.tariffs import ZERO, Tariff

router = Router()

# A non-negative decimal string: "0.35", "12", "0.19". Strings keep amounts exact on the wire.
DECIMAL_PATTERN = r"^\d{1,12}(\.\d{1,8})?$"
Amount = str | None


def amount(description: str) -> Amount:
    return Field(default=None, pattern=DECIMAL_PATTERN, description=description)


class TariffBody(ApiModel):
    currency: str = Field(pattern=r"^[A-Z]{3}$", description="ISO 4217, e.g. EUR")
    price_per_kwh: Amount = amount("Per kWh delivered (absent: 0)")
    price_per_minute: Amount = amount("Per minute of charging (absent: 0)")
    session_fee: Amount = amount("Per session (absent: 0)")
    idle_fee_per_minute: Amount = amount("Per minute plugged in after charging stopped (absent: 0)")
    idle_grace_minutes: Amount = amount("Idle minutes not billed (absent: 0)")
    min_price: Amount = amount("Lower bound of the net price (absent: none)")
    max_price: Amount = amount("Upper bound of the net price (absent: none)")
    tax_rate: Amount = amount('A fraction: "0.19" for 19 % (absent: 0)')
    display_text: str | None = Field(default=None, max_length=512, description="Shown to the driver")


class TariffView(TariffBody):
    tariff_id: str

    @classmethod
    def of(cls, tariff: Tariff) -> "TariffView":
        return cls(
            tariff_id=tariff.tariff_id,
            currency=tariff.currency,
            price_per_kwh=decimal_string(tariff.price_per_kwh),
            price_per_minute=decimal_string(tariff.price_per_minute),
            session_fee=decimal_string(tariff.session_fee),
            idle_fee_per_minute=decimal_string(tariff.idle_fee_per_minute),
            idle_grace_minutes=decimal_string(tariff.idle_grace_minutes),
            min_price=decimal_string(tariff.min_price),
            max_price=decimal_string(tariff.max_price),
            tax_rate=decimal_string(tariff.tax_rate),
            display_text=tariff.display_text,
        )


@router.put(
    "/api/tariffs/<tariff_id>",
    operation_id="putTariff",
    summary="Create or replace a tariff",
    description="A tariff in one `currency` (ISO 4217) with, as decimal strings, `pricePerKwh` (per kWh delivered), "
    "`pricePerMinute` (per minute of charging), `sessionFee`, `idleFeePerMinute` after `idleGraceMinutes` "
    "(plugged in, not charging), `minPrice` and `maxPrice` (bounds of the net price) and `taxRate` (a fraction); "
    "an absent price is zero, an absent bound none. `displayText` is shown on 2.0.1 chargers when a session "
    "starts. The tariff `default` prices sessions no other tariff applies to. Sessions already started keep the "
    "copy they started with.",
    tags=[Tag.TARIFFS],
    responses=responses(HTTPStatus.BAD_REQUEST),
)
def put_tariff(
    tariff_id: str,
    body: Annotated[
        TariffBody,
        body_examples(
            energy=("Per kWh, with tax", {"currency": "EUR", "pricePerKwh": "0.35", "taxRate": "0.19"}),
            full=(
                "Energy, time, session fee and idle fee, bounded",
                {
                    "currency": "EUR",
                    "pricePerKwh": "0.29",
                    "pricePerMinute": "0.02",
                    "sessionFee": "0.50",
                    "idleFeePerMinute": "0.10",
                    "idleGraceMinutes": "15",
                    "minPrice": "1.00",
                    "maxPrice": "50.00",
                    "taxRate": "0.19",
                    "displayText": "0.29 EUR/kWh + 0.02 EUR/min, idle 0.10 EUR/min after 15 min",
                },
            ),
        ),
    ],
) -> TariffView:

    def price(value: str | None) -> Decimal:
        return Decimal(value) if value is not None else ZERO

    tariff = Tariff(
        tariff_id=tariff_id,
        currency=body.currency,
        price_per_kwh=price(body.price_per_kwh),
        price_per_minute=price(body.price_per_minute),
        session_fee=price(body.session_fee),
        idle_fee_per_minute=price(body.idle_fee_per_minute),
        idle_grace_minutes=price(body.idle_grace_minutes),
        min_price=Decimal(body.min_price) if body.min_price is not None else None,
        max_price=Decimal(body.max_price) if body.max_price is not None else None,
        tax_rate=price(body.tax_rate),
        display_text=body.display_text,
    )
    return TariffView.of(get_services().tariff_administration.put(tariff))


@router.get(
    "/api/tariffs",
    operation_id="listTariffs",
    summary="List tariffs",
    description="Every tariff, in no particular order, prices as decimal strings. Paged.",
    tags=[Tag.TARIFFS],
    responses=responses(HTTPStatus.BAD_REQUEST),
)
def list_tariffs(limit: Limit = DEFAULT_PAGE_SIZE, next_token: NextToken = None) -> PageView[TariffView]:
    page = get_services().tariff_administration.page(limit, next_token)
    return PageView[TariffView](items=[TariffView.of(tariff) for tariff in page.items], next_token=page.next_token)


@router.get(
    "/api/tariffs/<tariff_id>",
    operation_id="getTariff",
    summary="Get a tariff",
    description="The tariff's currency, prices (decimal strings), bounds, tax rate and display text.",
    tags=[Tag.TARIFFS],
    responses=responses(HTTPStatus.NOT_FOUND),
)
def get_tariff(tariff_id: str) -> TariffView:
    tariff = get_services().tariff_administration.get(tariff_id)
    if tariff is None:
        raise NotFoundError(f"No tariff {tariff_id}")
    return TariffView.of(tariff)
