"""The provisioning profile in the operator API: what a charger (or a site, as its chargers' default) must hold
before it is put to work, and how far a charger got (`csms.domain.provisioning`)."""

from datetime import datetime
from typing import Any

from pydantic import Field

from csms.api.api_model import ApiModel
from csms.domain.configuration_settings import MAX_SETTINGS, Settings, as_entries, parse_settings

SETTINGS_DESCRIPTION = (
    '1.6 configuration keys `{"key", "value"}` and 2.0.1 component variables `{"component": {"name", '
    '"instance"?, "evse"?: {"id", "connectorId"?}}, "variable": {"name", "instance"?}, "value", '
    '"attributeType"?: "Actual"}`; each charger gets those its version speaks. Faults: 422 with every reason'
)


class ProvisioningBody(ApiModel):
    settings: list[dict[str, Any]] = Field(max_length=MAX_SETTINGS, description=SETTINGS_DESCRIPTION)

    def parsed(self) -> Settings:
        """Raises `InvalidValuesError` with every reason."""
        return parse_settings(self.settings)

    @classmethod
    def of(cls, settings: Settings) -> "ProvisioningBody":
        return cls(settings=as_entries(settings))


class ProvisioningView(ApiModel):
    settings: list[dict[str, Any]] = Field(description="The profile in force (the charger's own, else its site's)")
    source: str | None = Field(description="charger (its own), site (its site's default) or null (none)")
    status: str | None = Field(
        description="Pending (applied at its next boot), Applying (its boots are answered Pending while the "
        "settings are set), Applied (every setting taken: its boots are Accepted), Rejected (it refused a setting: "
        "Pending until the profile changes), Failed (a command failed: applied again at its next boot); null: none"
    )
    reason: str | None = Field(description="Why it is Rejected or Failed")
    updated_at: datetime | None
