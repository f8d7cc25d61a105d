"""Configuration a charge point reports: 1.6 configuration keys and 2.0.1 component variables.

The payload parts arrive as the charge point sent them (camelCase), like sampled values do.
Reports only add and update values; a value a charge point stops reporting stays as last seen.
"""

from dataclasses import replace
from datetime import datetime
from typing import Any

from csms.domain.models import ConfigurationVariable
from csms.domain.ports import Clock, ConfigurationRepository

# OCPP 2.0.1 defaults of absent fields (AttributeEnumType, MutabilityEnumType).
DEFAULT_ATTRIBUTE_TYPE = "Actual"
DEFAULT_MUTABILITY = "ReadWrite"
ACCEPTED = "Accepted"


class ConfigurationService:
    def __init__(self, configuration: ConfigurationRepository, clock: Clock) -> None:
        self._configuration = configuration
        self._clock = clock

    def record_configuration_v16(self, charge_point_id: str, configuration_keys: list[dict[str, Any]]) -> None:
        """A 1.6 GetConfiguration answer: `configurationKey[]` of {key, readonly, value?}."""
        now = self._clock.now()
        self._configuration.put(
            charge_point_id,
            [
                ConfigurationVariable(
                    variable=entry["key"],
                    value=entry.get("value"),
                    mutability="ReadOnly" if entry["readonly"] else "ReadWrite",
                    reported_at=now,
                )
                for entry in configuration_keys
            ],
        )

    def record_report_v201(self, charge_point_id: str, report_data: list[dict[str, Any]]) -> None:
        """A 2.0.1 NotifyReport's `reportData[]`: every attribute of each component variable."""
        now = self._clock.now()
        self._configuration.put(
            charge_point_id,
            [
                _variable(
                    entry["component"],
                    entry["variable"],
                    attribute.get("type"),
                    attribute.get("value"),
                    attribute.get("mutability", DEFAULT_MUTABILITY),
                    now,
                )
                for entry in report_data
                for attribute in entry["variableAttribute"]
            ],
        )

    def record_variables_v201(self, charge_point_id: str, get_variable_results: list[dict[str, Any]]) -> None:
        """A 2.0.1 GetVariables answer's `getVariableResult[]`: the values of the Accepted ones.

        A result does not say whether the value can be changed: that stays as last reported.
        """
        now = self._clock.now()
        reported = [
            _variable(
                result["component"],
                result["variable"],
                result.get("attributeType"),
                result.get("attributeValue"),
                None,
                now,
            )
            for result in get_variable_results
            if result["attributeStatus"] == ACCEPTED
        ]
        if not reported:
            return
        known = {variable.identity: variable for variable in self._configuration.list(charge_point_id)}
        self._configuration.put(
            charge_point_id,
            [
                replace(variable, mutability=known[variable.identity].mutability)
                if variable.identity in known
                else variable
                for variable in reported
            ],
        )


def _variable(
    component: dict[str, Any],
    variable: dict[str, Any],
    attribute_type: str | None,
    value: str | None,
    mutability: str | None,
    at: datetime,
) -> ConfigurationVariable:
    evse = component.get("evse") or {}
    return ConfigurationVariable(
        component=component["name"],
        component_instance=component.get("instance"),
        evse_id=evse.get("id"),
        connector_id=evse.get("connectorId"),
        variable=variable["name"],
        variable_instance=variable.get("instance"),
        attribute_type=attribute_type or DEFAULT_ATTRIBUTE_TYPE,
        value=value,
        mutability=mutability,
        reported_at=at,
    )
