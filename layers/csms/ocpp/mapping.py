"""Shared pieces of the per-version mappings between OCPP payloads and the domain."""

from typing import Any

from csms.domain.models import MeterReading
from csms.ocpp.registry import HandlerContext
from csms.timeutil import parse_timestamp


def meter_readings(meter_values: list[dict[str, Any]] | None) -> list[MeterReading]:
    """MeterValue entries as received (camelCase `sampledValue`s kept verbatim)."""
    return [
        MeterReading(timestamp=parse_timestamp(entry["timestamp"]), sampled_values=list(entry["sampledValue"]))
        for entry in meter_values or []
    ]


def keep_notification(context: HandlerContext, kind: str) -> None:
    """Store a charge point notification exactly as it was sent."""
    context.services.charge_points.notified(
        context.session.charge_point_id, kind, context.message_id, dict(context.payload)
    )
