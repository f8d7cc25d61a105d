"""NotifyEVChargingNeeds (OCPP 2.0.1 K17): Accepted only when a schedule follows (a charger at a site, an active
session on the EVSE), the needs kept with that session and fed to the allocation, and a TxProfile sent to it
even when its limit does not change; otherwise Rejected and nothing kept."""

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal
from typing import Any

from csms.commands import profile_payloads
from csms.commands.models import CommandStatus
from csms.domain.charging_needs import ChargingNeeds
from csms.domain.meter_series import TransactionSeries
from csms.domain.models import MeterReading, SampledValue, Transaction, TransactionStatus
from csms.domain.sites import Site, WiringChange
from csms.domain_events.stored_changes import TransactionChange
from csms.rebalancing.workflow_definition import RebalanceStep
from csms.timeutil import format_timestamp
from csms.wire.versions import OcppVersion
from tests.fakes import FixedClock, RecordingWorkflows
from tests.unit.stations import Station
from tests.wired import WiredServices

SITE = "depot"
CHARGER = "CP-1"


def needs_payload(clock: FixedClock, evse_id: int = 1) -> dict[str, Any]:
    return {
        "evseId": evse_id,
        "chargingNeeds": {
            "requestedEnergyTransfer": "AC_three_phase",
            "departureTime": format_timestamp(clock.now() + timedelta(hours=2)),
            "acChargingParameters": {"energyAmount": 22080, "evMinCurrent": 6, "evMaxCurrent": 16, "evMaxVoltage": 400},
        },
    }


def session_at_site(services: WiredServices, clock: FixedClock, at_site: bool = True) -> Transaction:
    repositories = services.repositories
    if at_site:
        repositories.sites.put(Site(SITE, "Depot", Decimal(32)), clock.now())
    repositories.charge_points.register(CHARGER, None, clock.now(), wiring=WiringChange(SITE if at_site else None))
    repositories.charge_points.record_connected(CHARGER, "conn-1", OcppVersion.V201, clock.now())
    transaction = Transaction(
        CHARGER,
        "tx-1",
        OcppVersion.V201,
        TransactionStatus.ACTIVE,
        clock.now() - timedelta(minutes=30),
        evse_id=1,
        connector_id=1,
        meter_start=Decimal(1000),
    )
    repositories.transactions.create_once(transaction)
    register = MeterReading(clock.now(), (SampledValue({"value": 4000}, Decimal(4000)),))
    repositories.meter_values.put(TransactionSeries(CHARGER, "tx-1"), [register])
    return transaction


def station(services: WiredServices) -> Station:
    return Station(services, OcppVersion.V201, charge_point_id=CHARGER)


def test_the_needs_of_a_session_at_a_site_are_accepted_kept_and_request_a_rebalance(
    fake_services: WiredServices, clock: FixedClock, rebalances: RecordingWorkflows
) -> None:
    before = session_at_site(fake_services, clock)

    answer = station(fake_services).call("NotifyEVChargingNeeds", needs_payload(clock))

    assert answer == {"status": "Accepted"}
    after = fake_services.repositories.transactions.get(CHARGER, "tx-1")
    assert after is not None
    assert after.charging_needs == ChargingNeeds(
        received_at=clock.now(),
        requested_energy_transfer="AC_three_phase",
        departure=clock.now() + timedelta(hours=2),
        energy_amount_wh=Decimal(22080),
        ev_max_current_amps=Decimal(16),
        energy_register_wh=Decimal(4000),
    )
    assert fake_services.rebalance_requests.changed([TransactionChange(CHARGER, before, after)]) == []
    assert [execution_input for _, execution_input in rebalances.started] == [{"siteId": SITE}]


def test_needs_no_schedule_can_follow_are_rejected_and_not_kept(
    fake_services: WiredServices, clock: FixedClock
) -> None:
    session_at_site(fake_services, clock, at_site=False)
    assert station(fake_services).call("NotifyEVChargingNeeds", needs_payload(clock)) == {"status": "Rejected"}

    fake_services.repositories.sites.put(Site(SITE, "Depot", Decimal(32)), clock.now())
    fake_services.repositories.charge_points.register(CHARGER, None, clock.now(), wiring=WiringChange(SITE))
    # No session on EVSE 2
    assert station(fake_services).call("NotifyEVChargingNeeds", needs_payload(clock, 2)) == {"status": "Rejected"}

    transaction = fake_services.repositories.transactions.get(CHARGER, "tx-1")
    assert transaction is not None
    assert transaction.charging_needs is None


def _plan(services: WiredServices, workflows: RecordingWorkflows) -> dict[str, Any]:
    services.rebalance_workflow.perform(RebalanceStep.PLAN, {"siteId": SITE}, f"token-{len(workflows.succeeded)}")
    assert not workflows.failed, workflows.failed
    return workflows.succeeded[-1][1]


def _answer(services: WiredServices, workflows: RecordingWorkflows, plan: dict[str, Any]) -> None:
    commands = services.repositories.commands.commands
    for command_id in plan["commands"].values():
        command = commands[command_id]
        command.status = CommandStatus.ACCEPTED
        profile = profile_payloads.set_profile(command.ocpp_version, command.request, services.clock.now())
        services.installed_profiles.profile_set(command.charge_point_id, command.ocpp_version, profile)
    services.rebalance_workflow.perform(RebalanceStep.APPLY, {"siteId": SITE, "apply": plan}, "token-apply")


def _sent_limits(services: WiredServices, plan: dict[str, Any]) -> list[float]:
    commands = services.repositories.commands.commands
    return [
        commands[command_id].request["chargingProfile"]["chargingSchedule"][0]["chargingSchedulePeriod"][0]["limit"]
        for command_id in plan.get("commands", {}).values()
    ]


def test_a_session_whose_needs_were_accepted_is_sent_a_schedule_even_when_its_limit_stays(
    fake_services: WiredServices, clock: FixedClock, workflows: RecordingWorkflows
) -> None:
    session_at_site(fake_services, clock)
    # Alone at the site, it may draw its charger's maximum, as it does: nothing to send.
    assert _plan(fake_services, workflows) == {"waiting": False}

    station(fake_services).call("NotifyEVChargingNeeds", {**needs_payload(clock), "chargingNeeds": {
        "requestedEnergyTransfer": "AC_three_phase"}})  # fmt: skip
    clock.advance(seconds=1)
    again = _plan(fake_services, workflows)

    assert _sent_limits(fake_services, again) == [32.0]
    _answer(fake_services, workflows, again)
    assert _plan(fake_services, workflows) == {"waiting": False}  # its schedule came: not sent again


def test_the_needs_reach_the_allocation(
    fake_services: WiredServices, clock: FixedClock, workflows: RecordingWorkflows
) -> None:
    # Two sessions at a 24 A site; the first vehicle needs 22080 Wh in 2 h, has had 3000 Wh of it since it asked
    # (the register went from 4000 to 7000), and takes at most 16 A.
    session_at_site(fake_services, clock)
    repositories = fake_services.repositories
    repositories.sites.put(Site(SITE, "Depot", Decimal(24)), clock.now())
    repositories.charge_points.register("CP-2", None, clock.now(), wiring=WiringChange(SITE))
    repositories.charge_points.record_connected("CP-2", "conn-2", OcppVersion.V201, clock.now())
    first = repositories.transactions.get(CHARGER, "tx-1")
    assert first is not None
    repositories.transactions.create_once(
        replace(first, charge_point_id="CP-2", started_at=first.started_at + timedelta(minutes=1))
    )
    station(fake_services).call("NotifyEVChargingNeeds", needs_payload(clock))
    later = MeterReading(clock.now() + timedelta(minutes=1), (SampledValue({"value": 7000}, Decimal(7000)),))
    repositories.meter_values.put(TransactionSeries(CHARGER, "tx-1"), [later])

    # 19080 Wh left in 2 h on 3 phases at 230 V: 13.9 A (rounded up) first, the rest to the other session.
    assert allocated(fake_services, workflows) == {CHARGER: Decimal("13.9"), "CP-2": Decimal("10.1")}
    repositories.sites.put(Site(SITE, "Depot", Decimal(40)), clock.now())
    # Shared equally beyond that, but never above what the vehicle takes.
    assert allocated(fake_services, workflows) == {CHARGER: Decimal(16), "CP-2": Decimal(24)}


def allocated(services: WiredServices, workflows: RecordingWorkflows) -> dict[str, Decimal]:
    _plan(services, workflows)
    allocation = services.repositories.allocations.get(SITE)
    assert allocation is not None
    return {session.charger_id: session.allocated_amps for session in allocation.sessions}
