"""Configuration a charge point reports: 1.6 configuration keys and 2.0.1 component variables.

Each version's reports arrive mapped into `ConfigurationVariable`s (`csms.commands.configuration_reports`).
Reports only add and update values; a value a charge point stops reporting stays as last seen.
"""

from dataclasses import replace

from csms.domain.configuration_variables import ConfigurationVariable
from csms.domain.ports import Clock, ConfigurationRepository

# Write-only secrets (1.6 AuthorizationKey, 2.0.1 SecurityCtrlr.BasicAuthPassword): never stored when set.
SECRETS = frozenset({(None, "AuthorizationKey"), ("SecurityCtrlr", "BasicAuthPassword")})


class ConfigurationService:
    def __init__(self, configuration: ConfigurationRepository, clock: Clock) -> None:
        self._configuration = configuration
        self._clock = clock

    def reported(self, charge_point_id: str) -> list[ConfigurationVariable]:
        """The configuration as the charge point last reported it."""
        return self._configuration.list(charge_point_id)

    def record_report(self, charge_point_id: str, variables: list[ConfigurationVariable]) -> None:
        """Values a charge point reported with their mutability (1.6 GetConfiguration, 2.0.1 NotifyReport)."""
        now = self._clock.now()
        self._configuration.put(charge_point_id, [replace(variable, reported_at=now) for variable in variables])

    def record_set(self, charge_point_id: str, variables: list[ConfigurationVariable]) -> None:
        """Values a charge point accepted to set (ChangeConfiguration, SetVariables): what it holds now (or after a
        restart, when it answered RebootRequired). Secrets are not kept."""
        kept = [variable for variable in variables if (variable.component, variable.variable) not in SECRETS]
        self.record_values(charge_point_id, kept)

    def record_values(self, charge_point_id: str, variables: list[ConfigurationVariable]) -> None:
        """Values a charge point read out (2.0.1 GetVariables), which do not say whether they can be
        changed: the mutability stays as last reported."""
        if not variables:
            return
        now = self._clock.now()
        known = {variable.identity: variable for variable in self._configuration.list(charge_point_id)}
        self._configuration.put(
            charge_point_id,
            [
                replace(
                    variable,
                    reported_at=now,
                    mutability=known[variable.identity].mutability if variable.identity in known else None,
                )
                for variable in variables
            ],
        )
