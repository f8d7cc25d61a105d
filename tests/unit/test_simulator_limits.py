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

    state.apply_limit(0, limit, unit, "TxProfile")

    assert connector.current_amps == pytest.approx(amps)
    assert connector.power_w == pytest.approx(amps * 230 * 3)


def test_a_tx_profile_ends_with_its_session_and_the_next_starts_at_the_default_profile() -> None:
    # Given a TxDefaultProfile of 0 A for the whole charger and a session raised by its TxProfile to 16 A
    state = ChargerState.new("SIM-0001", 2, random.Random(1))
    first, second = state.connectors[1], state.connectors[2]
    first.session = Session(1, "SIM-TAG-01", ends_at=float("inf"))
    state.apply_limit(0, 0, "A", "TxDefaultProfile")
    state.apply_limit(1, Decimal(16), "A", "TxProfile")
    assert first.current_amps == 16

    # When the session ends and another starts on the same connector
    first.end_session()
    first.session = Session(1, "SIM-TAG-02", ends_at=float("inf"))

    # Then it draws nothing until its own TxProfile arrives; a TxDefaultProfile does not lower a TxProfile
    assert first.current_amps == 0
    second.session = Session(2, "SIM-TAG-03", ends_at=float("inf"))
    state.apply_limit(2, 10, "A", "TxProfile")
    state.apply_limit(0, 6, "A", "TxDefaultProfile")
    assert (first.current_amps, second.current_amps) == (6, 10)
