"""Configuration settings (`csms.domain.configuration_settings`) as the commands that set them, and the
charger's answers to those commands read back setting by setting.

1.6 sets one key per ChangeConfiguration; 2.0.1 sets them all in one SetVariables. A setting is taken when the
charger answers Accepted, or RebootRequired (taken, in force after a restart).
"""

from dataclasses import dataclass, replace
from typing import Any

from csms.commands.configuration_reports import component_variable
from csms.commands.shortcuts import CommandRequest
from csms.domain.configuration_settings import Settings, as_entries
from csms.domain.configuration_variables import ConfigurationVariable
from csms.wire.ocpp_library import to_snake_case
from csms.wire.versions import OcppVersion

CHANGE_CONFIGURATION, SET_VARIABLES = "ChangeConfiguration", "SetVariables"
SETTING_ACTIONS = (CHANGE_CONFIGURATION, SET_VARIABLES)
TAKEN = frozenset({"Accepted", "RebootRequired"})
REBOOT_REQUIRED = "RebootRequired"


@dataclass(frozen=True)
class SettingAnswer:
    setting: ConfigurationVariable  # with the value sent
    status: str  # as the charger answered: Accepted, RebootRequired, Rejected, NotSupported, UnknownComponent, ...

    @property
    def taken(self) -> bool:
        return self.status in TAKEN


def setting_requests(version: OcppVersion, settings: Settings) -> list[CommandRequest]:
    """The commands that set `settings` (all of `version`) on a charger of that version."""
    if not settings:
        return []
    if version is OcppVersion.V16:
        return [CommandRequest(CHANGE_CONFIGURATION, entry) for entry in as_entries(settings)]
    data = [
        {
            "component": entry["component"],
            "variable": entry["variable"],
            "attributeValue": entry["value"],
            "attributeType": entry["attributeType"],
        }
        for entry in as_entries(settings)
    ]
    return [CommandRequest(SET_VARIABLES, {"setVariableData": data})]


def setting_answers(action: str, request: dict[str, Any], response: dict[str, Any]) -> list[SettingAnswer]:
    """Each setting a ChangeConfiguration or SetVariables `request` carried, with the charger's status for it."""
    if action == CHANGE_CONFIGURATION:
        setting = ConfigurationVariable(variable=request["key"], value=request["value"])
        return [SettingAnswer(setting, str(response.get("status")))]
    sent = {_variable(data).identity: data["attributeValue"] for data in request.get("setVariableData", [])}
    answers = []
    for result in response.get("setVariableResult", []):
        setting = _variable(result)
        if setting.identity in sent:
            status = str(result["attributeStatus"])
            answers.append(SettingAnswer(replace(setting, value=sent[setting.identity]), status))
    return answers


def _variable(data: dict[str, Any]) -> ConfigurationVariable:
    """The variable a SetVariableData or SetVariableResult names (camelCase, as sent and received)."""
    parts = to_snake_case({"component": data["component"], "variable": data["variable"]})
    return component_variable(parts["component"], parts["variable"], data.get("attributeType"), None)
