"""A function's environment is read and checked once, as it starts."""

import pytest

from csms import constants, tables
from csms.settings import Settings


def test_the_environment_gives_each_setting_its_type(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(constants.ENV_HEARTBEAT_INTERVAL_SECONDS, "120")
    monkeypatch.setenv(constants.ENV_ACCEPT_UNKNOWN_CHARGE_POINTS, "true")
    monkeypatch.setenv(constants.ENV_COST_UPDATE_INTERVAL_SECONDS, "1.5")

    settings = Settings.from_environment()

    assert settings.heartbeat_interval_seconds == 120
    assert settings.accept_unknown_charge_points is True
    assert settings.cost_update_interval_seconds == 1.5
    assert settings.command_queue_limit == 100  # its default


def test_a_table_name_is_the_value_of_its_variable() -> None:
    settings = Settings.from_environment()

    assert settings.table_name(tables.CHARGE_POINTS) == settings.charge_points_table


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        (constants.ENV_HEARTBEAT_INTERVAL_SECONDS, "600"),
        (constants.ENV_HEARTBEAT_INTERVAL_SECONDS, "soon"),
        (constants.ENV_ACCEPT_UNKNOWN_CHARGE_POINTS, "maybe"),
        (constants.ENV_COST_UPDATE_INTERVAL_SECONDS, "0"),
    ],
)
def test_an_invalid_value_stops_the_start(monkeypatch: pytest.MonkeyPatch, variable: str, value: str) -> None:
    monkeypatch.setenv(variable, value)

    with pytest.raises(ValueError, match=variable):
        Settings.from_environment()


def test_a_missing_table_stops_the_start(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(constants.ENV_CALLS_TABLE)

    with pytest.raises(ValueError, match=constants.ENV_CALLS_TABLE):
        Settings.from_environment()
