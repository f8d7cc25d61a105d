"""What a campaign sends each charger, and how the outcomes of those commands read.

`configuration`: the configuration settings format (`csms.domain.configuration_settings`), each charger the
entries of its version as `csms.commands.setting_requests` sends them (1.6 one ChangeConfiguration per key,
2.0.1 one SetVariables); it succeeds when the charger took every setting (Accepted or RebootRequired).
`command`: one action of one OCPP version with its payload, validated as `/commands` validates it; it succeeds when
the command is Accepted and its follow-up (a reset coming back, a firmware installed) turned out well.
`firmware`: a registered image (`csms.firmware`) installed by chargers of its vendor and model, both versions; what
each is sent and when it succeeded is `csms.campaigns.firmware_updates`'s.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from csms.campaigns.command_outcomes import awaited, refusal
from csms.campaigns.firmware_updates import FirmwareUpdate, parse_firmware
from csms.campaigns.models import ChargerState, OperationKind, Verdict
from csms.commands.errors import InvalidCommandError
from csms.commands.models import Command, CommandStatus
from csms.commands.setting_requests import setting_answers, setting_requests
from csms.commands.shortcuts import CommandRequest
from csms.commands.validation import validate_command
from csms.domain.configuration_settings import Settings, for_version, parse_settings, version_of
from csms.domain.violations import InvalidValuesError
from csms.firmware.ports import FirmwareRepository
from csms.wire.versions import OcppVersion

# A follow-up result saying the command did not achieve what it was for.
_UNACHIEVED = ("installed", "cameBack", "transactionStarted")


@dataclass(frozen=True)
class Operation:
    kind: OperationKind
    settings: Settings = ()  # configuration
    action: str | None = None  # command
    payload: dict[str, Any] | None = None  # command
    firmware: FirmwareUpdate | None = None  # firmware
    versions: frozenset[OcppVersion] = frozenset()  # the versions it can be sent to

    def requests(self, version: OcppVersion) -> list[CommandRequest]:
        """What a charger of `version` is sent (empty: nothing it speaks); not for firmware (`FirmwareUpdates`)."""
        if version not in self.versions:
            return []
        if self.kind is OperationKind.CONFIGURATION:
            return setting_requests(version, for_version(self.settings, version))
        assert self.action is not None
        assert self.payload is not None
        return [CommandRequest(self.action, self.payload)]


def parse_operation(raw: Any, target_version: OcppVersion | None, images: FirmwareRepository) -> Operation:
    """The operation `raw` describes. A command needs one version: `ocppVersion` in the operation or the target;
    firmware names a registered image."""
    if not isinstance(raw, dict) or raw.get("kind") not in {kind.value for kind in OperationKind}:
        raise InvalidValuesError([f"operation.kind: one of {', '.join(kind.value for kind in OperationKind)}"])
    kind = OperationKind(raw["kind"])
    if kind is OperationKind.FIRMWARE:
        return Operation(
            kind, firmware=parse_firmware(raw, images), versions=frozenset({OcppVersion.V16, OcppVersion.V201})
        )
    if kind is OperationKind.CONFIGURATION:
        try:
            settings = parse_settings(raw.get("settings"))
        except InvalidValuesError as error:
            raise InvalidValuesError([f"operation.{reason}" for reason in error.reasons]) from error
        if not settings:
            raise InvalidValuesError(["operation.settings: at least one setting"])
        return Operation(kind, settings=settings, versions=frozenset(version_of(setting) for setting in settings))
    return _command(raw, target_version)


def _command(raw: dict[str, Any], target_version: OcppVersion | None) -> Operation:
    action, payload, version_name = raw.get("action"), raw.get("payload", {}), raw.get("ocppVersion")
    reasons = []
    if not isinstance(action, str) or not action:
        reasons.append("operation.action: the OCPP action to send")
    if not isinstance(payload, dict):
        reasons.append("operation.payload: an object, the CALL payload")
    versions = {version.value: version for version in OcppVersion}
    version = versions.get(version_name) if version_name is not None else target_version
    if version_name is not None and version_name not in versions:
        reasons.append(f"operation.ocppVersion: one of {', '.join(versions)}")
    elif version is None:
        reasons.append("operation.ocppVersion: a command is of one OCPP version (or give target.ocppVersion)")
    elif target_version is not None and version is not target_version:
        reasons.append("operation.ocppVersion: differs from target.ocppVersion")
    if reasons:
        raise InvalidValuesError(reasons)
    assert isinstance(action, str)
    assert version is not None
    try:
        validate_command(version, action, payload)
    except InvalidCommandError as error:
        raise InvalidValuesError([f"operation: {reason}" for reason in error.reasons]) from error
    return Operation(OperationKind.COMMAND, action=action, payload=payload, versions=frozenset({version}))


def verdict(operation: Operation, commands: Sequence[Command | None]) -> Verdict:
    """The verdict on the commands sent to one charger for `operation` (None: a command record is missing)."""
    if any(command is not None and awaited(command) for command in commands):
        return Verdict(None)
    if any(command is not None and command.status is CommandStatus.OFFLINE for command in commands):
        return Verdict(None, offline=True)
    failures = [reason for command in commands for reason in _failures(operation, command)]
    if failures:
        return Verdict(ChargerState.FAILED, {"reasons": failures})
    results = [command.result for command in commands if command is not None and command.result]
    return Verdict(ChargerState.SUCCEEDED, {"result": results[-1]} if results else None)


def _failures(operation: Operation, command: Command | None) -> list[str]:
    if command is None:
        return ["a command record is missing"]
    if command.status is not CommandStatus.ACCEPTED:
        return [refusal(command)]
    if operation.kind is OperationKind.CONFIGURATION:
        return [
            f"{_setting_name(answer.setting)}: {answer.status}"
            for answer in setting_answers(command.action, command.request, command.response or {})
            if not answer.taken
        ]
    result = command.result or {}
    return [f"{command.action}: {key} false" for key in _UNACHIEVED if result.get(key) is False] + (
        [f"{command.action}: follow-up {result['error'].get('code')}"] if "error" in result else []
    )


def _setting_name(setting: Any) -> str:
    return f"{setting.component}.{setting.variable}" if setting.component else str(setting.variable)
