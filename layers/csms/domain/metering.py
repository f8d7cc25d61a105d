"""Reading sampled values: which are in range, and the energy register.

A sampled value out of range (`csms.domain.limits`) is kept as the charge point sent it, but never
read: energy and cost come from the readings in range only.
"""

from decimal import ROUND_HALF_EVEN, Decimal

from csms.domain.limits import register_problem, sampled_value_problem
from csms.domain.models import ENERGY_REGISTER, MeterReading, SampledValue

_UNIT_FACTORS = {"Wh": Decimal(1), "kWh": Decimal(1000)}
CURRENT_IMPORT = "Current.Import"
_NEUTRAL = "N"
_TENTHS = Decimal("0.1")


def _is_register(sampled_value: SampledValue) -> bool:
    """The total (not per-phase) energy import register."""
    return sampled_value.measurand == ENERGY_REGISTER and not sampled_value.phase


def _wh(sampled_value: SampledValue) -> Decimal | None:
    factor = _UNIT_FACTORS.get(sampled_value.unit)
    if factor is None or sampled_value.value is None:
        return None
    return sampled_value.value.scaleb(sampled_value.multiplier) * factor


def _problem(sampled_value: SampledValue) -> str | None:
    """Why a sampled value that is a number is out of range; None for one in range or not a number."""
    if sampled_value.value is None:
        return None
    problem = sampled_value_problem(sampled_value.value, sampled_value.multiplier)
    wh = _wh(sampled_value) if problem is None and _is_register(sampled_value) else None
    return register_problem(wh) if wh is not None else problem


def _energy_wh(sampled_value: SampledValue) -> Decimal | None:
    """Energy in Wh of an energy register value in range, else None."""
    if not _is_register(sampled_value) or _problem(sampled_value) is not None:
        return None
    return _wh(sampled_value)


def out_of_range(reading: MeterReading) -> list[int]:
    """Indexes of the sampled values of `reading` that are out of range (and therefore never read)."""
    return [index for index, sampled_value in enumerate(reading.sampled_values) if _problem(sampled_value) is not None]


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


def current_import_amps(readings: list[MeterReading]) -> Decimal | None:
    """The current drawn, in tenths of an amp, by the latest reading carrying a Current.Import in A (in range):
    the highest of its phases (the neutral is none), else its value without a phase; None if no reading has one."""
    for reading in sorted(readings, key=lambda r: r.timestamp, reverse=True):
        phases: list[Decimal] = []
        unphased: list[Decimal] = []
        for sampled_value in reading.sampled_values:
            amps = _amps(sampled_value)
            if amps is not None and sampled_value.phase != _NEUTRAL:
                (phases if sampled_value.phase else unphased).append(amps)
        if phases or unphased:
            return max(phases or unphased).quantize(_TENTHS, ROUND_HALF_EVEN)
    return None


def _amps(sampled_value: SampledValue) -> Decimal | None:
    """Amps of a Current.Import value in A and in range, else None."""
    if (
        sampled_value.measurand != CURRENT_IMPORT
        or sampled_value.unit != "A"
        or sampled_value.value is None
        or _problem(sampled_value) is not None
    ):
        return None
    return sampled_value.value.scaleb(sampled_value.multiplier)
