"""What an accepted answer changes beyond the command itself, by action.

GetConfiguration / GetVariables answers update the stored configuration, and so do the settings an accepted
ChangeConfiguration / SetVariables carried (those the charger took); an accepted
ReserveNow records the reservation and an accepted CancelReservation ends it. An accepted
SetChargingProfile or ClearChargingProfile changes the charge point's installed profiles, and a
2.0.1 GetChargingProfiles says which of them its reports cover (NoProfiles: none is installed).
Packages above the commands add theirs (`on_accepted`): an accepted CertificateSigned makes the certificate
it carried the charger's one (`csms.pki`). Some effects read every answer, a refusal too (`on_answered`: a
GetInstalledCertificateIds answered NotFound says none is installed), or a failure (`on_failed`: a password
rotation the charge point refused or never received is called off).
"""

from collections.abc import Callable
from typing import Any

from csms.commands import profile_payloads
from csms.commands.configuration_reports import configuration_keys, variable_values
from csms.commands.models import Command, CommandError, CommandStatus
from csms.commands.setting_requests import CHANGE_CONFIGURATION, SET_VARIABLES, setting_answers
from csms.domain.charging_profiles.service import InstalledProfileService
from csms.domain.configuration import ConfigurationService
from csms.domain.ports import Clock
from csms.domain.reservations import ReservationService
from csms.timeutil import parse_timestamp
from csms.wire.ocpp_library import to_snake_case
from csms.wire.versions import OcppVersion

Effect = Callable[[Command, dict[str, Any]], None]
FailureEffect = Callable[[Command, CommandError], None]

NO_PROFILES = "NoProfiles"


class AnswerEffects:
    def __init__(
        self,
        configuration: ConfigurationService,
        reservations: ReservationService,
        installed_profiles: InstalledProfileService,
        clock: Clock,
    ) -> None:
        self._configuration = configuration
        self._reservations = reservations
        self._installed_profiles = installed_profiles
        self._clock = clock
        self._on_answered: dict[str, list[Effect]] = {}
        self._on_failed: dict[str, list[FailureEffect]] = {}
        self._effects: dict[str, Effect] = {
            "GetConfiguration": self._configuration_reported,
            "GetVariables": self._variables_reported,
            CHANGE_CONFIGURATION: self._settings_taken,
            SET_VARIABLES: self._settings_taken,
            "ReserveNow": self._reserved,
            "CancelReservation": self._reservation_cancelled,
            "SetChargingProfile": self._profile_set,
            "ClearChargingProfile": self._profiles_cleared,
            "GetChargingProfiles": self._profiles_requested,
        }

    def on_accepted(self, action: str, effect: Effect) -> "AnswerEffects":
        """Add the effect of an accepted `action` owned by a package above the commands (the CA's CertificateSigned)."""
        self._effects[action] = effect
        return self

    def on_answered(self, action: str, effect: Effect) -> "AnswerEffects":
        """Add an effect of every answer to `action`, whatever its status (the effect reads it)."""
        self._on_answered.setdefault(action, []).append(effect)
        return self

    def on_failed(self, action: str, effect: FailureEffect) -> "AnswerEffects":
        """Add what a failure of `action` (CALLERROR, no answer, offline, ...) changes."""
        self._on_failed.setdefault(action, []).append(effect)
        return self

    def apply(self, command: Command, status: CommandStatus, response: dict[str, Any]) -> None:
        effect = self._effects.get(command.action)
        if effect is not None and status is CommandStatus.ACCEPTED:
            effect(command, response)
        for answered in self._on_answered.get(command.action, []):
            answered(command, response)

    def failed(self, command: Command, error: CommandError) -> None:
        for effect in self._on_failed.get(command.action, []):
            effect(command, error)

    # Each version's generated classes are imported by the first answer of that version: a cold
    # start imports only what its invocation needs (`bench.cold_import`).
    def _configuration_reported(self, command: Command, response: dict[str, Any]) -> None:
        from ocpp.v16 import call_result as call_result16  # noqa: PLC0415

        answer = call_result16.GetConfiguration(**to_snake_case(response))
        self._configuration.record_report(command.charge_point_id, configuration_keys(answer))

    def _variables_reported(self, command: Command, response: dict[str, Any]) -> None:
        from ocpp.v201 import call_result as call_result201  # noqa: PLC0415

        answer = call_result201.GetVariables(**to_snake_case(response))
        self._configuration.record_values(command.charge_point_id, variable_values(answer))

    def _settings_taken(self, command: Command, response: dict[str, Any]) -> None:
        answers = setting_answers(command.action, command.request, response)
        self._configuration.record_set(command.charge_point_id, [answer.setting for answer in answers if answer.taken])

    def _reserved(self, command: Command, response: dict[str, Any]) -> None:
        request = command.request
        if command.ocpp_version is OcppVersion.V16:
            self._reservations.reserved(
                command.charge_point_id,
                reservation_id=int(request["reservationId"]),
                id_token=request["idTag"],
                expiry=parse_timestamp(request["expiryDate"]),
                connector_id=request.get("connectorId"),
            )
        else:
            self._reservations.reserved(
                command.charge_point_id,
                reservation_id=int(request["id"]),
                id_token=request["idToken"]["idToken"],
                expiry=parse_timestamp(request["expiryDateTime"]),
                evse_id=request.get("evseId"),
            )

    def _reservation_cancelled(self, command: Command, response: dict[str, Any]) -> None:
        self._reservations.cancelled(command.charge_point_id, int(command.request["reservationId"]))

    def _profile_set(self, command: Command, response: dict[str, Any]) -> None:
        version = command.ocpp_version
        profile = profile_payloads.set_profile(version, command.request, self._clock.now())
        self._installed_profiles.profile_set(command.charge_point_id, version, profile)

    def _profiles_cleared(self, command: Command, response: dict[str, Any]) -> None:
        criteria = profile_payloads.clear_criteria(command.ocpp_version, command.request)
        self._installed_profiles.cleared(command.charge_point_id, criteria)

    def _profiles_requested(self, command: Command, response: dict[str, Any]) -> None:
        query = profile_payloads.profile_query(command.request)
        if response.get("status") == NO_PROFILES:
            self._installed_profiles.none_matched(command.charge_point_id, query)
        else:
            self._installed_profiles.report_requested(command.charge_point_id, query)
