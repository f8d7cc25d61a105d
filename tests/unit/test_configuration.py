"""Configuration a charge point reports, kept by the ConfigurationService over the in-memory fakes.

How each version's payloads become `ConfigurationVariable`s: tests/unit/test_configuration_reports.py.
"""

import pytest

from csms.composition import Services
from csms.domain.configuration import ConfigurationService
from csms.domain.configuration_variables import ConfigurationVariable
from tests.fakes import FixedClock


@pytest.fixture
def configuration(fake_services: Services) -> ConfigurationService:
    return fake_services.configuration


def stored(services: Services, charge_point_id: str = "CP-1") -> list[tuple[object, ...]]:
    return sorted(
        (v.component, v.variable, v.attribute_type, v.value, v.mutability)
        for v in services.repositories.configuration.list(charge_point_id)
    )


def test_a_report_is_kept_value_by_value_as_of_now(
    configuration: ConfigurationService, fake_services: Services, clock: FixedClock
) -> None:
    # When a charge point reports its configuration (a value it does not show included)
    configuration.record_report(
        "CP-1",
        [
            ConfigurationVariable("HeartbeatInterval", value="300", mutability="ReadWrite"),
            ConfigurationVariable("NumberOfConnectors", value="2", mutability="ReadOnly"),
            ConfigurationVariable("AuthorizationKey", mutability="ReadWrite"),
        ],
    )

    # Then every value is kept as reported, stamped with the time it was
    assert stored(fake_services) == [
        (None, "AuthorizationKey", "Actual", None, "ReadWrite"),
        (None, "HeartbeatInterval", "Actual", "300", "ReadWrite"),
        (None, "NumberOfConnectors", "Actual", "2", "ReadOnly"),
    ]
    assert {v.reported_at for v in fake_services.repositories.configuration.list("CP-1")} == {clock.now()}


def test_a_later_report_replaces_the_values_it_reports(
    configuration: ConfigurationService, fake_services: Services, clock: FixedClock
) -> None:
    configuration.record_report("CP-1", [ConfigurationVariable("HeartbeatInterval", value="300")])
    clock.advance(minutes=5)

    configuration.record_report("CP-1", [ConfigurationVariable("HeartbeatInterval", value="60")])

    [variable] = fake_services.repositories.configuration.list("CP-1")
    assert (variable.value, variable.reported_at) == ("60", clock.now())


def test_values_read_out_update_the_reported_ones_and_keep_their_mutability(
    configuration: ConfigurationService, fake_services: Services
) -> None:
    # Given a reported variable that cannot be changed
    configuration.record_report(
        "CS-1", [ConfigurationVariable("SecurityProfile", component="SecurityCtrlr", value="1", mutability="ReadOnly")]
    )

    # When values are read out (GetVariables): that one again, and a new one
    configuration.record_values(
        "CS-1",
        [
            ConfigurationVariable("SecurityProfile", component="SecurityCtrlr", value="2"),
            ConfigurationVariable("Power", component="EVSE", evse_id=1, attribute_type="Target", value="11000"),
        ],
    )

    # Then both values are kept; a value read says nothing about mutability, so the reported one stays
    assert stored(fake_services, "CS-1") == [
        ("EVSE", "Power", "Target", "11000", None),
        ("SecurityCtrlr", "SecurityProfile", "Actual", "2", "ReadOnly"),
    ]


def test_no_value_read_out_writes_nothing(configuration: ConfigurationService, fake_services: Services) -> None:
    configuration.record_values("CS-1", [])

    assert fake_services.repositories.configuration.list("CS-1") == []
