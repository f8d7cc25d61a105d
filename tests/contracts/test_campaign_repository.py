"""Campaigns: stored whole, listed newest first, chargers by batch, every change conditional (fake and DynamoDB)."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from csms.campaigns.models import Campaign, CampaignCharger, CampaignStatus, ChargerState, Counts, Rollout
from csms.campaigns.ports import CampaignRepository
from csms.composition import Repositories
from csms.wire.versions import OcppVersion

AT = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def campaign_repository(repositories: Repositories) -> CampaignRepository:
    return repositories.campaigns


def campaign(campaign_id: str = "c1", at: datetime = AT, chargers: int = 3) -> Campaign:
    return Campaign(
        campaign_id=campaign_id,
        name="Heartbeat 300",
        target={"siteId": "S1"},
        operation={"kind": "configuration", "settings": [{"key": "HeartbeatInterval", "value": "300"}]},
        rollout=Rollout(canary=1, batch_size=2, max_concurrency=2, failure_threshold=0.25, charger_timeout_seconds=60),
        status=CampaignStatus.RUNNING,
        created_at=at,
        updated_at=at,
        counts=Counts(total=chargers, pending=chargers),
        batches=2,
    )


def members(count: int = 3) -> list[CampaignCharger]:
    return [CampaignCharger(f"CP-{i}", 0 if i == 0 else 1, ocpp_version=OcppVersion.V16) for i in range(count)]


def test_a_campaign_and_its_chargers_are_kept_whole(campaign_repository: CampaignRepository) -> None:
    campaign_repository.create(campaign(), members())

    assert campaign_repository.get("c1") == campaign()
    assert campaign_repository.get("nope") is None
    assert [c.charger_id for c in campaign_repository.batch("c1", 1)] == ["CP-1", "CP-2"]
    assert campaign_repository.chargers("c1", 10).items == members()


def test_campaigns_are_listed_newest_first_in_pages(campaign_repository: CampaignRepository) -> None:
    for index in range(3):
        campaign_repository.create(campaign(f"c{index}", AT + timedelta(minutes=index)), members(1))

    first = campaign_repository.page(2)
    rest = campaign_repository.page(2, first.next_token)

    assert [c.campaign_id for c in [*first.items, *rest.items]] == ["c2", "c1", "c0"]
    assert rest.next_token is None


def test_a_charger_moves_only_from_the_state_seen_and_the_counts_move_with_it(
    campaign_repository: CampaignRepository,
) -> None:
    campaign_repository.create(campaign(), members())
    charger = members()[0]
    running = replace(charger, state=ChargerState.RUNNING, command_ids=("cmd-1",), in_flight=("cmd-1",), started_at=AT)
    done = replace(
        running, state=ChargerState.FAILED, in_flight=(), outcome={"reasons": ["x: Rejected"]}, finished_at=AT
    )

    assert campaign_repository.update_charger("c1", running, ChargerState.PENDING)
    assert not campaign_repository.update_charger("c1", running, ChargerState.PENDING)  # done twice: once
    assert campaign_repository.update_charger("c1", replace(running, waiting_since=AT), ChargerState.RUNNING)
    assert campaign_repository.update_charger("c1", done, ChargerState.RUNNING)

    stored = campaign_repository.get("c1")
    assert stored is not None
    assert stored.counts == Counts(total=3, pending=2, failed=1)
    assert campaign_repository.batch("c1", 0) == [done]


def test_status_changes_only_from_the_statuses_seen(campaign_repository: CampaignRepository) -> None:
    campaign_repository.create(campaign(), members())
    running = frozenset({CampaignStatus.RUNNING})

    assert campaign_repository.change_status("c1", running, CampaignStatus.HALTED, "2 of 3 failed")
    assert not campaign_repository.change_status("c1", running, CampaignStatus.COMPLETED)

    stored = campaign_repository.get("c1")
    assert stored is not None
    assert (stored.status, stored.reason) == (CampaignStatus.HALTED, "2 of 3 failed")


def test_resuming_restarts_only_a_campaign_whose_execution_ended(campaign_repository: CampaignRepository) -> None:
    campaign_repository.create(campaign(), members())
    assert campaign_repository.resume("c1") is None  # not paused
    campaign_repository.change_status("c1", frozenset({CampaignStatus.RUNNING}), CampaignStatus.PAUSED)

    assert campaign_repository.resume("c1") is False  # its execution still runs it
    campaign_repository.change_status("c1", frozenset({CampaignStatus.RUNNING}), CampaignStatus.PAUSED)
    assert not campaign_repository.deactivate("c1", 2)  # not its execution
    assert campaign_repository.deactivate("c1", 1)
    assert campaign_repository.resume("c1") is True

    stored = campaign_repository.get("c1")
    assert stored is not None
    assert (stored.status, stored.active, stored.generation) == (CampaignStatus.RUNNING, True, 2)
    assert not campaign_repository.deactivate("c1", 2)  # Running: its execution goes on


def test_batches_and_generations_move_on_once(campaign_repository: CampaignRepository) -> None:
    campaign_repository.create(campaign(), members())

    assert campaign_repository.next_batch("c1", 0)
    assert not campaign_repository.next_batch("c1", 0)
    assert campaign_repository.hand_over("c1", 1)
    assert not campaign_repository.hand_over("c1", 1)
    stored = campaign_repository.get("c1")
    assert stored is not None
    assert (stored.batch, stored.generation) == (1, 2)


def test_the_active_campaigns_are_those_an_execution_should_run_oldest_first(
    campaign_repository: CampaignRepository,
) -> None:
    for index in range(4):
        campaign_repository.create(campaign(f"c{index}", AT + timedelta(minutes=index)), members(1))
    running = frozenset({CampaignStatus.RUNNING})
    campaign_repository.change_status("c0", running, CampaignStatus.COMPLETED)
    campaign_repository.deactivate("c0", 1)  # ended
    campaign_repository.change_status("c1", running, CampaignStatus.PAUSED)  # its chargers still running
    campaign_repository.change_status("c2", running, CampaignStatus.PAUSED)
    campaign_repository.deactivate("c2", 1)  # paused, its execution ended
    campaign_repository.hand_over("c3", 1)

    assert [(c.campaign_id, c.generation) for c in campaign_repository.active()] == [("c1", 1), ("c3", 2)]
    assert campaign_repository.resume("c2") is True
    assert [c.campaign_id for c in campaign_repository.active()] == ["c1", "c2", "c3"]
