"""Rotating a charge point's Basic-auth password without a moment in which neither password works.

The new password (generated, or the operator's) is stored pending, hashed like the current one, before the
charge point is told: from then on either password admits it (`csms.domain.admission`). The command sets it on
the charge point (2.0.1 SetVariables SecurityCtrlr.BasicAuthPassword; 1.6 ChangeConfiguration AuthorizationKey);
the first connection made with it makes it the only one, and the old one is refused from then on. The rotation
is called off (the pending one forgotten) when the charge point refuses it, answers with a CALLERROR or never
receives it; when it may have taken it (no answer in time, an answer the CSMS could not read) the pending one
stays, so the charge point is never locked out: a later rotation or a password set by the operator replaces it.
"""

from dataclasses import dataclass
from typing import Any

from csms.commands.errors import ChargePointOfflineError, UnknownChargePointError, VersionUnknownError
from csms.commands.models import Command, CommandError
from csms.commands.service import CommandService
from csms.commands.workflow_definition import StepError
from csms.domain.basic_auth_passwords import generated_password, password_violations
from csms.domain.pending_passwords import PendingPasswordRepository
from csms.domain.ports import ChargePointRepository, Clock
from csms.domain.verified_passwords import VERIFIED_PASSWORDS
from csms.domain.violations import InvalidValuesError, RuleViolationError
from csms.wire.versions import OcppVersion

AUTHORIZATION_KEY = "AuthorizationKey"  # 1.6 security whitepaper
SECURITY_CONTROLLER, BASIC_AUTH_PASSWORD = "SecurityCtrlr", "BasicAuthPassword"  # 2.0.1
# The charge point took the password (RebootRequired: it will use it once restarted).
_TAKEN = frozenset({"Accepted", "RebootRequired"})
# Failures after which the charge point may hold the new password: no answer in time, an answer not understood,
# the worker failing (`csms local` restarting before the answer is recorded leaves the rotation as it is too).
_MAY_HAVE_TAKEN = frozenset({"Timeout", StepError.INVALID_RESPONSE, StepError.WORKER_ERROR})


@dataclass(frozen=True)
class RotationStarted:
    password: str  # shown to the caller once; the CSMS keeps only its hash
    command: Command


class PasswordRotation:
    def __init__(
        self,
        charge_points: ChargePointRepository,
        pending: PendingPasswordRepository,
        commands: CommandService,
        clock: Clock,
    ) -> None:
        self._charge_points = charge_points
        self._pending = pending
        self._commands = commands
        self._clock = clock

    def rotate(self, charge_point_id: str, password: str | None = None) -> RotationStarted:
        """Start rotating to `password` (None: a generated one).

        Raises `UnknownChargePointError`, `VersionUnknownError`, `ChargePointOfflineError`, `RuleViolationError`
        (no password to rotate), `InvalidValuesError` (a password the version cannot take) and what submitting
        raises: nothing is pending then.
        """
        charge_point = self._charge_points.get(charge_point_id)
        if charge_point is None:
            raise UnknownChargePointError(charge_point_id)
        if charge_point.ocpp_version is None:
            raise VersionUnknownError(charge_point_id)
        if not charge_point.connected:
            raise ChargePointOfflineError(charge_point_id)
        if charge_point.password_hash is None:
            raise RuleViolationError(f"{charge_point_id} has no password to rotate: set one with PUT")
        version = charge_point.ocpp_version
        if password is not None and (violations := password_violations(version, password)):
            raise InvalidValuesError(violations)
        password = password if password is not None else generated_password(version)
        password_hash = VERIFIED_PASSWORDS.hashed(password)
        self._pending.put(charge_point_id, password_hash, self._clock.now())
        try:
            command = self._commands.submit(charge_point_id, *_setting(version, password))
        except Exception:
            self._pending.clear(charge_point_id, password_hash)
            raise
        return RotationStarted(password, command)

    def answered(self, command: Command, response: dict[str, Any]) -> None:
        """The charge point's answer: a rotation it did not take is called off."""
        sent = _password_sent(command)
        if sent is not None and not _taken(command.ocpp_version, response):
            self._call_off(command.charge_point_id, sent)

    def failed(self, command: Command, error: CommandError) -> None:
        """A rotation the charge point certainly did not take (CALLERROR, offline, never sent) is called off."""
        sent = _password_sent(command)
        if sent is not None and error.code not in _MAY_HAVE_TAKEN:
            self._call_off(command.charge_point_id, sent)

    def _call_off(self, charge_point_id: str, password: str) -> None:
        """Forget the pending password if it is the one this command carried (a later rotation's stays)."""
        pending_hash = self._pending.get(charge_point_id)
        if pending_hash is not None and VERIFIED_PASSWORDS.verify(password, pending_hash):
            self._pending.clear(charge_point_id, pending_hash)


def _setting(version: OcppVersion, password: str) -> tuple[str, dict[str, Any]]:
    if version is OcppVersion.V16:
        return "ChangeConfiguration", {"key": AUTHORIZATION_KEY, "value": password}
    variable = {
        "component": {"name": SECURITY_CONTROLLER},
        "variable": {"name": BASIC_AUTH_PASSWORD},
        "attributeValue": password,
    }
    return "SetVariables", {"setVariableData": [variable]}


def _password_sent(command: Command) -> str | None:
    """The password a command sets on the charge point (None: it sets none)."""
    request = command.request
    if command.action == "ChangeConfiguration":
        return request["value"] if request.get("key") == AUTHORIZATION_KEY else None
    if command.action == "SetVariables":
        for data in request.get("setVariableData", []):
            if _is_basic_auth_password(data):
                return str(data["attributeValue"])
    return None


def _taken(version: OcppVersion, response: dict[str, Any]) -> bool:
    if version is OcppVersion.V16:
        return response.get("status") in _TAKEN
    results = [r for r in response.get("setVariableResult", []) if _is_basic_auth_password(r)]
    return bool(results) and all(r.get("attributeStatus") in _TAKEN for r in results)


def _is_basic_auth_password(data: dict[str, Any]) -> bool:
    return (
        data.get("component", {}).get("name") == SECURITY_CONTROLLER
        and data.get("variable", {}).get("name") == BASIC_AUTH_PASSWORD
    )


REDACTED = "********"


def redacted_request(command: Command) -> dict[str, Any]:
    """The command's request as shown to operators: a Basic-auth password it sets is not shown."""
    request = command.request
    if _password_sent(command) is None:
        return request
    if command.action == "ChangeConfiguration":
        return {**request, "value": REDACTED}
    return {
        **request,
        "setVariableData": [
            {**data, "attributeValue": REDACTED} if _is_basic_auth_password(data) else data
            for data in request["setVariableData"]
        ],
    }
