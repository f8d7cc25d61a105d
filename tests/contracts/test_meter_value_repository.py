"""The `MeterValueRepository` contract: each message's readings kept verbatim, once, listed in time order."""

import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from csms.domain.meter_series import ConnectorSeries, TransactionSeries
from csms.domain.models import MeterReading, SampledValue
from csms.domain.ports import MeterValueRepository

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
SERIES = TransactionSeries("CP-1", "1")


def reading(minutes: int, *sampled_values: dict[str, object] | SampledValue) -> MeterReading:
    """A reading of the sampled values given; a value given only as sent is read as no number."""
    return MeterReading(
        T0 + timedelta(minutes=minutes),
        tuple(value if isinstance(value, SampledValue) else SampledValue(value, None) for value in sampled_values),
    )


def in_time_order(readings: list[MeterReading]) -> list[MeterReading]:
    """Readings by time; those of one time in any order (messages stamped alike may come either way)."""
    return sorted(readings, key=lambda r: (r.timestamp, json.dumps(r.sent, sort_keys=True)))


def test_readings_round_trip_verbatim(meter_values: MeterValueRepository) -> None:
    # Given readings in both versions' shapes: strings, integers, floats, nested objects
    readings = [
        reading(0, {"value": "4200", "measurand": "Energy.Active.Import.Register", "unit": "Wh"}),
        reading(
            1,
            SampledValue(
                {"value": 3.2, "unitOfMeasure": {"unit": "kWh", "multiplier": 3}},
                Decimal("3.2"),
                unit="kWh",
                multiplier=3,
            ),
            SampledValue(
                {"value": 0.1 + 0.2, "measurand": "Current.Import", "phase": "L1"},
                Decimal("0.30000000000000004"),
                measurand="Current.Import",
                phase="L1",
                unit="A",
            ),
            SampledValue({"value": "3045022100ab", "format": "SignedData"}, None),
            {"value": 11000, "signedMeterValue": {"signedMeterData": "abc", "encodingMethod": "OCMF"}},
        ),
    ]

    # When they are stored and read back
    meter_values.put(SERIES, readings)

    # Then they are exactly as sent, and read alike
    assert meter_values.list(SERIES) == readings


def test_the_same_message_stored_again_is_kept_once(meter_values: MeterValueRepository) -> None:
    message = [reading(0, {"value": "1"}), reading(1, {"value": "2"})]
    meter_values.put(SERIES, message)

    meter_values.put(SERIES, [reading(0, {"value": "1"}), reading(1, {"value": "2"})])  # a resend

    assert meter_values.list(SERIES) == message


def test_different_messages_stamped_alike_are_all_kept(meter_values: MeterValueRepository) -> None:
    # When messages begin with the same timestamp but differ in a value, in a field, or in a later reading
    messages = [
        [reading(0, {"value": "1"})],
        [reading(0, {"value": "2"})],
        [reading(0, {"value": "1", "unit": "kWh"})],
        [reading(0, {"value": "1"}), reading(1, {"value": "2"})],
    ]
    for message in messages:
        meter_values.put(SERIES, message)

    # Then every reading of every message is kept
    assert in_time_order(meter_values.list(SERIES)) == in_time_order([r for m in messages for r in m])


def test_a_series_lists_its_readings_in_time_order_and_no_others(meter_values: MeterValueRepository) -> None:
    # Given messages stored out of order in one series, and one in each of two others (another transaction's,
    # the connector's outside a transaction)
    meter_values.put(SERIES, [reading(20, {"value": "3"}), reading(10, {"value": "2"})])
    meter_values.put(SERIES, [reading(0, {"value": "1"})])
    meter_values.put(TransactionSeries("CP-1", "2"), [reading(5, {"value": "other"})])
    meter_values.put(ConnectorSeries("CP-1", 1), [reading(6, {"value": "connector"})])

    # Then each series lists its own readings, oldest first
    assert meter_values.list(SERIES) == [
        reading(0, {"value": "1"}),
        reading(10, {"value": "2"}),
        reading(20, {"value": "3"}),
    ]
    assert meter_values.list(TransactionSeries("CP-1", "2")) == [reading(5, {"value": "other"})]
    assert meter_values.list(ConnectorSeries("CP-1", 1)) == [reading(6, {"value": "connector"})]


def test_an_unknown_series_is_empty(meter_values: MeterValueRepository) -> None:
    assert meter_values.list(TransactionSeries("CP-404", "1")) == []


def test_the_latest_messages_are_read_alone_oldest_first(meter_values: MeterValueRepository) -> None:
    # Given four messages of a series, stored out of order (the second with two readings), and another series
    meter_values.put(SERIES, [reading(30, {"value": "4"})])
    meter_values.put(SERIES, [reading(10, {"value": "2"}), reading(11, {"value": "2b"})])
    meter_values.put(SERIES, [reading(0, {"value": "1"})])
    meter_values.put(SERIES, [reading(20, {"value": "3"})])
    meter_values.put(TransactionSeries("CP-1", "2"), [reading(40, {"value": "other"})])

    # Then the latest two messages are their readings, oldest first; more than there are is all of them
    assert meter_values.latest(SERIES, 2) == [reading(20, {"value": "3"}), reading(30, {"value": "4"})]
    assert meter_values.latest(SERIES, 3) == meter_values.list(SERIES)[1:]
    assert meter_values.latest(SERIES, 10) == meter_values.list(SERIES)
    assert meter_values.latest(TransactionSeries("CP-404", "1"), 3) == []
