"""The configuration settings format: parsed, refused with every reason, split by OCPP version, and the commands
that set a charger's share (1.6 one ChangeConfiguration per key, 2.0.1 one SetVariables)."""

from typing import Any

import pytest

from csms.commands.setting_requests import setting_answers, setting_requests
from csms.domain.configuration_settings import as_entries, for_version, parse_settings
from csms.domain.violations import InvalidValuesError
from csms.wire.versions import OcppVersion

KEY = {"key": "HeartbeatInterval", "value": "300"}
VARIABLE = {
    "component": {"name": "EVSE", "evse": {"id": 1, "connectorId": 1}},
    "variable": {"name": "Power", "instance": "Max"},
    "value": "11000",
    "attributeType": "MaxSet",
}


def test_a_list_of_both_kinds_is_split_by_version_and_shown_as_given() -> None:
    settings = parse_settings([KEY, VARIABLE])
    assert as_entries(for_version(settings, OcppVersion.V16)) == [KEY]
    assert as_entries(for_version(settings, OcppVersion.V201)) == [VARIABLE]


@pytest.mark.parametrize(
    ("entries", "reason"),
    [
        ("HeartbeatInterval=300", "settings: a list of entries"),
        ([{"value": "1"}], "settings[0]: a 1.6 key ('key', 'value') or a 2.0.1 variable"),
        ([{"key": "", "value": "1"}], "settings[0].key: a non-empty string"),
        ([{"key": "K" * 51, "value": "1"}], "settings[0].key: at most 50 characters"),
        ([{"key": "HeartbeatInterval", "value": 300}], "settings[0].value: a string"),
        ([{**KEY, "readonly": False}], "settings[0].readonly: unknown field"),
        ([KEY, KEY], "settings[1]: sets what an earlier entry sets"),
        ([{**VARIABLE, "attributeType": "Maximum"}], "settings[0].attributeType: one of Actual, Target"),
        ([{**VARIABLE, "component": {"name": "EVSE", "evse": {"id": -1}}}], "settings[0].component.evse.id"),
        ([{"variable": {"name": "HeartbeatInterval"}, "value": "1"}], "settings[0].component: an object"),
    ],
)
def test_faults_are_refused_with_their_reasons(entries: Any, reason: str) -> None:
    with pytest.raises(InvalidValuesError) as refused:
        parse_settings(entries)
    assert any(found.startswith(reason) for found in refused.value.reasons), refused.value.reasons


def test_1_6_sets_one_key_per_change_configuration() -> None:
    settings = parse_settings([KEY, {"key": "MeterValueSampleInterval", "value": "60"}, VARIABLE])
    requests = setting_requests(OcppVersion.V16, for_version(settings, OcppVersion.V16))
    assert [(r.action, r.payload) for r in requests] == [
        ("ChangeConfiguration", KEY),
        ("ChangeConfiguration", {"key": "MeterValueSampleInterval", "value": "60"}),
    ]


def test_2_0_1_sets_every_variable_in_one_set_variables_and_reads_the_answer_per_variable() -> None:
    settings = for_version(parse_settings([VARIABLE, {**VARIABLE, "attributeType": "Actual"}]), OcppVersion.V201)
    (request,) = setting_requests(OcppVersion.V201, settings)
    assert request.action == "SetVariables"
    assert request.payload["setVariableData"][0] == {
        "component": VARIABLE["component"],
        "variable": VARIABLE["variable"],
        "attributeValue": "11000",
        "attributeType": "MaxSet",
    }
    response = {
        "setVariableResult": [
            {"attributeStatus": "Rejected", "attributeType": "Actual", **_names()},
            {"attributeStatus": "RebootRequired", "attributeType": "MaxSet", **_names()},
        ]
    }
    answers = setting_answers("SetVariables", request.payload, response)
    assert [(a.setting.attribute_type, a.setting.value, a.status, a.taken) for a in answers] == [
        ("Actual", "11000", "Rejected", False),
        ("MaxSet", "11000", "RebootRequired", True),
    ]


def _names() -> dict[str, Any]:
    return {"component": VARIABLE["component"], "variable": VARIABLE["variable"]}
