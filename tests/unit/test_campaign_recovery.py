"""Campaigns taken up after a `csms local` restart: every active campaign (its execution gone with moto) gets the
next generation's execution, exactly one even when two take-ups race, and then runs to its end."""

from typing import Any

from csms.campaigns.models import CampaignStatus, Counts
from tests.fakes import FixedClock, RecordingWorkflows
from tests.unit.test_campaign_workflow import create, fleet, run
from tests.wired import WiredServices


def test_a_running_campaign_is_handed_to_the_next_generation_and_completes(
    fake_services: WiredServices, clock: FixedClock, campaigns: RecordingWorkflows
) -> None:
    # Given a campaign whose first execution ran its canary, then stopped with csms local
    campaign = create(fake_services, fleet(fake_services, 3), canary=1, batchSize=2)
    first: dict[str, Any] = {"campaignId": campaign.campaign_id, "generation": 1}
    fake_services.campaign_workflow.advance(first)

    fake_services.recover_after_restart()

    assert campaigns.started[-1] == (f"{campaign.campaign_id}-2", {"campaignId": campaign.campaign_id, "generation": 2})
    assert fake_services.campaign_workflow.advance(first) == {"waiting": False}  # the lost execution's is stale
    done = run(fake_services, campaign, clock, {}, generation=2)
    assert (done.status, done.counts, done.generation) == (CampaignStatus.COMPLETED, Counts(total=3, succeeded=3), 2)


def test_only_campaigns_an_execution_should_run_are_taken_up(
    fake_services: WiredServices, campaigns: RecordingWorkflows
) -> None:
    ids = fleet(fake_services, 3)
    paused_with_chargers_running = create(fake_services, ids)
    fake_services.campaign_workflow.advance({"campaignId": paused_with_chargers_running.campaign_id, "generation": 1})
    fake_services.campaign_administration.pause(paused_with_chargers_running.campaign_id)
    cancelled = create(fake_services, ids)
    fake_services.campaign_administration.cancel(cancelled.campaign_id)
    fake_services.campaign_workflow.advance({"campaignId": cancelled.campaign_id, "generation": 1})  # it ends
    campaigns.started.clear()

    fake_services.recover_after_restart()

    assert campaigns.started == [
        (
            f"{paused_with_chargers_running.campaign_id}-2",
            {"campaignId": paused_with_chargers_running.campaign_id, "generation": 2},
        )
    ]


def test_two_take_ups_racing_start_one_execution(fake_services: WiredServices, campaigns: RecordingWorkflows) -> None:
    campaign = create(fake_services, fleet(fake_services, 2))
    campaigns.started.clear()

    # Both read generation 1 before either handed the campaign over
    fake_services.campaign_workflow.hand_over(campaign.campaign_id, 1)
    fake_services.campaign_workflow.hand_over(campaign.campaign_id, 1)

    # The same execution name and input twice: Step Functions runs one execution (StartExecution is idempotent)
    assert {name for name, _ in campaigns.started} == {f"{campaign.campaign_id}-2"}
    assert fake_services.campaign_administration.get(campaign.campaign_id).generation == 2
