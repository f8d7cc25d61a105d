"""Shared pieces of the per-version mappings between OCPP payloads and the domain."""

from datetime import datetime
from decimal import Decimal
from typing import Any

from ocpp.exceptions import FormatViolationError, PropertyConstraintViolationError

from csms.domain.limits import register_problem, timestamp_problem
from csms.domain.metering import out_of_range
from csms.domain.models import MeterReading
from csms.observability import logger
from csms.ocpp.registry import HandlerContext
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


def meter_readings(meter_values: list[dict[str, Any]] | None) -> list[MeterReading]:
    """MeterValue entries as received (camelCase `sampledValue`s kept verbatim, out of range ones too)."""
    readings = [
        MeterReading(timestamp=timestamp(entry["timestamp"]), sampled_values=list(entry["sampledValue"]))
        for entry in meter_values or []
    ]
    for reading in readings:
        if flagged := out_of_range(reading):
            logger.warning(
                "Sampled values out of range kept, never read",
                extra={"sampled_values": [reading.sampled_values[index] for index in flagged]},
            )
    return readings


def keep_notification(context: HandlerContext, kind: str) -> None:
    """Store a charge point notification exactly as it was sent."""
    context.services.charge_points.notified(
        context.session.charge_point_id, kind, context.message_id, dict(context.payload)
    )
