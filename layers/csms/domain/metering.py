"""Reading the energy register out of OCPP sampled values (1.6 and 2.0.1 shapes)."""

from decimal import Decimal, InvalidOperation

from csms.domain.models import MeterReading

ENERGY_REGISTER = "Energy.Active.Import.Register"
_UNIT_FACTORS = {"Wh": Decimal(1), "kWh": Decimal(1000)}


def _energy_wh(sampled_value: dict[str, object]) -> Decimal | None:
    """Energy in Wh of a total (not per-phase) import register value, else None."""
    if sampled_value.get("measurand", ENERGY_REGISTER) != ENERGY_REGISTER or sampled_value.get("phase"):
        return None
    try:
        value = Decimal(str(sampled_value["value"]))
    except (KeyError, InvalidOperation):
        return None
    unit_of_measure = sampled_value.get("unitOfMeasure")  # 2.0.1
    if isinstance(unit_of_measure, dict):
        unit = str(unit_of_measure.get("unit", "Wh"))
        value = value.scaleb(int(str(unit_of_measure.get("multiplier", 0))))
    else:  # 1.6
        unit = str(sampled_value.get("unit", "Wh"))
    factor = _UNIT_FACTORS.get(unit)
    return None if factor is None else value * factor


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
