"""The `ConfigurationRepository` contract: reported values per charge point, each replacing the
stored one of the same identity (component, instance, EVSE, connector, variable, instance, attribute)."""

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from csms.domain.configuration_variables import ConfigurationVariable
from csms.domain.ports import ConfigurationRepository

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)

HEARTBEAT = ConfigurationVariable(variable="HeartbeatInterval", value="300", mutability="ReadWrite", reported_at=T0)
CONNECTOR_AVAILABLE = ConfigurationVariable(
    component="Connector",
    component_instance="CCS",
    evse_id=1,
    connector_id=2,
    variable="Available",
    variable_instance="Plug",
    attribute_type="Actual",
    value="true",
    mutability="ReadOnly",
    reported_at=T0,
)


def stored(configuration: ConfigurationRepository, charge_point_id: str) -> list[ConfigurationVariable]:
    return sorted(configuration.list(charge_point_id), key=lambda variable: repr(variable.identity))


def test_values_round_trip_per_charge_point(configuration: ConfigurationRepository) -> None:
    configuration.put("CP-1", [HEARTBEAT, CONNECTOR_AVAILABLE])

    assert stored(configuration, "CP-1") == [CONNECTOR_AVAILABLE, HEARTBEAT]
    assert configuration.list("CP-2") == []


def test_a_later_report_replaces_the_value_of_the_same_identity_only(configuration: ConfigurationRepository) -> None:
    configuration.put("CP-1", [HEARTBEAT, CONNECTOR_AVAILABLE])

    later = ConfigurationVariable(variable="HeartbeatInterval", value="60")
    configuration.put("CP-1", [later])

    assert stored(configuration, "CP-1") == [CONNECTOR_AVAILABLE, later]


def test_a_value_reported_twice_in_one_report_is_kept_as_last_reported(configuration: ConfigurationRepository) -> None:
    configuration.put("CP-1", [HEARTBEAT, replace(HEARTBEAT, value="60")])

    assert configuration.list("CP-1") == [replace(HEARTBEAT, value="60")]


@pytest.mark.parametrize(
    "other",
    [
        replace(CONNECTOR_AVAILABLE, component="Evse"),
        replace(CONNECTOR_AVAILABLE, component_instance=None),
        replace(CONNECTOR_AVAILABLE, evse_id=2),
        replace(CONNECTOR_AVAILABLE, connector_id=None),
        replace(CONNECTOR_AVAILABLE, variable="Enabled"),
        replace(CONNECTOR_AVAILABLE, variable_instance=None),
        replace(CONNECTOR_AVAILABLE, attribute_type="Target"),
    ],
)
def test_a_value_of_another_identity_is_kept_beside(
    configuration: ConfigurationRepository, other: ConfigurationVariable
) -> None:
    configuration.put("CP-1", [CONNECTOR_AVAILABLE])

    configuration.put("CP-1", [other])

    assert set(stored(configuration, "CP-1")) == {CONNECTOR_AVAILABLE, other}


@pytest.mark.parametrize(
    ("one", "other"),
    [
        (ConfigurationVariable("V", component="C"), ConfigurationVariable("V", component="C", component_instance="")),
        (ConfigurationVariable("V", component="C#"), ConfigurationVariable("V", component="C", component_instance="#")),
        (ConfigurationVariable("V#", variable_instance="1"), ConfigurationVariable("V", variable_instance="#1")),
        (ConfigurationVariable("V", component=""), ConfigurationVariable("V", component="%")),
    ],
)
def test_names_that_spell_alike_are_still_different_values(
    configuration: ConfigurationRepository, one: ConfigurationVariable, other: ConfigurationVariable
) -> None:
    # A charge point names components and variables as it likes: no name may overwrite another's value.
    configuration.put("CP-1", [one, other])

    assert set(stored(configuration, "CP-1")) == {one, other}
