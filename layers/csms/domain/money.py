"""Currencies and the one rounding rule of every amount the CSMS bills.

Amounts are computed exactly in `Decimal`; the total is rounded once, half up (commercial
rounding: 0.125 -> 0.13), to the currency's minor unit (ISO 4217).
"""

from decimal import ROUND_HALF_UP, Decimal

# ISO 4217 minor units of the currencies that do not use two decimals.
_MINOR_UNITS = {
    "BHD": 3, "BIF": 0, "CLF": 4, "CLP": 0, "DJF": 0, "GNF": 0, "IQD": 3, "ISK": 0, "JOD": 3, "JPY": 0,
    "KMF": 0, "KRW": 0, "KWD": 3, "LYD": 3, "OMR": 3, "PYG": 0, "RWF": 0, "TND": 3, "UGX": 0, "UYI": 0,
    "UYW": 4, "VND": 0, "VUV": 0, "XAF": 0, "XOF": 0, "XPF": 0,
}  # fmt: skip
DEFAULT_MINOR_UNIT = 2


def minor_unit(currency: str) -> int:
    return _MINOR_UNITS.get(currency.upper(), DEFAULT_MINOR_UNIT)


def round_amount(amount: Decimal, currency: str) -> Decimal:
    """`amount` rounded half up to the currency's minor unit."""
    return amount.quantize(Decimal(1).scaleb(-minor_unit(currency)), rounding=ROUND_HALF_UP)
