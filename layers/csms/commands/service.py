"""Submitting commands: validated against the charge point's OCPP version, then run as a workflow."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from uuid import uuid4

from csms.commands import shortcuts
from csms.commands.command_actions import DEFAULT_FOLLOW_UPS
from csms.commands.errors import UnknownChargePointError, VersionUnknownError
from csms.commands.executions import CommandExecutions
from csms.commands.local_list import LocalListService
from csms.commands.models import Command, CommandStatus, FollowUp
from csms.commands.ports import CommandRepository
from csms.commands.queue import CommandQueue
from csms.commands.shortcuts import Availability, CommandRequest, ResetType
from csms.commands.validation import validate_command
from csms.domain.pagination import Page
from csms.domain.ports import ChargePointRepository, Clock
from csms.wire.versions import OcppVersion


@dataclass(frozen=True)
class CommandTimeouts:
    follow_up_seconds: int  # for a remote start's transaction, a reset's return
    firmware_seconds: int  # for a firmware update to be installed, or published by a local controller


class CommandService:
    def __init__(
        self,
        commands: CommandRepository,
        charge_points: ChargePointRepository,
        executions: CommandExecutions,
        clock: Clock,
        timeouts: CommandTimeouts,
        queue: CommandQueue,
        local_list: LocalListService,
    ) -> None:
        self._commands = commands
        self._charge_points = charge_points
        self._executions = executions
        self._clock = clock
        self._timeouts = timeouts
        self._queue = queue
        self._local_list = local_list

    def submit(
        self, charge_point_id: str, action: str, payload: dict[str, Any], follow_up: FollowUp | None = None
    ) -> Command:
        """Validate and start a command; `follow_up` None means the action's default (if any).

        Raises `UnknownChargePointError`, `VersionUnknownError`, `InvalidCommandError` or
        `CommandQueueFullError`: nothing is sent then.
        """
        return self._submit(charge_point_id, self._version(charge_point_id), action, payload, follow_up)

    def start(
        self, charge_point_id: str, id_token: str, connector_id: int | None = None, evse_id: int | None = None
    ) -> Command:
        """Remote start; its result carries the transaction id once the transaction begins."""
        return self._shortcut(charge_point_id, lambda v: shortcuts.start(v, id_token, connector_id, evse_id))

    def stop(self, charge_point_id: str, transaction_id: str) -> Command:
        return self._shortcut(charge_point_id, lambda v: shortcuts.stop(v, transaction_id))

    def reset(self, charge_point_id: str, reset_type: ResetType) -> Command:
        """Reset; its result says whether the charge point came back (booted or reconnected)."""
        return self._shortcut(charge_point_id, lambda v: shortcuts.reset(v, reset_type))

    def unlock(self, charge_point_id: str, connector_id: int | None = None, evse_id: int | None = None) -> Command:
        return self._shortcut(charge_point_id, lambda v: shortcuts.unlock(v, connector_id, evse_id))

    def availability(
        self, charge_point_id: str, status: Availability, connector_id: int | None = None, evse_id: int | None = None
    ) -> Command:
        return self._shortcut(charge_point_id, lambda v: shortcuts.availability(v, status, connector_id, evse_id))

    def composite_schedule(
        self,
        charge_point_id: str,
        duration: int,
        connector_id: int | None = None,
        evse_id: int | None = None,
        rate_unit: str | None = None,
    ) -> Command:
        """GetCompositeSchedule: what the charge point's profiles let a connector or EVSE draw for `duration` s."""
        return self._shortcut(
            charge_point_id, lambda v: shortcuts.composite_schedule(v, duration, connector_id, evse_id, rate_unit)
        )

    def send_local_list(self, charge_point_id: str) -> Command:
        """SendLocalList: every id token as a full list, numbered with the charge point's next list version."""
        return self._shortcut(charge_point_id, lambda v: self._local_list.full_list(charge_point_id, v))

    def get(self, command_id: str) -> Command | None:
        return self._commands.get(command_id)

    def list_for_charge_point(self, charge_point_id: str, limit: int, next_token: str | None = None) -> Page[Command]:
        """Newest first; raises `InvalidPageTokenError` for a token no listing returned."""
        if self._charge_points.get(charge_point_id) is None:
            raise UnknownChargePointError(charge_point_id)
        return self._commands.list_for_charge_point(charge_point_id, limit, next_token)

    def list_all(self, limit: int, next_token: str | None = None) -> Page[Command]:
        """Every charge point's, newest first; raises `InvalidPageTokenError` for a token no listing returned."""
        return self._commands.list_all(limit, next_token)

    def _shortcut(self, charge_point_id: str, build: Callable[[OcppVersion], CommandRequest]) -> Command:
        version = self._version(charge_point_id)
        request = build(version)
        return self._submit(charge_point_id, version, request.action, request.payload, None)

    def _version(self, charge_point_id: str) -> OcppVersion:
        charge_point = self._charge_points.get(charge_point_id)
        if charge_point is None:
            raise UnknownChargePointError(charge_point_id)
        if charge_point.ocpp_version is None:
            raise VersionUnknownError(charge_point_id)
        return charge_point.ocpp_version

    def _default_follow_up(self, action: str) -> FollowUp | None:
        kind = DEFAULT_FOLLOW_UPS.get(action)
        if kind is None:
            return None
        timeouts = self._timeouts
        return FollowUp(kind, timeouts.firmware_seconds if kind.on_firmware_clock else timeouts.follow_up_seconds)

    def _submit(
        self,
        charge_point_id: str,
        version: OcppVersion,
        action: str,
        payload: dict[str, Any],
        follow_up: FollowUp | None,
    ) -> Command:
        validate_command(version, action, payload)
        command_id = str(uuid4())
        ticket = self._queue.enter(charge_point_id, command_id)
        command = Command(
            command_id=command_id,
            charge_point_id=charge_point_id,
            ocpp_version=version,
            action=action,
            request=payload,
            status=CommandStatus.PENDING,
            created_at=self._clock.now(),
            follow_up=follow_up or self._default_follow_up(action),
            ticket=ticket,
        )
        self._commands.create(command)
        command.execution_arn = self._executions.start(command)
        return command
