"""Shared pieces of the per-version mappings between OCPP payloads and the domain."""

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Any

from ocpp.exceptions import FormatViolationError, PropertyConstraintViolationError

from csms.domain.limits import register_problem, timestamp_problem
from csms.domain.metering import out_of_range
from csms.domain.models import MeterReading, SampledValue
from csms.observability import logger
from csms.timeutil import parse_timestamp


def timestamp(value: str) -> datetime:
    """An OCPP dateTime; the schemas check neither its format nor its range, so both are checked here."""
    try:
        parsed = parse_timestamp(value)
    except (ValueError, TypeError) as error:
        raise FormatViolationError(description=f"{value!r} is not an RFC 3339 date-time") from error
    _refuse_beyond_limits(timestamp_problem(parsed), "date-time")
    return parsed


def meter_register(wh: int, field: str) -> int:
    """A 1.6 meterStart/meterStop: the session's energy is computed from it, so an absurd one is refused."""
    _refuse_beyond_limits(register_problem(Decimal(wh)), field)
    return wh


def _refuse_beyond_limits(problem: str | None, what: str) -> None:
    """A value beyond the limits is answered PropertyConstraintViolation, before anything is written."""
    if problem is not None:
        raise PropertyConstraintViolationError(description=f"{what}: {problem}")


def meter_readings(
    entries: list[dict[str, Any]] | None, sampled_value: Callable[[dict[str, Any]], SampledValue]
) -> list[MeterReading]:
    """MeterValue entries as sent (camelCase), each sampled value mapped by its version's `sampled_value`.

    Out of range values are kept too: the domain never reads them, and the API flags them.
    """
    readings = [
        MeterReading(
            timestamp=timestamp(entry["timestamp"]),
            sampled_values=tuple(sampled_value(sent) for sent in entry["sampledValue"]),
        )
        for entry in entries or []
    ]
    for reading in readings:
        if flagged := out_of_range(reading):
            logger.warning(
                "Sampled values out of range kept, never read",
                extra={"sampled_values": [reading.sampled_values[index].sent for index in flagged]},
            )
    return readings


def number(value: object) -> Decimal | None:
    """A sampled value's number (a string in 1.6, a JSON number in 2.0.1); None if it is not one."""
    try:
        return Decimal(str(value))
    except ArithmeticError:  # InvalidOperation
        return None
