"""Configuring sites: the rules a site, a live limit and a charger's wiring keep (every reason at once, nothing
stored when refused), deleting only a site without chargers, and chargers joining and leaving sites."""

from dataclasses import replace
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

import pytest

from csms.domain.charge_point_administration import ChargePointAdministration
from csms.domain.site_administration import SiteAdministration, SiteInUseError
from csms.domain.sites import ChargerWiring, LimitPeriod, LiveLimit, Site, Weekday, WiringChange
from csms.domain.tariff_administration import TariffAdministration
from csms.domain.violations import InvalidValuesError
from tests.fakes import (
    FixedClock,
    InMemoryChargePoints,
    InMemoryPendingPasswords,
    InMemorySites,
    InMemoryTariffs,
    RecordingSender,
)

SITE = Site("S1", "Depot", Decimal(63), limit_schedule=(LimitPeriod(time(17), time(21), Decimal(40)),))
NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


@pytest.fixture
def sites() -> InMemorySites:
    return InMemorySites()


@pytest.fixture
def charge_points() -> InMemoryChargePoints:
    return InMemoryChargePoints()


@pytest.fixture
def administration(sites: InMemorySites, charge_points: InMemoryChargePoints) -> SiteAdministration:
    return SiteAdministration(sites, charge_points, FixedClock(NOW))


@pytest.fixture
def chargers(administration: SiteAdministration, charge_points: InMemoryChargePoints) -> ChargePointAdministration:
    tariffs = TariffAdministration(InMemoryTariffs())
    return ChargePointAdministration(
        charge_points,
        tariffs,
        administration,
        RecordingSender(),
        FixedClock(NOW),
        True,
        InMemoryPendingPasswords(charge_points),
    )


def period(start: str, end: str, amps: int = 20, *days: Weekday) -> LimitPeriod:
    return LimitPeriod(time.fromisoformat(start), time.fromisoformat(end), Decimal(amps), frozenset(days or Weekday))


def refusal(administration: SiteAdministration, site: Site) -> list[str]:
    with pytest.raises(InvalidValuesError) as refused:
        administration.put(site)
    return refused.value.reasons


def test_a_site_is_stored_with_the_time_of_the_change(administration: SiteAdministration) -> None:
    stored = administration.put(SITE)

    assert (stored.site, stored.live_limit, stored.updated_at) == (SITE, None, NOW)
    assert administration.get("S1") == stored


@pytest.mark.parametrize(
    ("site", "reason"),
    [
        (replace(SITE, site_id=""), "siteId: 1 to 64 printable characters"),
        (replace(SITE, site_id="a/b"), "siteId: 1 to 64 printable characters"),
        (replace(SITE, site_id="x" * 65), "siteId: 1 to 64 printable characters"),
        (replace(SITE, name="  "), "name: 1 to 128 characters"),
        (replace(SITE, grid_limit_amps=Decimal(-16)), "gridLimitAmps: above 0 and at most 10000 A"),
        (replace(SITE, grid_limit_amps=Decimal(0)), "gridLimitAmps: above 0"),
        (replace(SITE, grid_limit_amps=Decimal("NaN")), "gridLimitAmps: a number, not NaN"),
        (replace(SITE, grid_limit_amps=Decimal("sNaN")), "gridLimitAmps: a number"),
        (replace(SITE, grid_limit_amps=Decimal("Infinity")), "gridLimitAmps: a number"),
        (replace(SITE, grid_limit_amps=Decimal("1e309")), "gridLimitAmps: above 0 and at most 10000 A"),
        (replace(SITE, grid_limit_amps=Decimal("1e-200")), "gridLimitAmps: at most one decimal"),
        (replace(SITE, grid_limit_amps=Decimal("63.25")), "gridLimitAmps: at most one decimal"),
        (replace(SITE, grid_limit_amps=Decimal(5)), "gridLimitAmps: 5 A is below minChargingCurrentAmps (6 A)"),
        (replace(SITE, min_charging_current_amps=Decimal(-6)), "minChargingCurrentAmps: above 0"),
        (replace(SITE, voltage=Decimal(0)), "voltage: above 0 and at most 1000 V"),
        (replace(SITE, voltage=Decimal(10**30)), "voltage: above 0 and at most 1000 V"),
        (replace(SITE, phases=2), "phases: 1 or 3, not 2"),
        (replace(SITE, time_zone="Mars/Olympus_Mons"), "timeZone: an IANA time zone"),
        (replace(SITE, time_zone="localtime"), "timeZone: an IANA time zone"),
        (replace(SITE, time_zone="right/UTC"), "timeZone: an IANA time zone"),
        (replace(SITE, time_zone="../../etc/passwd"), "timeZone: an IANA time zone"),
        (replace(SITE, time_zone="Europe"), "timeZone: an IANA time zone"),
        (replace(SITE, limit_schedule=(period("17:00", "21:00", 4),)), "limitSchedule[0].limitAmps: 4 A is below"),
        (replace(SITE, limit_schedule=(period("17:00", "21:00", 64),)), "limitSchedule[0].limitAmps: 64 A is above"),
        (replace(SITE, limit_schedule=(period("17:00", "21:00", -1),)), "limitSchedule[0].limitAmps: above 0"),
        (
            replace(SITE, limit_schedule=(replace(period("17:00", "21:00"), days=frozenset()),)),
            "limitSchedule[0].days: at least",
        ),
        (
            replace(SITE, limit_schedule=(period("17:00+01:00", "21:00"),)),
            "limitSchedule[0]: start and end are local times of the site's time zone, without an offset",
        ),
        (replace(SITE, limit_schedule=(period("17:00", "21:00"),) * 49), "limitSchedule: at most 48 periods"),
    ],
)
def test_a_site_breaking_a_rule_is_refused_and_not_stored(
    administration: SiteAdministration, sites: InMemorySites, site: Site, reason: str
) -> None:
    reasons = refusal(administration, site)

    assert any(found.startswith(reason) for found in reasons), reasons
    assert sites.sites == {}


@pytest.mark.parametrize(
    "schedule",
    [
        (period("17:00", "21:00"), period("20:00", "22:00")),
        (period("17:00", "21:00"), period("18:00", "19:00")),
        # Across midnight: Friday night overlaps Saturday morning.
        (period("22:00", "06:00", 20, Weekday.FRIDAY), period("05:00", "07:00", 20, Weekday.SATURDAY)),
        # Across the week's end: Sunday night into Monday.
        (period("22:00", "06:00", 20, Weekday.SUNDAY), period("00:00", "01:00", 20, Weekday.MONDAY)),
        (period("00:00", "00:00"), period("12:00", "13:00", 20, Weekday.WEDNESDAY)),
    ],
)
def test_overlapping_periods_are_refused(administration: SiteAdministration, schedule: tuple[LimitPeriod, ...]) -> None:
    assert refusal(administration, replace(SITE, limit_schedule=schedule)) == [
        "limitSchedule[1] overlaps limitSchedule[0]: periods must not overlap"
    ]


@pytest.mark.parametrize(
    "schedule",
    [
        (period("17:00", "21:00"), period("21:00", "22:00")),
        (period("22:00", "06:00", 20, Weekday.FRIDAY), period("06:00", "07:00", 20, Weekday.SATURDAY)),
        (period("22:00", "06:00", 20, Weekday.FRIDAY), period("05:00", "07:00", 20, Weekday.FRIDAY)),
        (period("00:00", "00:00", 20, Weekday.MONDAY), period("00:00", "00:00", 20, Weekday.TUESDAY)),
    ],
)
def test_periods_that_only_meet_are_kept(administration: SiteAdministration, schedule: tuple[LimitPeriod, ...]) -> None:
    assert administration.put(replace(SITE, limit_schedule=schedule)).site.limit_schedule == schedule


def test_every_reason_is_given_at_once(administration: SiteAdministration) -> None:
    site = replace(SITE, name="", phases=2, time_zone="Nowhere", voltage=Decimal(-230))

    assert len(refusal(administration, site)) == 4


def test_replacing_a_site_keeps_its_live_limit(administration: SiteAdministration) -> None:
    administration.put(SITE)
    live = LiveLimit(Decimal(20), NOW + timedelta(hours=1))
    administration.set_live_limit("S1", live)

    stored = administration.put(replace(SITE, name="Depot north"))

    assert (stored.site.name, stored.live_limit) == ("Depot north", live)


@pytest.mark.parametrize(
    ("live", "reason"),
    [
        (LiveLimit(Decimal(5), NOW + timedelta(hours=1)), "limitAmps: 5 A is below minChargingCurrentAmps (6 A)"),
        (LiveLimit(Decimal(64), NOW + timedelta(hours=1)), "limitAmps: 64 A is above gridLimitAmps (63 A)"),
        (LiveLimit(Decimal("NaN"), NOW + timedelta(hours=1)), "limitAmps: a number, not NaN"),
        (LiveLimit(Decimal(20), NOW), "validUntil: a time in the future"),
        (LiveLimit(Decimal(20), datetime(2027, 1, 1)), "validUntil: a time with its offset"),
    ],
)
def test_a_live_limit_breaking_a_rule_is_refused_and_not_stored(
    administration: SiteAdministration, live: LiveLimit, reason: str
) -> None:
    administration.put(SITE)

    with pytest.raises(InvalidValuesError) as refused:
        administration.set_live_limit("S1", live)

    assert len(refused.value.reasons) == 1
    assert refused.value.reasons[0].startswith(reason)
    assert administration.get("S1").live_limit is None  # type: ignore[union-attr]


def test_a_live_limit_is_set_and_ended(administration: SiteAdministration) -> None:
    administration.put(SITE)
    live = LiveLimit(Decimal(20), NOW + timedelta(hours=1))

    assert administration.set_live_limit("S1", live).live_limit == live  # type: ignore[union-attr]
    assert administration.end_live_limit("S1").live_limit is None  # type: ignore[union-attr]


def test_a_live_limit_needs_a_site(administration: SiteAdministration) -> None:
    assert administration.set_live_limit("S9", LiveLimit(Decimal(20), NOW + timedelta(hours=1))) is None
    assert administration.end_live_limit("S9") is None


def test_a_charger_joins_an_existing_site_only(
    administration: SiteAdministration, chargers: ChargePointAdministration, charge_points: InMemoryChargePoints
) -> None:
    with pytest.raises(InvalidValuesError) as refused:
        chargers.register("CP-1", None, wiring=WiringChange(site_id="S1"))

    assert refused.value.reasons == ["siteId: no site S1: create it first (PUT /api/sites/S1)"]
    assert charge_points.get("CP-1") is None
    administration.put(SITE)
    joined = chargers.register("CP-1", None, wiring=WiringChange(site_id="S1", max_current_amps=Decimal(16)))
    assert joined.wiring == ChargerWiring("S1", Decimal(16), 3)
    assert charge_points.ids_at_site("S1") == ["CP-1"]


def test_a_charger_keeps_what_an_update_does_not_name_and_leaves_its_site_when_told(
    administration: SiteAdministration, chargers: ChargePointAdministration
) -> None:
    administration.put(SITE)
    chargers.register("CP-1", None, wiring=WiringChange(site_id="S1", max_current_amps=Decimal(16), phases=1))

    assert chargers.register("CP-1", None).wiring == ChargerWiring("S1", Decimal(16), 1)
    assert chargers.register("CP-1", None, wiring=WiringChange(phases=3)).wiring == ChargerWiring("S1", Decimal(16), 3)
    assert chargers.register("CP-1", None, wiring=WiringChange(leaves_site=True)).wiring == ChargerWiring(
        None, Decimal(16), 3
    )


def test_a_chargers_wiring_breaking_a_rule_is_refused_with_every_reason(
    administration: SiteAdministration, chargers: ChargePointAdministration, charge_points: InMemoryChargePoints
) -> None:
    with pytest.raises(InvalidValuesError) as refused:
        chargers.register("CP-1", None, wiring=WiringChange(site_id="S9", max_current_amps=Decimal(0), phases=2))

    assert refused.value.reasons == [
        "maxCurrentAmps: above 0 and at most 10000 A",
        "phases: 1 or 3, not 2",
        "siteId: no site S9: create it first (PUT /api/sites/S9)",
    ]
    assert charge_points.get("CP-1") is None


def test_a_site_with_chargers_is_not_deleted(
    administration: SiteAdministration, chargers: ChargePointAdministration
) -> None:
    administration.put(SITE)
    chargers.register("CP-1", None, wiring=WiringChange(site_id="S1"))

    with pytest.raises(SiteInUseError, match=r"Site S1 still has chargers \(CP-1\)"):
        administration.delete("S1")
    assert administration.get("S1") is not None
    chargers.register("CP-1", None, wiring=WiringChange(leaves_site=True))
    assert administration.delete("S1") is True
    assert administration.get("S1") is None
    assert administration.delete("S1") is False
