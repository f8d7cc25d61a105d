"""Shared pieces of the per-version mappings between OCPP payloads and the domain."""

from datetime import datetime
from typing import Any

from ocpp.exceptions import FormatViolationError

from csms.domain.models import MeterReading
from csms.ocpp.registry import HandlerContext
from csms.timeutil import parse_timestamp


def timestamp(value: str) -> datetime:
    """An OCPP dateTime; the schemas do not check the format, so a bad one is checked here."""
    try:
        return parse_timestamp(value)
    except (ValueError, TypeError) as error:
        raise FormatViolationError(description=f"{value!r} is not an RFC 3339 date-time") from error


def meter_readings(meter_values: list[dict[str, Any]] | None) -> list[MeterReading]:
    """MeterValue entries as received (camelCase `sampledValue`s kept verbatim)."""
    return [
        MeterReading(timestamp=timestamp(entry["timestamp"]), sampled_values=list(entry["sampledValue"]))
        for entry in meter_values or []
    ]


def keep_notification(context: HandlerContext, kind: str) -> None:
    """Store a charge point notification exactly as it was sent."""
    context.services.charge_points.notified(
        context.session.charge_point_id, kind, context.message_id, dict(context.payload)
    )
