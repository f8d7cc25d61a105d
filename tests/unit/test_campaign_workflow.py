"""The campaign workflow's rounds over the fakes: canary then batches, the counts, the halt rule, offline chargers
skipped after their timeout, pause and resume, every command through the command workflow."""

from datetime import timedelta
from typing import Any

import pytest

from csms.campaigns.models import Campaign, CampaignStatus, ChargerState, Counts
from csms.campaigns.workflow_definition import CampaignStep, campaign_workflow_definition
from csms.commands.models import CommandStatus
from csms.domain.violations import InvalidValuesError
from csms.wire.versions import OcppVersion
from tests.fakes import FixedClock, RecordingWorkflows
from tests.wired import WiredServices

HEARTBEAT = [{"key": "HeartbeatInterval", "value": "300"}]


def fleet(services: WiredServices, count: int, version: OcppVersion = OcppVersion.V16) -> list[str]:
    ids = [f"CP-{index:02d}" for index in range(count)]
    for charger_id in ids:
        services.charge_points.connected(charger_id, f"conn-{charger_id}", version)
    return ids


def create(services: WiredServices, ids: list[str], **rollout: Any) -> Campaign:
    operation = {"kind": "configuration", "settings": HEARTBEAT}
    return services.campaign_administration.create("hb", {"chargerIds": ids}, operation, rollout)


def answer_all(services: WiredServices, statuses: dict[str, str], clock: FixedClock) -> None:
    """Answer every unanswered command: its charger's status from `statuses` (Accepted by default)."""
    commands = services.repositories.commands
    for command in services.commands.list_all(500).items:
        if command.status.awaiting_answer:
            answer = statuses.get(command.charge_point_id, "Accepted")
            status = CommandStatus.ACCEPTED if answer == "Accepted" else CommandStatus.REJECTED
            commands.record_answer(command.command_id, status, {"status": answer}, clock.now(), finished=True)


def run(
    services: WiredServices, campaign: Campaign, clock: FixedClock, statuses: dict[str, str], generation: int = 1
) -> Campaign:
    """Perform rounds as the state machine would, answering the commands between them, until it ends."""
    state: dict[str, Any] = {"campaignId": campaign.campaign_id, "generation": generation}
    for _ in range(30):
        progress = services.campaign_workflow.advance(state)
        if not progress["waiting"]:
            break
        state["progress"] = progress
        answer_all(services, statuses, clock)
        clock.current += timedelta(seconds=progress["waitSeconds"])
    return services.campaign_administration.get(campaign.campaign_id)


def test_a_configuration_campaign_completes_canary_first_then_batches(
    fake_services: WiredServices, clock: FixedClock, campaigns: RecordingWorkflows
) -> None:
    ids = fleet(fake_services, 7)
    campaign = create(fake_services, ids, canary=1, batchSize=3)
    assert campaigns.started == [(f"{campaign.campaign_id}-1", {"campaignId": campaign.campaign_id, "generation": 1})]

    # The first round sends only the canary
    fake_services.campaign_workflow.advance({"campaignId": campaign.campaign_id, "generation": 1})
    assert [c.charge_point_id for c in fake_services.commands.list_all(50).items] == ["CP-00"]

    done = run(fake_services, campaign, clock, {})
    assert (done.status, done.counts) == (CampaignStatus.COMPLETED, Counts(total=7, succeeded=7))
    chargers = fake_services.campaign_administration.chargers(campaign.campaign_id, 50).items
    assert [c.batch for c in chargers] == [0, 1, 1, 1, 2, 2, 2]
    assert all(len(c.command_ids) == 1 for c in chargers)


def test_it_halts_when_the_failed_share_exceeds_the_threshold_after_the_canary(
    fake_services: WiredServices, clock: FixedClock
) -> None:
    ids = fleet(fake_services, 9)
    campaign = create(fake_services, ids, canary=1, batchSize=4, failureThreshold=0.25)

    done = run(fake_services, campaign, clock, {"CP-01": "Rejected", "CP-02": "Rejected"})

    assert done.status is CampaignStatus.HALTED
    assert done.counts == Counts(total=9, pending=4, succeeded=3, failed=2)
    failed = [
        c
        for c in fake_services.campaign_administration.chargers(campaign.campaign_id, 50).items
        if c.state is ChargerState.FAILED
    ]
    assert failed[0].outcome == {"reasons": ["ChangeConfiguration: Rejected"]}


def test_an_offline_charger_waits_then_is_skipped_not_failed(fake_services: WiredServices, clock: FixedClock) -> None:
    ids = fleet(fake_services, 2)
    fake_services.charge_points.disconnected("conn-CP-01", "CP-01")
    campaign = create(fake_services, ids, canary=0, batchSize=2, chargerTimeoutSeconds=30)

    done = run(fake_services, campaign, clock, {})

    assert (done.status, done.counts) == (CampaignStatus.COMPLETED, Counts(total=2, succeeded=1, skipped=1))


def test_pause_stops_new_chargers_and_resume_starts_the_next_execution(
    fake_services: WiredServices, clock: FixedClock, campaigns: RecordingWorkflows
) -> None:
    ids = fleet(fake_services, 3)
    campaign = create(fake_services, ids, canary=1, batchSize=2)
    fake_services.campaign_administration.pause(campaign.campaign_id)

    paused = run(fake_services, campaign, clock, {})
    assert (paused.status, paused.active, paused.counts.pending) == (CampaignStatus.PAUSED, False, 3)

    fake_services.campaign_administration.resume(campaign.campaign_id)
    assert campaigns.started[-1] == (f"{campaign.campaign_id}-2", {"campaignId": campaign.campaign_id, "generation": 2})
    state: dict[str, Any] = {"campaignId": campaign.campaign_id, "generation": 1}
    assert fake_services.campaign_workflow.advance(state) == {"waiting": False}  # the old execution is stale
    done = run(fake_services, campaign, clock, {}, generation=2)
    assert (done.status, done.counts.succeeded) == (CampaignStatus.COMPLETED, 3)


def test_a_command_campaign_needs_chargers_of_its_version(fake_services: WiredServices) -> None:
    fleet(fake_services, 1, OcppVersion.V16)
    operation = {"kind": "command", "action": "Reset", "payload": {"type": "OnIdle"}, "ocppVersion": "2.0.1"}

    with pytest.raises(InvalidValuesError) as refused:
        fake_services.campaign_administration.create("r", {"vendor": None, "chargerIds": ["CP-00"]}, operation, {})

    assert refused.value.reasons == [
        "target: 1 charger(s) speak OCPP 1.6, which the operation cannot express (narrow the target with ocppVersion)"
    ]


def test_a_campaign_whose_rounds_keep_failing_is_halted_with_the_reason_not_left_running(
    fake_services: WiredServices, campaigns: RecordingWorkflows
) -> None:
    # Given a running campaign whose Advance failed three times (the state machine's Catch hands over to Halt)
    campaign = create(fake_services, fleet(fake_services, 2))
    failure = {"Error": "WorkerError", "Cause": "KeyError: 'campaignId'"}
    state = {"campaignId": campaign.campaign_id, "generation": 1, "failure": failure}

    fake_services.campaign_workflow.perform(CampaignStep.HALT, state, "token-1")

    halted = fake_services.campaign_administration.get(campaign.campaign_id)
    assert (halted.status, halted.active) == (CampaignStatus.HALTED, False)
    assert halted.reason == "the workflow failed: WorkerError: KeyError: 'campaignId'"
    assert campaigns.succeeded == [("token-1", {})]


def test_a_failed_round_of_a_cancelled_campaign_keeps_it_cancelled(fake_services: WiredServices) -> None:
    campaign = create(fake_services, fleet(fake_services, 1))
    fake_services.campaign_administration.cancel(campaign.campaign_id)
    state = {"campaignId": campaign.campaign_id, "generation": 1, "failure": {"Error": "States.Timeout"}}

    fake_services.campaign_workflow.perform(CampaignStep.HALT, state, "token-1")

    cancelled = fake_services.campaign_administration.get(campaign.campaign_id)
    assert (cancelled.status, cancelled.active) == (CampaignStatus.CANCELLED, False)


def test_the_state_machine_halts_the_campaign_when_a_round_fails_for_good() -> None:
    states = campaign_workflow_definition("<queue>")["States"]

    assert states["Advance"]["Catch"] == [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.failure", "Next": "Halt"}]
    assert states["Halt"]["Parameters"]["MessageBody"]["step"] == "Halt"
    assert states[states["Halt"]["Next"]]["Type"] == "Fail"
