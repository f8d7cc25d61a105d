"""The operator API's request models, and how it writes money and energy."""

from decimal import Decimal

import pytest
from ocpp.v201 import enums

from csms.api.models import IdTokenEnumType, decimal_string, energy_string


def test_the_id_token_types_are_those_of_ocpp_201() -> None:
    assert [(member.name, member.value) for member in IdTokenEnumType] == [
        (member.name, member.value) for member in enums.IdTokenEnumType
    ]
    assert IdTokenEnumType.__doc__ == enums.IdTokenEnumType.__doc__.strip()  # the OpenAPI description


@pytest.mark.parametrize(
    ("value", "amount", "energy"),
    [
        (Decimal("11.50"), "11.50", "11.5"),
        (Decimal("6500.0"), "6500.0", "6500"),
        (Decimal("1E+3"), "1000", "1000"),
        (1000, "1000", "1000"),
        (Decimal("0.00"), "0.00", "0"),
        (Decimal("1E-7"), "0.0000001", "0.0000001"),
    ],
)
def test_money_keeps_its_digits_and_energy_drops_trailing_zeros_both_in_plain_notation(
    value: Decimal | int, amount: str, energy: str
) -> None:
    assert (decimal_string(value), energy_string(value)) == (amount, energy)
    assert (decimal_string(None), energy_string(None)) == (None, None)
