"""A simulated charger caps its current at a charging profile's limit, however the library parsed the number:
1.6 SetChargingProfile is validated with decimal numbers, so a limit of 12.5 arrives as Decimal("12.5")."""

import random
from decimal import Decimal

import pytest

from csms.simulator.state import ChargerState, Session


@pytest.mark.parametrize(
    ("limit", "unit", "amps"), [(Decimal("12.5"), "A", 12.5), (16, "A", 16.0), (6900.0, "W", 10.0)]
)
def test_a_limit_caps_the_current_of_a_session(limit: Decimal | float, unit: str, amps: float) -> None:
    state = ChargerState.new("SIM-0001", 1, random.Random(1))
    connector = state.connectors[1]
    connector.session = Session(1, "SIM-TAG-01", ends_at=float("inf"))

    state.apply_limit(0, limit, unit)

    assert connector.current_amps == pytest.approx(amps)
    assert connector.power_w == pytest.approx(amps * 230 * 3)
