"""The configuration a charge point reports, per OCPP version, as `ConfigurationVariable`s.

OCPP 1.6 answers GetConfiguration with configuration keys; OCPP 2.0.1 reports component variables,
in GetVariables answers and in the NotifyReport messages that follow a GetBaseReport or GetReport
(whose mapper, at the OCPP edge, builds each one with `component_variable`). The parts are the
`ocpp` library's snake_case form.
"""

from typing import TYPE_CHECKING, Any

from csms.domain.configuration_variables import ConfigurationVariable

if TYPE_CHECKING:  # each version's classes are imported where an answer of that version is read
    from ocpp.v16 import call_result as call_result16
    from ocpp.v201 import call_result as call_result201

# OCPP 2.0.1 defaults of absent fields (AttributeEnumType, MutabilityEnumType).
DEFAULT_ATTRIBUTE_TYPE = "Actual"
DEFAULT_MUTABILITY = "ReadWrite"
ACCEPTED = "Accepted"


def configuration_keys(answer: "call_result16.GetConfiguration") -> list[ConfigurationVariable]:
    """A 1.6 GetConfiguration answer: each key a variable without a component, with only an Actual value."""
    return [
        ConfigurationVariable(
            variable=key["key"], value=key.get("value"), mutability="ReadOnly" if key["readonly"] else "ReadWrite"
        )
        for key in answer.configuration_key or []
    ]


def variable_values(answer: "call_result201.GetVariables") -> list[ConfigurationVariable]:
    """A 2.0.1 GetVariables answer: the values it could read (Accepted), without their mutability."""
    return [
        component_variable(
            result["component"], result["variable"], result.get("attribute_type"), result.get("attribute_value")
        )
        for result in answer.get_variable_result
        if result["attribute_status"] == ACCEPTED
    ]


def component_variable(
    component: dict[str, Any],
    variable: dict[str, Any],
    attribute_type: str | None,
    value: str | None,
    mutability: str | None = None,
) -> ConfigurationVariable:
    """One attribute of a 2.0.1 variable of a component (ComponentType, VariableType)."""
    evse = component.get("evse") or {}
    return ConfigurationVariable(
        component=component["name"],
        component_instance=component.get("instance"),
        evse_id=evse.get("id"),
        connector_id=evse.get("connector_id"),
        variable=variable["name"],
        variable_instance=variable.get("instance"),
        attribute_type=attribute_type or DEFAULT_ATTRIBUTE_TYPE,
        value=value,
        mutability=mutability,
    )
