"""Configuration from GetConfiguration (1.6) and GetVariables (2.0.1) answers, over the in-memory fakes."""

import pytest

from csms.domain.configuration import ConfigurationService
from csms.services import Services
from tests.fakes import FixedClock


@pytest.fixture
def configuration(fake_services: Services) -> ConfigurationService:
    return fake_services.configuration


def stored(services: Services, charge_point_id: str = "CP-1") -> list[tuple[object, ...]]:
    return sorted(
        (v.component, v.variable, v.attribute_type, v.value, v.mutability)
        for v in services.repositories.configuration.list(charge_point_id)
    )


def test_a_16_configuration_is_kept_key_by_key(configuration: ConfigurationService, fake_services: Services) -> None:
    # When a 1.6 charge point answers GetConfiguration (a key without value included)
    configuration.record_configuration_v16(
        "CP-1",
        [
            {"key": "HeartbeatInterval", "readonly": False, "value": "300"},
            {"key": "NumberOfConnectors", "readonly": True, "value": "2"},
            {"key": "AuthorizationKey", "readonly": False},
        ],
    )

    # Then every key is kept as an Actual value without a component, ReadOnly where the charger says so
    assert stored(fake_services) == [
        (None, "AuthorizationKey", "Actual", None, "ReadWrite"),
        (None, "HeartbeatInterval", "Actual", "300", "ReadWrite"),
        (None, "NumberOfConnectors", "Actual", "2", "ReadOnly"),
    ]


def test_a_later_16_answer_replaces_the_values_it_reports(
    configuration: ConfigurationService, fake_services: Services, clock: FixedClock
) -> None:
    configuration.record_configuration_v16("CP-1", [{"key": "HeartbeatInterval", "readonly": False, "value": "300"}])
    clock.advance(minutes=5)

    configuration.record_configuration_v16("CP-1", [{"key": "HeartbeatInterval", "readonly": False, "value": "60"}])

    [variable] = fake_services.repositories.configuration.list("CP-1")
    assert (variable.value, variable.reported_at) == ("60", clock.now())


def test_get_variables_results_update_accepted_values_and_keep_the_reported_mutability(
    configuration: ConfigurationService, fake_services: Services
) -> None:
    # Given a reported variable that cannot be changed
    configuration.record_report_v201(
        "CS-1",
        [
            {
                "component": {"name": "SecurityCtrlr"},
                "variable": {"name": "SecurityProfile"},
                "variableAttribute": [{"value": "1", "mutability": "ReadOnly"}],
            }
        ],
    )

    # When a GetVariables answer reports it again, plus a new value and one it refused
    configuration.record_variables_v201(
        "CS-1",
        [
            {
                "attributeStatus": "Accepted",
                "component": {"name": "SecurityCtrlr"},
                "variable": {"name": "SecurityProfile"},
                "attributeValue": "2",
            },
            {
                "attributeStatus": "Accepted",
                "attributeType": "Target",
                "component": {"name": "EVSE", "evse": {"id": 1}},
                "variable": {"name": "Power"},
                "attributeValue": "11000",
            },
            {"attributeStatus": "UnknownVariable", "component": {"name": "X"}, "variable": {"name": "Y"}},
        ],
    )

    # Then the accepted values are kept; a result says nothing about mutability, so the reported one stays
    assert stored(fake_services, "CS-1") == [
        ("EVSE", "Power", "Target", "11000", None),
        ("SecurityCtrlr", "SecurityProfile", "Actual", "2", "ReadOnly"),
    ]


def test_get_variables_without_an_accepted_result_reads_and_writes_nothing(
    configuration: ConfigurationService, fake_services: Services
) -> None:
    configuration.record_variables_v201(
        "CS-1", [{"attributeStatus": "Rejected", "component": {"name": "X"}, "variable": {"name": "Y"}}]
    )

    assert fake_services.repositories.configuration.list("CS-1") == []
