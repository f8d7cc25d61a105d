"""Meter readings: one item per message, under a key derived from the message itself.

Each reading keeps its sampled values twice: as the charge point sent them (`sampledValue`, which
the API shows) and as the CSMS reads them (`read`), so that no version's payload is read again.
"""

import hashlib
import json
from decimal import Decimal
from typing import Any

from boto3.dynamodb.conditions import Key

from csms.adapters.dynamodb.codec import query_all
from csms.domain.meter_series import MeterSeries, TransactionSeries
from csms.domain.models import MeterReading, SampledValue
from csms.timeutil import format_timestamp, parse_timestamp


class DynamoDbMeterValueRepository:
    def __init__(self, table: Any) -> None:
        self._table = table

    def put(self, series: MeterSeries, readings: list[MeterReading]) -> None:
        # Kept as JSON text: the values stay exactly as sent, with no float/Decimal round trip.
        encoded = [_encoded(reading) for reading in readings]
        self._table.put_item(
            Item={"seriesKey": _series_key(series), "sampleKey": _sample_key(encoded), "readings": json.dumps(encoded)}
        )

    def latest(self, series: MeterSeries, messages: int) -> list[MeterReading]:
        """One Query of at most `messages` items, newest first: sort keys begin with the message's first timestamp."""
        entries = self._table.query(
            KeyConditionExpression=Key("seriesKey").eq(_series_key(series)), ScanIndexForward=False, Limit=messages
        )["Items"]
        readings = [_decoded(reading) for entry in entries for reading in json.loads(entry["readings"])]
        return sorted(readings, key=lambda reading: reading.timestamp)

    def list(self, series: MeterSeries) -> list[MeterReading]:
        readings: list[MeterReading] = []
        for entry in query_all(self._table, KeyConditionExpression=Key("seriesKey").eq(_series_key(series))):
            readings.extend(_decoded(reading) for reading in json.loads(entry["readings"]))
        return sorted(readings, key=lambda reading: reading.timestamp)


def _encoded(reading: MeterReading) -> dict[str, Any]:
    return {
        "timestamp": format_timestamp(reading.timestamp),
        "sampledValue": reading.sent,
        "read": [
            {
                "value": None if sampled.value is None else str(sampled.value),
                "measurand": sampled.measurand,
                "phase": sampled.phase,
                "unit": sampled.unit,
                "multiplier": sampled.multiplier,
            }
            for sampled in reading.sampled_values
        ],
    }


def _decoded(encoded: dict[str, Any]) -> MeterReading:
    return MeterReading(
        timestamp=parse_timestamp(encoded["timestamp"]),
        sampled_values=tuple(
            SampledValue(
                sent=sent,
                value=None if read["value"] is None else Decimal(read["value"]),
                measurand=read["measurand"],
                phase=read["phase"],
                unit=read["unit"],
                multiplier=read["multiplier"],
            )
            for sent, read in zip(encoded["sampledValue"], encoded["read"], strict=True)
        ),
    )


def _series_key(series: MeterSeries) -> str:
    """The partition of a series: `{chargePointId}#tx#{transactionId}` or `{chargePointId}#connector#{id}`."""
    if isinstance(series, TransactionSeries):
        return f"{series.charge_point_id}#tx#{series.transaction_id}"
    return f"{series.charge_point_id}#connector#{series.evse_or_connector_id}"


def _sample_key(encoded: list[dict[str, Any]]) -> str:
    """The first timestamp (readings sort by time) and a digest of the whole message's readings."""
    content = json.dumps(encoded, sort_keys=True, separators=(",", ":"))
    digest = hashlib.sha256(content.encode()).hexdigest()[:32]
    return f"{min(entry['timestamp'] for entry in encoded)}#{digest}"
