"""Configuration answers per version, table by table: a GetConfiguration (1.6) or GetVariables (2.0.1) answer as
received -> the `ConfigurationVariable`s it reports. (NotifyReport: tests/unit/test_v201_mappers.py.)"""

from typing import Any

import pytest
from ocpp.v16 import call_result as call_result16
from ocpp.v201 import call_result as call_result201

from csms.commands.configuration_reports import configuration_keys, variable_values
from csms.domain.configuration_variables import ConfigurationVariable
from csms.wire.ocpp_library import to_snake_case


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ({}, []),
        ({"configurationKey": [], "unknownKey": ["Foo"]}, []),
        (
            {
                "configurationKey": [
                    {"key": "HeartbeatInterval", "readonly": False, "value": "300"},
                    {"key": "NumberOfConnectors", "readonly": True, "value": "2"},
                    {"key": "AuthorizationKey", "readonly": False},
                ]
            },
            [
                ConfigurationVariable("HeartbeatInterval", value="300", mutability="ReadWrite"),
                ConfigurationVariable("NumberOfConnectors", value="2", mutability="ReadOnly"),
                ConfigurationVariable("AuthorizationKey", mutability="ReadWrite"),
            ],
        ),
    ],
)
def test_get_configuration_keys_are_variables_without_a_component(
    answer: dict[str, Any], expected: list[ConfigurationVariable]
) -> None:
    assert configuration_keys(call_result16.GetConfiguration(**to_snake_case(answer))) == expected


@pytest.mark.parametrize(
    ("result", "expected"),
    [
        (
            {
                "attributeStatus": "Accepted",
                "component": {"name": "OCPPCommCtrlr"},
                "variable": {"name": "HeartbeatInterval"},
                "attributeValue": "60",
            },
            [ConfigurationVariable("HeartbeatInterval", component="OCPPCommCtrlr", value="60")],
        ),
        (
            {
                "attributeStatus": "Accepted",
                "attributeType": "Target",
                "component": {"name": "EVSE", "instance": "main", "evse": {"id": 1, "connectorId": 2}},
                "variable": {"name": "Power", "instance": "max"},
                "attributeValue": "11000",
            },
            [
                ConfigurationVariable(
                    "Power",
                    component="EVSE",
                    component_instance="main",
                    evse_id=1,
                    connector_id=2,
                    variable_instance="max",
                    attribute_type="Target",
                    value="11000",
                )
            ],
        ),
        (
            {"attributeStatus": "Accepted", "component": {"name": "X"}, "variable": {"name": "Y"}},
            [ConfigurationVariable("Y", component="X")],
        ),
        ({"attributeStatus": "UnknownVariable", "component": {"name": "X"}, "variable": {"name": "Y"}}, []),
        ({"attributeStatus": "Rejected", "component": {"name": "X"}, "variable": {"name": "Y"}}, []),
    ],
)
def test_get_variables_gives_the_values_it_could_read_without_their_mutability(
    result: dict[str, Any], expected: list[ConfigurationVariable]
) -> None:
    answer = call_result201.GetVariables(**to_snake_case({"getVariableResult": [result]}))

    assert variable_values(answer) == expected
