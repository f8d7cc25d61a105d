"""The current a session draws, read from its latest Current.Import meter value: the highest phase of a 3-phase
reading, the value itself when it names no phase, in amps only, and none when the charger does not report it."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from csms.domain.metering import current_import_amps
from csms.domain.models import MeterReading, SampledValue

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def current(value: str, phase: str | None = None, unit: str = "A", multiplier: int = 0) -> SampledValue:
    sent = {"value": value, "measurand": "Current.Import", "unit": unit, **({"phase": phase} if phase else {})}
    return SampledValue(sent, Decimal(value), "Current.Import", phase, unit, multiplier)


def energy(wh: str) -> SampledValue:
    return SampledValue({"value": wh}, Decimal(wh))


def reading(minutes: int, *values: SampledValue) -> MeterReading:
    return MeterReading(T0 + timedelta(minutes=minutes), values)


def test_the_latest_reading_that_carries_a_current_counts() -> None:
    readings = [
        reading(0, energy("100"), current("6")),
        reading(2, energy("300"), current("15.9")),
        reading(3, energy("400")),  # no current in this one
        reading(1, current("31")),
    ]
    assert current_import_amps(readings) == Decimal("15.9")


def test_a_three_phase_reading_is_its_highest_phase_and_the_neutral_is_not_a_phase() -> None:
    readings = [reading(0, current("15.2", "L1"), current("16.1", "L2-N"), current("14", "L3"), current("40", "N"))]
    assert current_import_amps(readings) == Decimal("16.1")


def test_phases_count_before_an_unphased_value_of_the_same_reading() -> None:
    assert current_import_amps([reading(0, current("45", None), current("15", "L1"))]) == Decimal(15)


def test_amps_are_rounded_to_tenths_and_the_multiplier_applies() -> None:
    assert current_import_amps([reading(0, current("0.30000000000000004"))]) == Decimal("0.3")
    assert current_import_amps([reading(0, current("1620", multiplier=-2))]) == Decimal("16.2")


@pytest.mark.parametrize(
    "values",
    [
        (),
        (energy("1000"),),
        (current("16", unit="mA"),),  # not amps
        (current("1e13"),),  # out of range: never read
        (SampledValue({"value": "x"}, None, "Current.Import", None, "A"),),  # not a number
        (current("30", "N"),),  # the neutral alone
    ],
)
def test_no_current_reported(values: tuple[SampledValue, ...]) -> None:
    assert current_import_amps([reading(0, *values)] if values else []) is None
