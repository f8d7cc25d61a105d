"""The `ChargePointRepository` contract for a charge point's wiring: its site, maximum current, phases and site
phase, what an update changes of them, when it was last updated, and the charge points of a site."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from csms.domain.ports import ChargePointRepository
from csms.domain.sites import ChargerWiring, WiringChange

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
T1 = T0 + timedelta(minutes=1)


def wiring_of(charge_points: ChargePointRepository, charge_point_id: str) -> ChargerWiring:
    registered = charge_points.get(charge_point_id)
    assert registered is not None
    return registered.wiring


def test_a_charge_point_draws_32_a_on_3_phases_at_no_site_until_told_otherwise(
    charge_points: ChargePointRepository,
) -> None:
    charge_points.register("CP-1", None, T0)

    assert wiring_of(charge_points, "CP-1") == ChargerWiring(None, Decimal(32), 3)


def test_a_wiring_change_sets_what_it_names_and_keeps_the_rest(charge_points: ChargePointRepository) -> None:
    charge_points.register("CP-1", None, T0, wiring=WiringChange("S1", max_current_amps=Decimal("16.5"), phases=1))
    charge_points.register("CP-1", None, T1, wiring=WiringChange(phases=3))

    registered = charge_points.get("CP-1")

    assert registered is not None
    assert (registered.wiring, registered.updated_at, registered.registered_at) == (
        ChargerWiring("S1", Decimal("16.5"), 3),
        T1,
        T0,
    )


def test_a_charge_point_leaves_its_site_when_told(charge_points: ChargePointRepository) -> None:
    charge_points.register("CP-1", None, T0, wiring=WiringChange("S1", max_current_amps=Decimal(16)))

    charge_points.register("CP-1", None, T1, wiring=WiringChange(leaves_site=True))

    assert wiring_of(charge_points, "CP-1") == ChargerWiring(None, Decimal(16), 3)
    assert charge_points.ids_at_site("S1") == []


def test_a_site_phase_is_kept_until_cleared(charge_points: ChargePointRepository) -> None:
    charge_points.register("CP-1", None, T0, wiring=WiringChange("S1", phases=1, site_phase=2))
    kept = wiring_of(charge_points, "CP-1")

    charge_points.register("CP-1", None, T1, wiring=WiringChange(clears_site_phase=True))

    assert kept == ChargerWiring("S1", Decimal(32), 1, site_phase=2)
    assert wiring_of(charge_points, "CP-1") == ChargerWiring("S1", Decimal(32), 1)


def test_the_charge_points_of_a_site_in_order(charge_points: ChargePointRepository) -> None:
    for charge_point_id, site_id in [("CP-3", "S1"), ("CP-1", "S1"), ("CP-2", "S2"), ("CP-4", None)]:
        charge_points.register(charge_point_id, None, T0, wiring=WiringChange(site_id))
    charge_points.register("CP-5", None, T0, wiring=WiringChange("S1"))
    charge_points.register("CP-5", None, T1, wiring=WiringChange("S2"))
    charge_points.delete("CP-3")

    assert charge_points.ids_at_site("S1") == ["CP-1"]
    assert charge_points.ids_at_site("S2") == ["CP-2", "CP-5"]
    assert charge_points.ids_at_site("S9") == []


def test_sites_of_names_the_site_of_each_charge_point_at_one(charge_points: ChargePointRepository) -> None:
    charge_points.register("CP-1", None, T0, wiring=WiringChange("S1"))
    charge_points.register("CP-2", None, T0)
    charge_points.register("CP-3", None, T0, wiring=WiringChange("S1"))
    charge_points.register("CP-3", None, T1, wiring=WiringChange(leaves_site=True))
    charge_points.register("CP-4", None, T0, wiring=WiringChange("S2"))

    located = charge_points.sites_of(["CP-1", "CP-2", "CP-3", "CP-4", "CP-unknown", "CP-1"])

    assert located == {"CP-1": "S1", "CP-4": "S2"}
    assert charge_points.sites_of([]) == {}


def test_sites_of_reads_more_charge_points_than_one_request_holds(charge_points: ChargePointRepository) -> None:
    for number in range(250):
        charge_points.register(f"CP-{number:03}", None, T0, wiring=WiringChange(f"S{number % 3}"))

    located = charge_points.sites_of([f"CP-{number:03}" for number in range(250)])

    assert located == {f"CP-{number:03}": f"S{number % 3}" for number in range(250)}
