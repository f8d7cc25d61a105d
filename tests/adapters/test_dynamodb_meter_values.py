"""`DynamoDbMeterValueRepository` on moto: readings kept verbatim, one item per message."""

from datetime import UTC, datetime, timedelta

import pytest

from csms.domain.models import MeterReading
from csms.domain.ports import MeterValueRepository
from csms.services import Repositories

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def reading(minutes: int, *sampled_values: dict[str, object]) -> MeterReading:
    return MeterReading(T0 + timedelta(minutes=minutes), list(sampled_values))


@pytest.fixture
def meter_values(repositories: Repositories) -> MeterValueRepository:
    return repositories.meter_values


def test_readings_round_trip_verbatim(meter_values: MeterValueRepository) -> None:
    # Given readings in both versions' shapes: strings, integers, floats, nested objects
    readings = [
        reading(0, {"value": "4200", "measurand": "Energy.Active.Import.Register", "unit": "Wh"}),
        reading(
            1,
            {"value": 3.2, "unitOfMeasure": {"unit": "kWh", "multiplier": 0}},
            {"value": 0.1 + 0.2, "measurand": "Current.Import", "phase": "L1"},
            {"value": 11000, "signedMeterValue": {"signedMeterData": "abc", "encodingMethod": "OCMF"}},
        ),
    ]

    # When they are stored and read back
    meter_values.put("CP-1#tx#1", readings)

    # Then they are exactly as sent
    assert meter_values.list("CP-1#tx#1") == readings


def test_the_same_message_stored_again_is_kept_once(meter_values: MeterValueRepository) -> None:
    # Given the readings of a message
    meter_values.put("CP-1#tx#1", [reading(0, {"value": "1"}), reading(1, {"value": "2"})])

    # When the same message is stored again (a resend)
    meter_values.put("CP-1#tx#1", [reading(0, {"value": "1"}), reading(1, {"value": "2"})])

    # Then it is stored once
    assert meter_values.list("CP-1#tx#1") == [reading(0, {"value": "1"}), reading(1, {"value": "2"})]


def test_different_messages_stamped_alike_are_both_kept(meter_values: MeterValueRepository) -> None:
    # When two messages begin with the same timestamp but differ in any value or in a later reading
    meter_values.put("CP-1#tx#1", [reading(0, {"value": "1"})])
    meter_values.put("CP-1#tx#1", [reading(0, {"value": "1", "unit": "kWh"})])
    meter_values.put("CP-1#tx#1", [reading(0, {"value": "1"}), reading(1, {"value": "2"})])

    # Then all three are kept
    assert [r.sampled_values for r in meter_values.list("CP-1#tx#1")] == [
        [{"value": "1"}],
        [{"value": "1", "unit": "kWh"}],
        [{"value": "1"}],
        [{"value": "2"}],
    ]


def test_readings_of_a_series_come_in_time_order_and_stay_in_their_series(meter_values: MeterValueRepository) -> None:
    # Given messages stored out of order in one series, and one in another series
    meter_values.put("CP-1#tx#1", [reading(20, {"value": "3"}), reading(10, {"value": "2"})])
    meter_values.put("CP-1#tx#1", [reading(0, {"value": "1"})])
    meter_values.put("CP-1#tx#2", [reading(5, {"value": "other"})])

    # When the series is read
    listed = meter_values.list("CP-1#tx#1")

    # Then its readings come in time order, without the other series'
    assert [r.sampled_values[0]["value"] for r in listed] == ["1", "2", "3"]


def test_an_unknown_series_is_empty(meter_values: MeterValueRepository) -> None:
    assert meter_values.list("CP-404#tx#1") == []
