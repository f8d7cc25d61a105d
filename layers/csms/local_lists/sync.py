"""Keeping a charger's local authorization list in sync: one message at a time, each claimed on the charger's
sync record by a conditional write before it is sent, and planned again when it is answered.

The plan is pure (`csms.domain.local_lists`); this reads what it needs (the charger, its site's setting, the id
tokens, the limits in its stored configuration), claims the step and sends it through the command workflow, so
every message is one of the charger's commands. A step is sent only to a connected charger: one that is offline
is brought up to date when it reconnects, by one update of what differs then (not a replay of every change).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from functools import cache
from typing import Any

from csms.commands.errors import NOT_SUBMITTED
from csms.commands.local_list import (
    GET_LOCAL_LIST_VERSION,
    SEND_LOCAL_LIST,
    accepted_update,
    limits_known,
    limits_query,
    list_limits,
    reported_version,
    request_version,
    send_local_list,
)
from csms.commands.models import Command, CommandError
from csms.commands.service import CommandService
from csms.commands.shortcuts import CommandRequest
from csms.domain.local_lists import (
    CheckVersion,
    InFlight,
    ListLimits,
    LocalListRepository,
    LocalListState,
    QueryLimits,
    SendUpdate,
    Step,
    SyncStatus,
    WantedList,
    activated,
    claimed,
    effective_enabled,
    limits_answered,
    plan,
    step_failed,
    sync_status,
    update_accepted,
    update_refused,
    version_reported,
    wanted_list,
)
from csms.domain.models import ChargePoint, IdToken
from csms.domain.ports import ChargePointRepository, Clock, ConfigurationRepository, IdTokenRepository, SiteRepository
from csms.observability import logger
from csms.wire.versions import OcppVersion

ACCEPTED, VERSION_MISMATCH = "Accepted", "VersionMismatch"
LIMIT_QUERIES = ("GetConfiguration", "GetVariables")
QUERY_LIMITS = "QueryLimits"
OFFLINE = "Offline"  # the code of a command that never reached the charger
# Claims lost to another writer before giving up (the winner sends; its answer plans the next step).
MAX_CLAIMS = 3


@dataclass(frozen=True)
class LocalListReport:
    """A charger's list as `GET /api/chargers/{id}/local-list` shows it."""

    enabled: bool
    setting: bool | None  # the charger's own (None: its site's)
    version: int | None  # of the list it last accepted
    entries: WantedList  # what its list holds once in sync
    held: int  # entries it holds as acknowledged
    status: SyncStatus
    reason: str | None


class LocalListSync:
    def __init__(
        self,
        states: LocalListRepository,
        charge_points: ChargePointRepository,
        sites: SiteRepository,
        id_tokens: IdTokenRepository,
        configuration: ConfigurationRepository,
        commands: CommandService,
        clock: Clock,
    ) -> None:
        self._states = states
        self._charge_points = charge_points
        self._sites = sites
        self._id_tokens = id_tokens
        self._configuration = configuration
        self._commands = commands
        self._clock = clock

    def configure(self, charge_point_id: str, enabled: bool | None) -> None:
        """The charger's own setting (None: its site's), then the list brought in line with it."""
        self._states.update(charge_point_id, lambda state: replace(state, enabled=enabled))
        self.sync([charge_point_id])

    def setting(self, charge_point_id: str) -> bool | None:
        return self._states.get(charge_point_id).enabled

    def sync(self, charge_point_ids: Iterable[str], reconnected: bool = False) -> None:
        """Send each charger the next step its list needs (`reconnected`: it booted or reconnected, so ask the
        version it holds first). The id tokens are read once for all."""
        tokens = cache(self._id_tokens.list)
        for charge_point_id in charge_point_ids:
            try:
                self._sync(charge_point_id, tokens, reconnected)
            except Exception:  # one charger's failure must not hold back the others'
                logger.exception("Local list not synced", extra={"charge_point_id": charge_point_id})

    def everywhere(self) -> None:
        """Every charger whose list the CSMS keeps (an id token changed)."""
        self.sync(self._states.charge_point_ids())

    def report(self, charge_point_id: str) -> LocalListReport | None:
        charge_point = self._charge_points.get(charge_point_id)
        if charge_point is None:
            return None
        state = self._states.get(charge_point_id)
        version = charge_point.ocpp_version or OcppVersion.V201
        wanted = wanted_list(self._id_tokens.list(), version, self._limits(charge_point_id, version))
        enabled = effective_enabled(state.enabled, self._site_enabled(charge_point))
        shown = state if state.active == enabled else replace(state, active=enabled, full_needed=True)
        status, reason = sync_status(shown, wanted, charge_point.connected, self._clock.now())
        return LocalListReport(enabled, state.enabled, state.version, wanted, len(state.held), status, reason)

    # The answers

    def answered(self, command: Command, response: dict[str, Any]) -> None:
        """An answer to a list message or query, whoever sent it: an accepted SendLocalList is what the charger
        holds now."""
        charge_point_id, version = command.charge_point_id, command.ocpp_version
        if command.action == SEND_LOCAL_LIST:
            status = str(response.get("status"))
            if status == ACCEPTED:
                update = accepted_update(version, command.request)
                sent_on = command.connection_id
                self._states.update(charge_point_id, lambda state: update_accepted(state, update, sent_on))
            else:
                number = request_version(version, command.request)
                self._states.update(charge_point_id, lambda state: update_refused(state, number, status))
            if status not in (ACCEPTED, VERSION_MISMATCH):
                return  # Failed, NotSupported: tried again at the next change or reconnection
        elif command.action == GET_LOCAL_LIST_VERSION:
            reported = reported_version(version, response)
            self._states.update(charge_point_id, lambda state: version_reported(state, reported))
        elif _awaited(self._states.get(charge_point_id), QUERY_LIMITS):
            self._states.update(charge_point_id, limits_answered)
        else:
            return
        self.sync([charge_point_id])

    def failed(self, command: Command, error: CommandError) -> None:
        """A step that failed frees the charger for the next; one that never reached it (offline) waits for
        its reconnection, any other failure is shown (`Failed`) until a list is accepted."""
        action = QUERY_LIMITS if command.action in LIMIT_QUERIES else command.action
        number = request_version(command.ocpp_version, command.request) if action == SEND_LOCAL_LIST else None
        reason = None if error.code == OFFLINE else f"{command.action} failed: {error.code} {error.description}"
        self._states.update(command.charge_point_id, lambda state: step_failed(state, action, number, reason))

    # The next step

    def _sync(self, charge_point_id: str, tokens: Callable[[], list[IdToken]], reconnected: bool) -> None:
        charge_point = self._charge_points.get(charge_point_id)
        if charge_point is None or charge_point.ocpp_version is None:
            return
        version = charge_point.ocpp_version
        site_enabled = self._site_enabled(charge_point)
        stored = self._states.get(charge_point_id)
        if stored == LocalListState() and not effective_enabled(stored.enabled, site_enabled):
            return  # never kept and not to be: no record for it, and no read of its configuration
        variables = self._configuration.list(charge_point_id)
        known = limits_known(version, variables)

        def current(state: LocalListState) -> LocalListState:
            state = activated(state, effective_enabled(state.enabled, site_enabled), known)
            return replace(state, check_version=True) if reconnected and state.active else state

        state = self._states.update(charge_point_id, current)
        if not charge_point.connected:
            return
        limits = list_limits(version, variables)
        wanted = wanted_list(tokens(), version, limits)
        for _ in range(MAX_CLAIMS):
            now = self._clock.now()
            step = plan(state, wanted, limits, now)
            if step is None:
                return
            number = self._charge_points.next_local_list_version(charge_point_id) if _sends(step) else None
            connection = charge_point.connection_id
            ours = claimed(state, step, now, number, connection).in_flight
            state = self._states.update(charge_point_id, _claim(step, now, number, connection, wanted, limits))
            if state.in_flight == ours:
                self._send(charge_point_id, version, step, number, ours)
                return

    def _send(
        self, charge_point_id: str, version: OcppVersion, step: Step, number: int | None, ours: InFlight | None
    ) -> None:
        request = _request(version, step, number)
        try:
            command = self._commands.submit(charge_point_id, request.action, request.payload)
        except NOT_SUBMITTED as error:
            assert ours is not None
            reason = f"{request.action} not sent: {error}"
            self._states.update(charge_point_id, lambda state: step_failed(state, ours.action, ours.version, reason))
            logger.warning("Local list step not sent", extra={"charge_point_id": charge_point_id, "reason": reason})
            return
        logger.info(
            "Local list step sent",
            extra={"charge_point_id": charge_point_id, "action": request.action, "command_id": command.command_id},
        )

    def _limits(self, charge_point_id: str, version: OcppVersion) -> ListLimits:
        return list_limits(version, self._configuration.list(charge_point_id))

    def _site_enabled(self, charge_point: ChargePoint) -> bool:
        site_id = charge_point.wiring.site_id
        stored = self._sites.get(site_id) if site_id is not None else None
        return stored is not None and stored.site.local_list_enabled


def _claim(
    step: Step, now: datetime, number: int | None, connection_id: str | None, wanted: WantedList, limits: ListLimits
) -> Callable[[LocalListState], LocalListState]:
    """The claim of `step`, made only if the latest record still calls for it (another writer may have taken it)."""

    def claim(latest: LocalListState) -> LocalListState:
        if plan(latest, wanted, limits, now) != step:
            return latest
        return claimed(latest, step, now, number, connection_id)

    return claim


def _sends(step: Step) -> bool:
    return isinstance(step, SendUpdate)


def _awaited(state: LocalListState, action: str) -> bool:
    return state.in_flight is not None and state.in_flight.action == action


def _request(version: OcppVersion, step: Step, number: int | None) -> CommandRequest:
    if isinstance(step, SendUpdate):
        assert number is not None
        return send_local_list(version, number, step)
    if isinstance(step, CheckVersion):
        return CommandRequest(GET_LOCAL_LIST_VERSION, {})
    assert isinstance(step, QueryLimits)
    return limits_query(version)
