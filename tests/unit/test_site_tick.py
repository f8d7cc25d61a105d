"""The periodic site tick: a rebalance for each site whose planning limit moved away from its allocation's, or
whose allocation has sessions to retry; and the rebalance plans for the lowest limit of the look-ahead."""

from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

from csms.domain.models import Transaction, TransactionStatus
from csms.domain.sites import LimitPeriod, LimitSource, LiveLimit, Site, WiringChange
from csms.rebalancing.models import ProfileStatus, SessionAllocation, SiteAllocation
from csms.rebalancing.site_tick import REBALANCE_TIME, look_ahead
from csms.rebalancing.workflow_definition import RebalanceStep
from csms.wire.versions import OcppVersion
from tests.fakes import FixedClock, RecordingWorkflows
from tests.wired import WiredServices

NOW = datetime(2026, 11, 20, 16, 50, tzinfo=UTC)  # a Friday
EVENING = LimitPeriod(time(17), time(21), Decimal(16))


def _site(services: WiredServices, site_id: str, *, schedule: tuple[LimitPeriod, ...] = ()) -> None:
    services.repositories.sites.put(Site(site_id, site_id, Decimal(32), limit_schedule=schedule), NOW)


def _allocated(services: WiredServices, site_id: str, limit: str, *sessions: tuple[str, ProfileStatus]) -> None:
    services.repositories.allocations.put(
        SiteAllocation(
            site_id,
            Decimal(limit),
            LimitSource.CONFIGURED,
            NOW,
            tuple(
                SessionAllocation(f"{charger}#1", charger, "1", 1, None, Decimal(16), Decimal(16), status)
                for charger, status in sessions
            ),
        )
    )


def _connected(services: WiredServices, charger: str, site_id: str) -> None:
    charge_points = services.repositories.charge_points
    charge_points.register(charger, None, NOW, wiring=WiringChange(site_id=site_id))
    charge_points.record_connected(charger, f"conn-{charger}", OcppVersion.V16, NOW)


def _requested(rebalances: RecordingWorkflows) -> list[str]:
    return [execution_input["siteId"] for _, execution_input in rebalances.started]


def test_the_look_ahead_is_a_tick_and_a_rebalances_time() -> None:
    assert look_ahead(timedelta(minutes=1)) == timedelta(minutes=1) + REBALANCE_TIME == timedelta(minutes=3)


def test_a_site_whose_limit_is_about_to_drop_or_has_risen_is_rebalanced(
    fake_services: WiredServices, clock: FixedClock, rebalances: RecordingWorkflows
) -> None:
    clock.current = NOW
    _site(fake_services, "quiet")
    _allocated(fake_services, "quiet", "32")
    _site(fake_services, "evening", schedule=(EVENING,))
    _allocated(fake_services, "evening", "32")  # 17:00 is not within a tick and a rebalance yet
    _site(fake_services, "override-ended")
    _allocated(fake_services, "override-ended", "20")  # planned under a live limit that has expired
    _site(fake_services, "never-rebalanced", schedule=(EVENING,))

    assert fake_services.site_tick.run().requested == ["override-ended"]

    clock.current = datetime(2026, 11, 20, 16, 58, tzinfo=UTC)  # 17:00 is two minutes away
    # The override's rebalance has not stored its allocation yet: asked again, it joins the running one.
    assert sorted(fake_services.site_tick.run().requested) == ["evening", "override-ended"]
    assert sorted(_requested(rebalances)) == ["evening", "override-ended"]


def test_a_live_limit_expiring_soon_is_seen_coming(
    fake_services: WiredServices, clock: FixedClock, rebalances: RecordingWorkflows
) -> None:
    clock.current = NOW
    _site(fake_services, "depot", schedule=(LimitPeriod(time(16, 52), time(18), Decimal(10)),))
    fake_services.repositories.sites.set_live_limit("depot", LiveLimit(Decimal(20), NOW + timedelta(minutes=2)), NOW)
    _allocated(fake_services, "depot", "20")

    assert fake_services.site_tick.run().requested == ["depot"]


def test_sessions_rejected_or_unanswered_by_a_charger_connected_again_are_retried(
    fake_services: WiredServices, clock: FixedClock, rebalances: RecordingWorkflows
) -> None:
    clock.current = NOW
    for site_id in ("rejected", "offline", "back", "applied"):
        _site(fake_services, site_id)
    _connected(fake_services, "CP-back", "back")
    _connected(fake_services, "CP-rejected", "rejected")
    _allocated(fake_services, "rejected", "32", ("CP-rejected", ProfileStatus.REJECTED))
    _allocated(fake_services, "offline", "32", ("CP-gone", ProfileStatus.OFFLINE))
    _allocated(fake_services, "back", "32", ("CP-back", ProfileStatus.OFFLINE))
    _allocated(fake_services, "applied", "32", ("CP-back", ProfileStatus.APPLIED), ("CP-x", ProfileStatus.PENDING))

    assert sorted(fake_services.site_tick.run().requested) == ["back", "rejected"]


def test_a_tick_requests_at_most_one_rebalance_per_site(
    fake_services: WiredServices, clock: FixedClock, rebalances: RecordingWorkflows
) -> None:
    clock.current = NOW
    _site(fake_services, "depot")
    _allocated(fake_services, "depot", "20", ("CP1", ProfileStatus.REJECTED))

    fake_services.site_tick.run()
    fake_services.site_tick.run()  # the first rebalance still runs: coalesced into it

    assert _requested(rebalances) == ["depot"]


def test_the_rebalance_plans_for_the_drop_before_it_takes_effect(
    fake_services: WiredServices, clock: FixedClock, workflows: RecordingWorkflows
) -> None:
    clock.current = datetime(2026, 11, 20, 16, 58, tzinfo=UTC)
    repositories = fake_services.repositories
    repositories.sites.put(Site("depot", "Depot", Decimal(32), phases=1, limit_schedule=(EVENING,)), clock.now())
    repositories.charge_points.register("CP1", None, clock.now(), wiring=WiringChange(site_id="depot", phases=1))
    repositories.charge_points.record_connected("CP1", "conn-1", OcppVersion.V16, clock.now())
    repositories.transactions.create_once(
        Transaction("CP1", "1", OcppVersion.V16, TransactionStatus.ACTIVE, clock.now(), connector_id=1)
    )

    fake_services.rebalance_workflow.perform(RebalanceStep.PLAN, {"siteId": "depot"}, "token")

    allocation = repositories.allocations.get("depot")
    assert allocation is not None
    assert (allocation.limit_amps, allocation.limit_source) == (Decimal(16), LimitSource.SCHEDULE)
    assert [session.allocated_amps for session in allocation.sessions] == [Decimal(16)]
