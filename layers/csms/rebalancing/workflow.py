"""The steps of the rebalance workflow (`workflow_definition`), as its worker performs them.

Plan reads the site and its sessions, allocates, plans the stages and sends the first; Apply waits
until every command of the stage is answered (or failed), settles it (`apply_outcome`: a rejected or
unanswered decrease keeps the old limit counted, so nobody is raised into it) and sends the next; Finish
says whether to run again. The plan travels in the state; the allocation is stored at every step.
"""

from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import timedelta
from decimal import Decimal
from typing import Any

from csms.commands.errors import NOT_SUBMITTED
from csms.commands.models import CommandStatus
from csms.commands.ports import CommandRepository, TaskCompleter
from csms.commands.service import CommandService
from csms.domain.load_balancing import (
    ApplyPlan,
    LimitChange,
    ProfileAnswer,
    allocate,
    apply_outcome,
    plan_changes,
    site_loads,
)
from csms.domain.ports import ChargePointRepository, Clock, SiteRepository
from csms.observability import logger
from csms.rebalancing.measured_currents import MeasuredCurrents
from csms.rebalancing.models import ProfileStatus, SessionAllocation, SiteAllocation
from csms.rebalancing.picture import SitePictures
from csms.rebalancing.ports import AllocationRepository
from csms.rebalancing.requests import RebalanceRequests
from csms.rebalancing.tx_profiles import SET_CHARGING_PROFILE, tx_profile_request
from csms.rebalancing.workflow_definition import RebalanceStep
from csms.wire.versions import OcppVersion

State = dict[str, Any]

_ANSWERS = {
    CommandStatus.ACCEPTED: ProfileAnswer.ACCEPTED,
    CommandStatus.REJECTED: ProfileAnswer.REJECTED,
    CommandStatus.FAILED: ProfileAnswer.REJECTED,  # a CALLERROR: nothing was installed
    CommandStatus.TIMED_OUT: ProfileAnswer.NO_ANSWER,
    CommandStatus.OFFLINE: ProfileAnswer.NO_ANSWER,
}
_STATUSES = {
    ProfileAnswer.ACCEPTED: ProfileStatus.APPLIED,
    ProfileAnswer.REJECTED: ProfileStatus.REJECTED,
    ProfileAnswer.NO_ANSWER: ProfileStatus.OFFLINE,
}


class RebalanceWorkflow:
    def __init__(
        self,
        requests: RebalanceRequests,
        sites: SiteRepository,
        charge_points: ChargePointRepository,
        pictures: SitePictures,
        allocations: AllocationRepository,
        measured: MeasuredCurrents,
        commands: CommandService,
        command_records: CommandRepository,
        tasks: TaskCompleter,
        clock: Clock,
        poll_interval_seconds: int,
        look_ahead: timedelta,
    ) -> None:
        """`look_ahead`: the allocation keeps to the lowest limit in force from now until then
        (`csms.rebalancing.site_tick.look_ahead`)."""
        self._requests = requests
        self._sites = sites
        self._charge_points = charge_points
        self._pictures = pictures
        self._allocations = allocations
        self._measured = measured
        self._commands = commands
        self._command_records = command_records
        self._tasks = tasks
        self._clock = clock
        self._poll_interval = poll_interval_seconds
        self._look_ahead = look_ahead
        self._steps: dict[RebalanceStep, Callable[[State], State]] = {
            RebalanceStep.PLAN: self._plan,
            RebalanceStep.APPLY: self._apply,
            RebalanceStep.FINISH: self._finish,
        }

    def perform(self, step: RebalanceStep, state: State, task_token: str) -> None:
        try:
            output = self._steps[step](state)
        except Exception as error:
            logger.exception("Rebalance step failed", extra={"step": step.value})
            self._tasks.fail(task_token, "WorkerError", f"{type(error).__name__}: {error}")
            return
        self._tasks.succeed(task_token, output)

    def _plan(self, state: State) -> State:
        site_id = state["siteId"]
        self._requests.take_pending(site_id)
        stored = self._sites.get(site_id)
        if stored is None:
            return {"waiting": False}
        site, now = stored.site, self._clock.now()
        limit = stored.planning_limit(now, self._look_ahead)
        pictures = self._pictures.sessions(site, self._allocations.get(site_id), now)
        demands = [picture.demand for picture in pictures]
        allocated = allocate(limit.amps, site.phases, site.min_charging_current_amps, demands, now, site.voltage)
        target = {picture.demand.key: allocated[picture.demand.key] for picture in pictures if picture.online}
        effective = {picture.demand.key: picture.effective_amps for picture in pictures}
        lowest = {picture.demand.key: picture.lowest_amps for picture in pictures if picture.lowest_amps is not None}
        awaiting = {picture.demand.key for picture in pictures if picture.awaits_schedule}
        plan = plan_changes(effective, target, limit.amps, site_loads(demands, site.phases), lowest, awaiting)
        changing = {change.key for change in (*plan.stage, *plan.waiting)}
        sessions = tuple(
            SessionAllocation(
                key=picture.demand.key,
                charger_id=picture.demand.charger_id,
                transaction_id=picture.demand.transaction_id,
                connector_id=picture.demand.connector_id,
                evse_id=picture.demand.evse_id,
                allocated_amps=allocated[picture.demand.key],
                effective_amps=picture.effective_amps,
                lowest_amps=picture.lowest_amps,
                profile_status=_planned_status(picture.online, picture.demand.key in changing, picture.lowest_amps),
            )
            for picture in pictures
        )
        allocation = SiteAllocation(site_id, limit.amps, limit.source, now, sessions)
        return self._send_stage(allocation, plan)

    def _apply(self, state: State) -> State:
        progress = state["apply"]
        plan, sent = _decode_plan(progress["plan"]), dict[str, str | None](progress["commands"])
        answers: dict[str, ProfileAnswer] = {}
        for key, command_id in sent.items():
            command = self._command_records.get(command_id) if command_id is not None else None
            if command is not None and command.status.awaiting_answer:
                return {**progress, "waiting": True, "waitSeconds": self._poll_interval}
            answers[key] = _ANSWERS.get(command.status, ProfileAnswer.NO_ANSWER) if command else ProfileAnswer.REJECTED
        stored = self._sites.get(state["siteId"])
        allocation = self._allocations.get(state["siteId"])
        if stored is None or allocation is None:
            return {"waiting": False}
        limit = stored.planning_limit(self._clock.now(), self._look_ahead)
        settled = apply_outcome(plan, answers, limit.amps)
        sessions = tuple(
            replace(
                session,
                effective_amps=settled.effective.get(session.key, session.effective_amps),
                lowest_amps=settled.lowest.get(session.key),
                profile_status=_STATUSES[answers[session.key]] if session.key in answers else session.profile_status,
            )
            for session in allocation.sessions
        )
        return self._send_stage(
            replace(allocation, limit_amps=limit.amps, limit_source=limit.source, sessions=sessions), settled
        )

    def _finish(self, state: State) -> State:
        return {"again": self._requests.finish(state["siteId"])}

    def _send_stage(self, allocation: SiteAllocation, plan: ApplyPlan) -> State:
        """Store the allocation; send the plan's stage (when done, keep the allocation in the history, with the
        currents measured then)."""
        self._allocations.put(allocation)
        if plan.done:
            self._allocations.append_history(self._measured.of(allocation))
            return {"waiting": False}
        by_key = {session.key: session for session in allocation.sessions}
        sent = {change.key: self._send(by_key[change.key], change) for change in plan.stage}
        return {
            "waiting": True,
            "waitSeconds": self._poll_interval,
            "plan": _encode_plan(plan),
            "commands": sent,
        }

    def _send(self, session: SessionAllocation, change: LimitChange) -> str | None:
        """The command's id; None when it could not be sent (the charger keeps its limit)."""
        charge_point = self._charge_points.get(session.charger_id)
        if charge_point is None or charge_point.ocpp_version is None:
            return None
        version = charge_point.ocpp_version
        place = (session.connector_id if version is OcppVersion.V16 else session.evse_id) or 0
        request = tx_profile_request(version, session.transaction_id, place, change.amps, charge_point.wiring.phases)
        try:
            return self._commands.submit(session.charger_id, SET_CHARGING_PROFILE, request).command_id
        except NOT_SUBMITTED:
            logger.warning("TxProfile not sent", extra={"charge_point_id": session.charger_id})
            return None


def _planned_status(online: bool, changing: bool, lowest: Decimal | None) -> ProfileStatus:
    if not online or (lowest is not None and not changing):
        return ProfileStatus.OFFLINE
    return ProfileStatus.PENDING if changing else ProfileStatus.APPLIED


def _encode_changes(changes: tuple[LimitChange, ...]) -> list[list[str]]:
    return [[change.key, str(change.previous_amps), str(change.amps), str(change.lowest_amps)] for change in changes]


def _decode_changes(changes: list[list[str]]) -> tuple[LimitChange, ...]:
    return tuple(
        LimitChange(key, Decimal(previous), Decimal(amps), Decimal(low)) for key, previous, amps, low in changes
    )


def _amps(values: Mapping[str, Decimal]) -> dict[str, str]:
    return {key: str(amps) for key, amps in values.items()}


def _encode_plan(plan: ApplyPlan) -> State:
    return {
        "limitAmps": str(plan.limit_amps),
        "loads": {key: sorted(phases) for key, phases in plan.loads.items()},
        "effective": _amps(plan.effective),
        "lowest": _amps(plan.lowest),
        "stage": _encode_changes(plan.stage),
        "waiting": _encode_changes(plan.waiting),
    }


def _decode_plan(encoded: State) -> ApplyPlan:
    return ApplyPlan(
        limit_amps=Decimal(encoded["limitAmps"]),
        loads={key: frozenset(phases) for key, phases in encoded["loads"].items()},
        effective={key: Decimal(amps) for key, amps in encoded["effective"].items()},
        lowest={key: Decimal(amps) for key, amps in encoded["lowest"].items()},
        stage=_decode_changes(encoded["stage"]),
        waiting=_decode_changes(encoded["waiting"]),
    )
