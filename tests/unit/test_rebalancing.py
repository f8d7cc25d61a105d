"""Rebalancing on fakes: requests coalesced per site, and the stages that apply an allocation."""

from decimal import Decimal

import pytest

from csms.commands.models import CommandStatus
from csms.domain.models import ConnectorStatus, Transaction, TransactionStatus
from csms.domain.sites import Site, WiringChange
from csms.domain_events.stored_changes import ConnectorChange, SiteChange, TransactionChange
from csms.rebalancing.models import ProfileStatus
from csms.rebalancing.workflow_definition import RebalanceStep
from csms.wire.versions import OcppVersion
from tests.fakes import FixedClock, RecordingWorkflows
from tests.wired import WiredServices

SITE = "depot"


def _site_with_sessions(services: WiredServices, clock: FixedClock, limit: str, chargers: int) -> None:
    repositories = services.repositories
    repositories.sites.put(Site(SITE, "Depot", Decimal(limit), phases=1), clock.now())
    for number in range(1, chargers + 1):
        charger = f"CP{number}"
        repositories.charge_points.register(charger, None, clock.now(), wiring=WiringChange(site_id=SITE, phases=1))
        repositories.charge_points.record_connected(charger, f"conn-{number}", OcppVersion.V16, clock.now())
        repositories.transactions.create_once(
            Transaction(charger, str(number), OcppVersion.V16, TransactionStatus.ACTIVE, clock.now(), connector_id=1)
        )


def test_requests_while_a_rebalance_runs_are_coalesced_into_one_more(
    fake_services: WiredServices, rebalances: RecordingWorkflows
) -> None:
    requests = fake_services.rebalance_requests
    started = [requests.request(SITE) for _ in range(10)]
    assert started == [True] + [False] * 9
    assert len(rebalances.started) == 1
    requests.take_pending(SITE)  # the run reads the site: the nine requests are answered by it
    assert requests.finish(SITE) is False
    assert requests.request(SITE) is True


def test_a_request_after_the_run_read_the_site_runs_it_again(fake_services: WiredServices) -> None:
    requests = fake_services.rebalance_requests
    requests.request(SITE)
    requests.take_pending(SITE)
    requests.request(SITE)
    assert requests.finish(SITE) is True


def test_a_session_start_and_a_site_change_request_a_rebalance_of_the_site(
    fake_services: WiredServices, clock: FixedClock, rebalances: RecordingWorkflows
) -> None:
    _site_with_sessions(fake_services, clock, "32", 1)
    transaction = fake_services.repositories.transactions.get("CP1", "1")
    assert fake_services.rebalance_requests.changed([TransactionChange("CP1", None, transaction)]) == []
    assert fake_services.rebalance_requests.changed([SiteChange("other", None, None)]) == []
    assert [execution_input for _, execution_input in rebalances.started] == [{"siteId": SITE}, {"siteId": "other"}]


def test_the_changes_of_a_batch_request_each_site_they_concern_once(
    fake_services: WiredServices, clock: FixedClock, rebalances: RecordingWorkflows, monkeypatch: pytest.MonkeyPatch
) -> None:
    _site_with_sessions(fake_services, clock, "32", 3)
    fake_services.repositories.charge_points.register("CP-nowhere", None, clock.now())
    transactions = fake_services.repositories.transactions
    available = ConnectorStatus(connector_id=1, status="Available", timestamp=clock.now())
    changes = [
        *(TransactionChange(f"CP{n}", None, transactions.get(f"CP{n}", str(n))) for n in (1, 2, 3)),
        ConnectorChange("CP1", None, available),
        ConnectorChange("CP-nowhere", None, available),
        SiteChange("other", None, None),
    ]

    states = fake_services.repositories.rebalance_states
    requested: list[str] = []
    request = states.request

    def counted(site_id: str, *args: object) -> bool:
        requested.append(site_id)
        return request(site_id, *args)

    monkeypatch.setattr(states, "request", counted)

    assert fake_services.rebalance_requests.changed(changes) == []

    assert requested == [SITE, "other"]
    assert [execution_input["siteId"] for _, execution_input in rebalances.started] == [SITE, "other"]


def test_a_site_that_could_not_be_requested_fails_only_the_changes_that_concern_it(
    fake_services: WiredServices, clock: FixedClock, rebalances: RecordingWorkflows, monkeypatch: pytest.MonkeyPatch
) -> None:
    _site_with_sessions(fake_services, clock, "32", 1)
    states = fake_services.repositories.rebalance_states
    request = states.request

    def unavailable_for_the_depot(site_id: str, *args: object) -> bool:
        if site_id == SITE:
            raise ConnectionError("throttled")
        return request(site_id, *args)

    monkeypatch.setattr(states, "request", unavailable_for_the_depot)
    session = TransactionChange("CP1", None, fake_services.repositories.transactions.get("CP1", "1"))
    other = SiteChange("other", None, None)

    assert fake_services.rebalance_requests.changed([session, other]) == [session]
    assert [execution_input for _, execution_input in rebalances.started] == [{"siteId": "other"}]


def _run_step(services: WiredServices, workflows: RecordingWorkflows, step: RebalanceStep, state: dict) -> dict:
    services.rebalance_workflow.perform(step, state, f"token-{len(workflows.succeeded)}")
    assert not workflows.failed, workflows.failed
    return workflows.succeeded[-1][1]


def _answer_all(services: WiredServices, output: dict, statuses: dict[str, CommandStatus]) -> None:
    commands = services.repositories.commands.commands
    for key, command_id in output["commands"].items():
        commands[command_id].status = statuses.get(key.split("#")[0], CommandStatus.ACCEPTED)


def test_decreases_go_first_and_a_rejected_decrease_blocks_the_raises_into_its_headroom(
    fake_services: WiredServices, clock: FixedClock, workflows: RecordingWorkflows
) -> None:
    # Two chargers hold nothing yet (counted at their 32 A maximum); the site has 40 A.
    _site_with_sessions(fake_services, clock, "40", 2)
    state = {"siteId": SITE}
    plan = _run_step(fake_services, workflows, RebalanceStep.PLAN, state)
    assert plan["waiting"] is True
    commands = fake_services.repositories.commands.commands
    sent = [commands[command_id].request["csChargingProfiles"] for command_id in plan["commands"].values()]
    limits = [profile["chargingSchedule"]["chargingSchedulePeriod"][0]["limit"] for profile in sent]
    assert limits == [20.0, 20.0]
    _answer_all(fake_services, plan, {"CP2": CommandStatus.REJECTED})
    applied = _run_step(fake_services, workflows, RebalanceStep.APPLY, {**state, "apply": plan})
    assert applied == {"waiting": False}
    allocation = fake_services.repositories.allocations.get(SITE)
    assert allocation is not None
    statuses = {session.charger_id: (session.profile_status, session.effective_amps) for session in allocation.sessions}
    assert statuses == {
        "CP1": (ProfileStatus.APPLIED, Decimal(20)),
        "CP2": (ProfileStatus.REJECTED, Decimal(32)),
    }


def test_apply_waits_while_a_command_of_the_stage_is_unanswered(
    fake_services: WiredServices, clock: FixedClock, workflows: RecordingWorkflows
) -> None:
    _site_with_sessions(fake_services, clock, "40", 2)
    plan = _run_step(fake_services, workflows, RebalanceStep.PLAN, {"siteId": SITE})
    waiting = _run_step(fake_services, workflows, RebalanceStep.APPLY, {"siteId": SITE, "apply": plan})
    assert waiting["waiting"] is True
    assert waiting["commands"] == plan["commands"]
