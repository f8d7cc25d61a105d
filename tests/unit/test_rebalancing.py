"""Rebalancing on fakes: requests coalesced per site, and the stages that apply an allocation."""

from decimal import Decimal

from csms.commands.models import CommandStatus
from csms.domain.models import Transaction, TransactionStatus
from csms.domain.sites import Site, WiringChange
from csms.domain_events.stored_changes import SiteChange, TransactionChange
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
    fake_services.rebalance_requests.changed(TransactionChange("CP1", None, transaction))
    fake_services.rebalance_requests.changed(SiteChange("other", None, None))
    assert [execution_input for _, execution_input in rebalances.started] == [{"siteId": SITE}, {"siteId": "other"}]


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
