"""A site's allocation as the operator API reports it, on fakes: the current each session draws now from its
latest meter values, the history with the currents measured when each rebalance finished, and the sites the
reports know nothing of."""

from decimal import Decimal

from csms.commands.models import CommandStatus
from csms.domain.meter_series import TransactionSeries
from csms.domain.models import MeterReading, SampledValue, Transaction, TransactionStatus
from csms.domain.sites import LimitSource, Site, WiringChange
from csms.rebalancing.workflow_definition import RebalanceStep
from csms.wire.versions import OcppVersion
from tests.fakes import FixedClock, RecordingWorkflows
from tests.wired import WiredServices

SITE = "depot"


def _site_with_sessions(services: WiredServices, clock: FixedClock, chargers: int) -> None:
    repositories = services.repositories
    repositories.sites.put(Site(SITE, "Depot", Decimal(40), phases=1), clock.now())
    for number in range(1, chargers + 1):
        charger = f"CP{number}"
        repositories.charge_points.register(charger, None, clock.now(), wiring=WiringChange(site_id=SITE, phases=1))
        repositories.charge_points.record_connected(charger, f"conn-{number}", OcppVersion.V16, clock.now())
        repositories.transactions.create_once(
            Transaction(charger, str(number), OcppVersion.V16, TransactionStatus.ACTIVE, clock.now(), connector_id=1)
        )


def _measure(services: WiredServices, clock: FixedClock, charger: str, transaction: str, amps: str) -> None:
    value = SampledValue(
        {"value": amps, "measurand": "Current.Import", "unit": "A"}, Decimal(amps), "Current.Import", None, "A"
    )
    services.repositories.meter_values.put(
        TransactionSeries(charger, transaction), [MeterReading(clock.now(), (value,))]
    )


def _rebalance(services: WiredServices, workflows: RecordingWorkflows) -> None:
    """Plan and apply, every command accepted."""
    services.rebalance_workflow.perform(RebalanceStep.PLAN, {"siteId": SITE}, "token-plan")
    plan = workflows.succeeded[-1][1]
    for command_id in plan.get("commands", {}).values():
        services.repositories.commands.commands[command_id].status = CommandStatus.ACCEPTED
    if plan["waiting"]:
        services.rebalance_workflow.perform(RebalanceStep.APPLY, {"siteId": SITE, "apply": plan}, "token-apply")
    assert not workflows.failed, workflows.failed
    assert workflows.succeeded[-1][1] == {"waiting": False}


def test_before_the_first_rebalance_the_report_has_the_limit_and_no_allocation(
    fake_services: WiredServices, clock: FixedClock
) -> None:
    _site_with_sessions(fake_services, clock, 1)

    report = fake_services.allocation_reports.current(SITE)

    assert report is not None
    assert (report.limit.amps, report.limit.source, report.allocation) == (Decimal(40), LimitSource.CONFIGURED, None)
    history = fake_services.allocation_reports.history(SITE, 10)
    assert history is not None
    assert history.items == []


def test_the_current_allocation_has_each_sessions_latest_current_and_the_history_the_one_at_its_end(
    fake_services: WiredServices, clock: FixedClock, workflows: RecordingWorkflows
) -> None:
    # Given two sessions, one whose charger reports its current
    _site_with_sessions(fake_services, clock, 2)
    _measure(fake_services, clock, "CP1", "1", "19.6")

    # When the site is rebalanced, and the current changes afterwards
    _rebalance(fake_services, workflows)
    clock.advance(seconds=30)
    _measure(fake_services, clock, "CP1", "1", "12.34")

    # Then the allocation in force shows the current now, and the history the one when the rebalance finished
    report = fake_services.allocation_reports.current(SITE)
    assert report is not None
    assert report.allocation is not None
    now = {session.charger_id: session.measured_amps for session in report.allocation.sessions}
    assert now == {"CP1": Decimal("12.3"), "CP2": None}
    assert report.allocation.measured_amps == Decimal("12.3")
    assert report.allocation.allocated_amps == Decimal(40)
    history = fake_services.allocation_reports.history(SITE, 10)
    assert history is not None
    [entry] = history.items
    assert {session.charger_id: session.measured_amps for session in entry.sessions} == {
        "CP1": Decimal("19.6"),
        "CP2": None,
    }


def test_a_site_that_does_not_exist_has_no_report(fake_services: WiredServices) -> None:
    assert fake_services.allocation_reports.current("nope") is None
    assert fake_services.allocation_reports.history("nope", 10) is None
    assert fake_services.allocation_reports.current("x" * 3000) is None
