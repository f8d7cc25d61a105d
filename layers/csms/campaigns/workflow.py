"""The campaign worker's one step, Advance (`workflow_definition`): a round of the campaign.

A round reads the campaign and its current batch only (never all its chargers), settles the chargers running in
it, applies the halt rule, starts chargers of the batch up to `maxConcurrency` while the campaign is Running, and
moves to the next batch when every charger of this one finished. A charger not connected when its turn comes (or
whose commands found it offline) waits, and after `chargerTimeoutSeconds` is skipped. Every change is a conditional
write (`CampaignRepository`), so a step performed twice (SQS delivers at least once) changes nothing twice, and a
pause or cancel racing it is kept.
"""

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from csms.campaigns import rules
from csms.campaigns.firmware_updates import FirmwareUpdates, NotForChargerError
from csms.campaigns.models import Campaign, CampaignCharger, CampaignStatus, ChargerState, Verdict
from csms.campaigns.operations import Operation, parse_operation, verdict
from csms.campaigns.ports import CampaignRepository
from csms.campaigns.workflow_definition import MAX_ROUNDS, CampaignStep, execution_input, execution_name
from csms.commands.errors import NOT_SUBMITTED
from csms.commands.ports import CommandRepository, CommandWorkflows
from csms.commands.service import CommandService
from csms.commands.shortcuts import CommandRequest
from csms.domain.models import ChargePoint
from csms.domain.ports import ChargePointRepository, Clock
from csms.firmware.ports import FirmwareRepository
from csms.observability import logger

State = dict[str, Any]
_DONE: State = {"waiting": False}
_RUNNING_ONLY = frozenset({CampaignStatus.RUNNING})
_HALTABLE = frozenset({CampaignStatus.RUNNING, CampaignStatus.PAUSED})
_MAX_REASON_LENGTH = 500


class CampaignWorkflow:
    def __init__(
        self,
        campaigns: CampaignRepository,
        charge_points: ChargePointRepository,
        commands: CommandService,
        command_records: CommandRepository,
        workflows: CommandWorkflows,
        clock: Clock,
        poll_interval_seconds: int,
        images: FirmwareRepository,
        firmware_updates: FirmwareUpdates,
    ) -> None:
        """`workflows`: the campaign state machine (its task tokens, and the next generation's execution)."""
        self._campaigns = campaigns
        self._charge_points = charge_points
        self._commands = commands
        self._command_records = command_records
        self._workflows = workflows
        self._clock = clock
        self._images = images
        self._firmware_updates = firmware_updates
        self._poll_interval = poll_interval_seconds

    def perform(self, step: CampaignStep, state: State, task_token: str) -> None:
        try:
            output = self.advance(state) if step is CampaignStep.ADVANCE else self.halt(state)
        except Exception as error:
            logger.exception("Campaign step failed", extra={"step": step.value})
            self._workflows.fail(task_token, "WorkerError", f"{type(error).__name__}: {error}")
            return
        self._workflows.succeed(task_token, output)

    def advance(self, state: State) -> State:
        """One round; the state says whether (and how long) to wait for the next."""
        campaign_id, generation = state["campaignId"], int(state["generation"])
        rounds = int(state.get("progress", {}).get("rounds", 0)) + 1
        campaign = self._campaigns.get(campaign_id)
        if campaign is None or campaign.generation > generation or not campaign.active:
            return _DONE  # deleted, or another execution runs it
        if campaign.generation < generation:  # handed over to us, not yet recorded
            return self._wait(rounds)
        operation = parse_operation(campaign.operation, rules.parse_target(campaign.target).ocpp_version, self._images)
        while True:
            chargers = self._campaigns.batch(campaign_id, campaign.batch)
            chargers = [self._settle(campaign, operation, charger) for charger in chargers]
            campaign = self._campaigns.get(campaign_id) or campaign
            running = [charger for charger in chargers if charger.state is ChargerState.RUNNING]
            pending = [charger for charger in chargers if charger.state is ChargerState.PENDING]
            batch_finished = not running and not pending
            canary_finished = rules.canary_finished(campaign.rollout, campaign.batch, batch_finished)
            if campaign.status is CampaignStatus.RUNNING and rules.halts(
                campaign.counts, campaign.rollout, canary_finished
            ):
                share = f"{campaign.counts.failed} of {campaign.counts.finished} finished chargers failed"
                self._campaigns.change_status(campaign_id, _RUNNING_ONLY, CampaignStatus.HALTED, share)
                logger.info("Campaign halted", extra={"campaign_id": campaign_id, "reason": share})
                campaign = self._campaigns.get(campaign_id) or campaign
            if campaign.status is not CampaignStatus.RUNNING:
                if running:
                    return self._wait(rounds)
                self._campaigns.deactivate(campaign_id, generation)
                return _DONE
            if not batch_finished:
                for charger in pending[: max(0, campaign.rollout.max_concurrency - len(running))]:
                    self._start(campaign, operation, charger)
                break
            if campaign.batch + 1 >= campaign.batches:
                self._campaigns.change_status(campaign_id, _RUNNING_ONLY, CampaignStatus.COMPLETED)
                self._campaigns.deactivate(campaign_id, generation)
                return _DONE
            self._campaigns.next_batch(campaign_id, campaign.batch)
            campaign = self._campaigns.get(campaign_id) or campaign
        if rounds >= MAX_ROUNDS:
            self.hand_over(campaign_id, generation)
            return _DONE
        return self._wait(rounds)

    def halt(self, state: State) -> State:
        """A round failed for good (its retries spent): the campaign, Running or Paused, is Halted with the
        reason, and this execution lets it go (a campaign never stays Running with nothing running it)."""
        campaign_id, generation = state["campaignId"], int(state["generation"])
        campaign = self._campaigns.get(campaign_id)
        if campaign is None or campaign.generation != generation:
            return {}  # another execution runs it
        failure = state.get("failure") or {}
        reason = ": ".join(str(part) for part in (failure.get("Error"), failure.get("Cause")) if part)
        reason = f"the workflow failed: {reason or 'unknown error'}"[:_MAX_REASON_LENGTH]
        halted = self._campaigns.change_status(campaign_id, _HALTABLE, CampaignStatus.HALTED, reason)
        self._campaigns.deactivate(campaign_id, generation)
        logger.warning("Campaign round failed", extra={"campaign_id": campaign_id, "halted": halted, "reason": reason})
        return {}

    def _wait(self, rounds: int) -> State:
        return {"waiting": True, "waitSeconds": self._poll_interval, "rounds": rounds}

    def hand_over(self, campaign_id: str, generation: int) -> None:
        """Leave the campaign run by `generation` to the next generation's execution: when this execution's history
        nears the limit, or when it is gone (`csms.campaigns.recovery`).

        The execution starts first (it waits until the hand-over is recorded), so a failure between the two leaves
        the campaign to this generation, whose step is tried again. Its name is the generation's, so callers that
        race with the same generation start one execution (StartExecution with a running execution's name and
        input returns that execution), and the conditional record moves the generation on once."""
        self._workflows.start(execution_name(campaign_id, generation + 1), execution_input(campaign_id, generation + 1))
        self._campaigns.hand_over(campaign_id, generation)

    def _start(self, campaign: Campaign, operation: Operation, charger: CampaignCharger) -> None:
        now = self._clock.now()
        started = replace(charger, state=ChargerState.RUNNING, started_at=now)
        if self._campaigns.update_charger(campaign.campaign_id, started, ChargerState.PENDING):
            self._send(campaign, operation, started, now)

    def _send(
        self, campaign: Campaign, operation: Operation, charger: CampaignCharger, now: datetime
    ) -> CampaignCharger:
        """Send its operation if it is connected, else let it wait (from now, if it was not waiting yet); the
        charger as it then stands."""
        charge_point = self._charge_points.get(charger.charger_id)
        if charge_point is None or charge_point.ocpp_version is None:
            reason = "not registered any more" if charge_point is None else "never connected (OCPP version unknown)"
            return self._finish(campaign, charger, ChargerState.SKIPPED, {"reason": reason}, now)
        try:
            requests = self._requests(operation, charge_point)
        except NotForChargerError as error:
            return self._finish(campaign, charger, ChargerState.SKIPPED, {"reason": str(error)}, now)
        if not requests:
            reason = f"nothing of the operation is of OCPP {charge_point.ocpp_version.value}"
            return self._finish(campaign, charger, ChargerState.SKIPPED, {"reason": reason}, now)
        if not charge_point.connected:
            return self._store(
                campaign, charger, replace(charger, in_flight=(), waiting_since=charger.waiting_since or now)
            )
        sent: list[str] = []
        try:
            for request in requests:
                sent.append(self._commands.submit(charger.charger_id, request.action, request.payload).command_id)
        except NOT_SUBMITTED as error:
            failed = replace(charger, command_ids=(*charger.command_ids, *sent))
            return self._finish(
                campaign, failed, ChargerState.FAILED, {"reason": f"{type(error).__name__}: {error}"}, now
            )
        updated = replace(
            charger,
            ocpp_version=charge_point.ocpp_version,
            command_ids=(*charger.command_ids, *sent),
            in_flight=tuple(sent),
            waiting_since=None,
        )
        return self._store(campaign, charger, updated)

    def _requests(self, operation: Operation, charge_point: ChargePoint) -> list[CommandRequest]:
        assert charge_point.ocpp_version is not None
        if operation.firmware is not None:
            return self._firmware_updates.requests(operation.firmware, charge_point)
        return operation.requests(charge_point.ocpp_version)

    def _verdict(self, operation: Operation, in_flight: tuple[str, ...]) -> Verdict:
        commands = [self._command_records.get(command_id) for command_id in in_flight]
        if operation.firmware is not None:
            return self._firmware_updates.verdict(operation.firmware, commands[0])
        return verdict(operation, commands)

    def _store(self, campaign: Campaign, seen: CampaignCharger, charger: CampaignCharger) -> CampaignCharger:
        return charger if self._campaigns.update_charger(campaign.campaign_id, charger, seen.state) else seen

    def _settle(self, campaign: Campaign, operation: Operation, charger: CampaignCharger) -> CampaignCharger:
        """The charger after this round: its commands' verdict, or its wait for a connection."""
        if charger.state is not ChargerState.RUNNING:
            return charger
        now = self._clock.now()
        if charger.in_flight:
            found = self._verdict(operation, charger.in_flight)
            if found.state is not None:
                return self._finish(campaign, charger, found.state, found.outcome, now)
            if not found.offline:
                return charger
            charger = replace(charger, in_flight=(), waiting_since=charger.waiting_since or now)
        assert charger.waiting_since is not None
        if now - charger.waiting_since >= timedelta(seconds=campaign.rollout.charger_timeout_seconds):
            reason = f"offline for {campaign.rollout.charger_timeout_seconds} s"
            return self._finish(campaign, charger, ChargerState.SKIPPED, {"reason": reason}, now)
        return self._send(campaign, operation, charger, now)

    def _finish(
        self,
        campaign: Campaign,
        charger: CampaignCharger,
        state: ChargerState,
        outcome: dict[str, Any] | None,
        now: datetime,
    ) -> CampaignCharger:
        return self._store(
            campaign, charger, replace(charger, state=state, outcome=outcome, in_flight=(), finished_at=now)
        )
