"""Configuration settings an operator wants chargers to hold (provisioning, configuration campaigns).

The format, shared by every feature that changes configuration: a list of entries, each either a 1.6
configuration key, `{"key": "HeartbeatInterval", "value": "300"}`, or a 2.0.1 variable of a component,
`{"component": {"name", "instance"?, "evse"?: {"id", "connectorId"?}}, "variable": {"name", "instance"?},
"value": "...", "attributeType"?: "Actual"}`. One list may carry both kinds; a charger gets the entries its
version speaks (`for_version`). Each entry becomes a `ConfigurationVariable` (a 1.6 key has no component), the
type the stored configuration is made of, so what a charger accepted updates it as it is.
"""

from typing import Any

from csms.domain.configuration_variables import ConfigurationVariable
from csms.domain.violations import InvalidValuesError
from csms.wire.versions import OcppVersion

Settings = tuple[ConfigurationVariable, ...]

MAX_SETTINGS = 200
# The schemas' lengths: 1.6 CiString50 keys and CiString500 values; 2.0.1 CiString50 names and instances,
# attribute values of at most 1000 characters.
KEY_LENGTH, VALUE_LENGTH_16 = 50, 500
NAME_LENGTH, VALUE_LENGTH_201 = 50, 1000
ATTRIBUTE_TYPES = ("Actual", "Target", "MinSet", "MaxSet")
_KEY_FIELDS = {"key", "value"}
_VARIABLE_FIELDS = {"component", "variable", "value", "attributeType"}


def parse_settings(entries: Any) -> Settings:
    """The settings `entries` describe; raises `InvalidValuesError` with one reason per fault."""
    if not isinstance(entries, list):
        raise InvalidValuesError(["settings: a list of entries"])
    reasons: list[str] = []
    if len(entries) > MAX_SETTINGS:
        reasons.append(f"settings: at most {MAX_SETTINGS} entries")
    settings: list[ConfigurationVariable] = []
    for index, entry in enumerate(entries):
        where = f"settings[{index}]"
        setting = _setting(entry, where, reasons)
        if setting is None:
            continue
        if any(earlier.identity == setting.identity for earlier in settings):
            reasons.append(f"{where}: sets what an earlier entry sets")
        settings.append(setting)
    if reasons:
        raise InvalidValuesError(reasons)
    return tuple(settings)


def version_of(setting: ConfigurationVariable) -> OcppVersion:
    """The OCPP version that speaks this setting: 2.0.1 for a component's variable, 1.6 for a key."""
    return OcppVersion.V16 if setting.component is None else OcppVersion.V201


def for_version(settings: Settings, version: OcppVersion) -> Settings:
    return tuple(setting for setting in settings if version_of(setting) is version)


def as_entries(settings: Settings) -> list[dict[str, Any]]:
    """The settings in the format `parse_settings` reads (what the API shows and the store keeps)."""
    return [_entry(setting) for setting in settings]


def _entry(setting: ConfigurationVariable) -> dict[str, Any]:
    if setting.component is None:
        return {"key": setting.variable, "value": setting.value}
    component: dict[str, Any] = {"name": setting.component}
    if setting.component_instance is not None:
        component["instance"] = setting.component_instance
    if setting.evse_id is not None:
        component["evse"] = {"id": setting.evse_id}
        if setting.connector_id is not None:
            component["evse"]["connectorId"] = setting.connector_id
    variable: dict[str, Any] = {"name": setting.variable}
    if setting.variable_instance is not None:
        variable["instance"] = setting.variable_instance
    attribute_type = setting.attribute_type
    return {"component": component, "variable": variable, "value": setting.value, "attributeType": attribute_type}


def _setting(entry: Any, where: str, reasons: list[str]) -> ConfigurationVariable | None:
    if not isinstance(entry, dict):
        reasons.append(f"{where}: an object")
        return None
    if "key" in entry:
        return _key_setting(entry, where, reasons)
    if "component" in entry or "variable" in entry:
        return _variable_setting(entry, where, reasons)
    reasons.append(f"{where}: a 1.6 key ('key', 'value') or a 2.0.1 variable ('component', 'variable', 'value')")
    return None


def _key_setting(entry: dict[str, Any], where: str, reasons: list[str]) -> ConfigurationVariable | None:
    found = len(reasons)
    _no_other_fields(entry, _KEY_FIELDS, where, reasons)
    key = _text(entry.get("key"), f"{where}.key", KEY_LENGTH, reasons)
    value = _text(entry.get("value"), f"{where}.value", VALUE_LENGTH_16, reasons, empty=True)
    if len(reasons) > found or key is None or value is None:
        return None
    return ConfigurationVariable(variable=key, value=value)


def _variable_setting(entry: dict[str, Any], where: str, reasons: list[str]) -> ConfigurationVariable | None:
    found = len(reasons)
    _no_other_fields(entry, _VARIABLE_FIELDS, where, reasons)
    component = _part(entry.get("component"), f"{where}.component", {"name", "instance", "evse"}, reasons)
    variable = _part(entry.get("variable"), f"{where}.variable", {"name", "instance"}, reasons)
    value = _text(entry.get("value"), f"{where}.value", VALUE_LENGTH_201, reasons, empty=True)
    attribute_type = entry.get("attributeType", "Actual")
    if attribute_type not in ATTRIBUTE_TYPES:
        reasons.append(f"{where}.attributeType: one of {', '.join(ATTRIBUTE_TYPES)}")
    evse_id, connector_id = _evse(component.get("evse") if component else None, f"{where}.component.evse", reasons)
    if len(reasons) > found or component is None or variable is None or value is None:
        return None
    return ConfigurationVariable(
        component=component["name"],
        component_instance=component.get("instance"),
        evse_id=evse_id,
        connector_id=connector_id,
        variable=variable["name"],
        variable_instance=variable.get("instance"),
        attribute_type=attribute_type,
        value=value,
    )


def _part(part: Any, where: str, fields: set[str], reasons: list[str]) -> dict[str, Any] | None:
    """A component or variable: a name and an optional instance (a component also an EVSE)."""
    if not isinstance(part, dict):
        reasons.append(f"{where}: an object with a 'name'")
        return None
    found = len(reasons)
    _no_other_fields(part, fields, where, reasons)
    _text(part.get("name"), f"{where}.name", NAME_LENGTH, reasons)
    if "instance" in part:
        _text(part["instance"], f"{where}.instance", NAME_LENGTH, reasons)
    return part if len(reasons) == found else None


def _evse(evse: Any, where: str, reasons: list[str]) -> tuple[int | None, int | None]:
    if evse is None:
        return None, None
    if not isinstance(evse, dict):
        reasons.append(f"{where}: an object with an 'id'")
        return None, None
    _no_other_fields(evse, {"id", "connectorId"}, where, reasons)
    evse_id = _count(evse.get("id"), f"{where}.id", reasons)
    connector_id = _count(evse["connectorId"], f"{where}.connectorId", reasons) if "connectorId" in evse else None
    return evse_id, connector_id


def _count(value: Any, where: str, reasons: list[str]) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        reasons.append(f"{where}: an integer not below 0")
        return None
    return value


def _text(value: Any, where: str, length: int, reasons: list[str], empty: bool = False) -> str | None:
    if not isinstance(value, str) or (not value and not empty):
        reasons.append(f"{where}: a {'' if empty else 'non-empty '}string")
        return None
    if len(value) > length:
        reasons.append(f"{where}: at most {length} characters")
        return None
    return value


def _no_other_fields(part: dict[str, Any], fields: set[str], where: str, reasons: list[str]) -> None:
    reasons.extend(f"{where}.{name}: unknown field" for name in sorted(set(part) - fields))
