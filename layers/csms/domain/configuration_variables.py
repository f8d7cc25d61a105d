"""One configuration value of a charge point: what it reported, or a setting the CSMS applies."""

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class ConfigurationVariable:
    """One configuration value a charge point reported.

    OCPP 2.0.1 reports an attribute (Actual, Target, MinSet, MaxSet) of a variable of a component;
    an OCPP 1.6 configuration key is a variable without a component, with only an Actual value.
    """

    variable: str
    component: str | None = None
    component_instance: str | None = None
    evse_id: int | None = None
    connector_id: int | None = None
    variable_instance: str | None = None
    attribute_type: str = "Actual"
    value: str | None = None
    mutability: str | None = None  # ReadOnly, ReadWrite or WriteOnly
    reported_at: datetime | None = None

    @property
    def identity(self) -> tuple[object, ...]:
        """What a later report of the same value shares with this one."""
        return (
            self.component,
            self.component_instance,
            self.evse_id,
            self.connector_id,
            self.variable,
            self.variable_instance,
            self.attribute_type,
        )
