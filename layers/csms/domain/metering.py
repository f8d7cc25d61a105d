"""Reading OCPP sampled values (1.6 and 2.0.1 shapes): which are in range, and the energy register.

A sampled value out of range (`csms.domain.limits`) is kept as the charge point sent it, but never
read: energy and cost come from the readings in range only.
"""

from dataclasses import dataclass
from decimal import Decimal

from csms.domain.limits import register_problem, sampled_value_problem
from csms.domain.models import MeterReading

ENERGY_REGISTER = "Energy.Active.Import.Register"
_UNIT_FACTORS = {"Wh": Decimal(1), "kWh": Decimal(1000)}


@dataclass(frozen=True)
class _Sample:
    """A sampled value that reads as a number: `value` x 10^`multiplier` in `unit`."""

    value: Decimal
    multiplier: int
    unit: str
    is_register: bool  # the total (not per-phase) energy import register

    @property
    def wh(self) -> Decimal | None:
        factor = _UNIT_FACTORS.get(self.unit)
        return None if factor is None else self.value.scaleb(self.multiplier) * factor

    @property
    def problem(self) -> str | None:
        problem = sampled_value_problem(self.value, self.multiplier)
        wh = self.wh if problem is None and self.is_register else None
        return register_problem(wh) if wh is not None else problem


def _sample(sampled_value: dict[str, object]) -> _Sample | None:
    """None for a value that is not a number (1.6 values are strings; signed data is not a number)."""
    unit_of_measure = sampled_value.get("unitOfMeasure")  # 2.0.1
    try:
        value = Decimal(str(sampled_value["value"]))
        if isinstance(unit_of_measure, dict):
            unit = str(unit_of_measure.get("unit", "Wh"))
            multiplier = int(Decimal(str(unit_of_measure.get("multiplier", 0))))
        else:  # 1.6
            unit, multiplier = str(sampled_value.get("unit", "Wh")), 0
    except (KeyError, ValueError, ArithmeticError):  # InvalidOperation, or an infinite multiplier
        return None
    is_register = sampled_value.get("measurand", ENERGY_REGISTER) == ENERGY_REGISTER and not sampled_value.get("phase")
    return _Sample(value, multiplier, unit, is_register)


def _energy_wh(sampled_value: dict[str, object]) -> Decimal | None:
    """Energy in Wh of an energy register value in range, else None."""
    sample = _sample(sampled_value)
    if sample is None or not sample.is_register or sample.problem is not None:
        return None
    return sample.wh


def out_of_range(reading: MeterReading) -> list[int]:
    """Indexes of the sampled values of `reading` that are out of range (and therefore never read)."""
    return [
        index
        for index, sampled_value in enumerate(reading.sampled_values)
        if (sample := _sample(sampled_value)) is not None and sample.problem is not None
    ]


def energy_register_wh(readings: list[MeterReading]) -> Decimal | None:
    """The latest energy register reading (Wh) among `readings`, if any carries one."""
    for reading in sorted(readings, key=lambda r: r.timestamp, reverse=True):
        for sampled_value in reading.sampled_values:
            energy = _energy_wh(sampled_value)
            if energy is not None:
                return energy
    return None


def earliest_energy_register_wh(readings: list[MeterReading]) -> Decimal | None:
    """The earliest energy register reading (Wh): a transaction's start when none was sent."""
    for reading in sorted(readings, key=lambda r: r.timestamp):
        for sampled_value in reading.sampled_values:
            energy = _energy_wh(sampled_value)
            if energy is not None:
                return energy
    return None
