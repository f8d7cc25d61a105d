"""What a rebalance reads of each session into the allocation: its id token's priority, its charger's site
phase, its vehicle's charging needs (on fakes, through the rebalance's own plan step)."""

from decimal import Decimal

from csms.domain.models import IdToken, IdTokenStatus, Transaction, TransactionStatus
from csms.domain.sites import Site, WiringChange
from csms.rebalancing.workflow_definition import RebalanceStep
from csms.wire.versions import OcppVersion
from tests.fakes import FixedClock, RecordingWorkflows
from tests.wired import WiredServices

SITE = "depot"


def _charger_with_session(
    services: WiredServices, clock: FixedClock, number: int, id_token: str | None = None, **wiring: object
) -> None:
    repositories = services.repositories
    charger = f"CP{number}"
    repositories.charge_points.register(
        charger,
        None,
        clock.now(),
        wiring=WiringChange(site_id=SITE, **wiring),  # type: ignore[arg-type]
    )
    repositories.charge_points.record_connected(charger, f"conn-{number}", OcppVersion.V16, clock.now())
    repositories.transactions.create_once(
        Transaction(
            charger,
            str(number),
            OcppVersion.V16,
            TransactionStatus.ACTIVE,
            clock.now(),
            connector_id=1,
            id_token=id_token,
        )
    )


def _allocated(services: WiredServices, workflows: RecordingWorkflows) -> dict[str, Decimal]:
    services.rebalance_workflow.perform(RebalanceStep.PLAN, {"siteId": SITE}, "token")
    assert not workflows.failed, workflows.failed
    allocation = services.repositories.allocations.get(SITE)
    assert allocation is not None
    return {session.charger_id: session.allocated_amps for session in allocation.sessions}


def test_a_token_with_a_higher_priority_is_filled_first(
    fake_services: WiredServices, clock: FixedClock, workflows: RecordingWorkflows
) -> None:
    fake_services.repositories.sites.put(Site(SITE, "Depot", Decimal(40), phases=1), clock.now())
    fake_services.repositories.id_tokens.put(IdToken("VIP", IdTokenStatus.ACCEPTED, charging_priority=5))
    _charger_with_session(fake_services, clock, 1, "GUEST")
    _charger_with_session(fake_services, clock, 2, "VIP")

    # 6 A each first; then the VIP is raised to its 32 A maximum, the guest gets what is left.
    assert _allocated(fake_services, workflows) == {"CP1": Decimal(8), "CP2": Decimal(32)}


def test_a_token_without_a_priority_takes_its_groups(
    fake_services: WiredServices, clock: FixedClock, workflows: RecordingWorkflows
) -> None:
    id_tokens = fake_services.repositories.id_tokens
    fake_services.repositories.sites.put(Site(SITE, "Depot", Decimal(40), phases=1), clock.now())
    id_tokens.put(IdToken("FLEET", IdTokenStatus.ACCEPTED, charging_priority=-1))
    id_tokens.put(IdToken("CARD", IdTokenStatus.ACCEPTED, parent_id="FLEET"))
    id_tokens.put(IdToken("OWN", IdTokenStatus.ACCEPTED, parent_id="FLEET", charging_priority=0))
    _charger_with_session(fake_services, clock, 1, "CARD")
    _charger_with_session(fake_services, clock, 2, "OWN")

    # The card takes its fleet's -1; the other token's own 0 goes before it.
    assert _allocated(fake_services, workflows) == {"CP1": Decimal(8), "CP2": Decimal(32)}


def test_1_phase_chargers_wired_to_different_site_phases_each_get_the_limit(
    fake_services: WiredServices, clock: FixedClock, workflows: RecordingWorkflows
) -> None:
    fake_services.repositories.sites.put(Site(SITE, "Depot", Decimal(16)), clock.now())
    _charger_with_session(fake_services, clock, 1, phases=1, site_phase=1)
    _charger_with_session(fake_services, clock, 2, phases=1, site_phase=2)
    _charger_with_session(fake_services, clock, 3, phases=1)  # not known: counted on every phase

    assert _allocated(fake_services, workflows) == {"CP1": Decimal(8), "CP2": Decimal(8), "CP3": Decimal(8)}
    fake_services.repositories.charge_points.register("CP3", None, clock.now(), wiring=WiringChange(site_phase=3))

    assert _allocated(fake_services, workflows) == {"CP1": Decimal(16), "CP2": Decimal(16), "CP3": Decimal(16)}
