"""The `SiteRepository` contract: sites by id with exact currents, their schedule and live limit, the time of
their last change, deletion, and pages."""

from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

import pytest

from csms.domain.pagination import InvalidPageTokenError
from csms.domain.ports import SiteRepository
from csms.domain.sites import LimitPeriod, LiveLimit, Site, StoredSite, Weekday
from tests.contracts.paging import FOREIGN_TOKENS, assert_pages_hold_each_once

T0 = datetime(2026, 11, 23, 9, 0, 0, 123000, tzinfo=UTC)
T1 = T0 + timedelta(minutes=1)
BARE = Site("bare", "Bare", Decimal(32))
FULL = Site(
    site_id="full",
    name="Depot north, gate 2",
    grid_limit_amps=Decimal("63.5"),
    phases=1,
    voltage=Decimal("120.5"),
    min_charging_current_amps=Decimal("6.5"),
    limit_schedule=(
        LimitPeriod(time(17), time(21, 30), Decimal("40.5")),
        LimitPeriod(time(22, 15, 30), time(6), Decimal(20), frozenset({Weekday.FRIDAY, Weekday.SUNDAY})),
    ),
    time_zone="America/Argentina/Buenos_Aires",
)
LIVE = LiveLimit(Decimal("20.5"), T0 + timedelta(hours=2))


@pytest.mark.parametrize("site", [BARE, FULL])
def test_a_site_round_trips(sites: SiteRepository, site: Site) -> None:
    stored = sites.put(site, T0)

    assert stored == StoredSite(site, None, T0)
    assert sites.get(site.site_id) == stored


def test_an_unknown_site_is_none(sites: SiteRepository) -> None:
    assert sites.get("nope") is None


def test_put_replaces_the_configuration_and_keeps_the_live_limit(sites: SiteRepository) -> None:
    sites.put(FULL, T0)
    sites.set_live_limit("full", LIVE, T0)

    stored = sites.put(Site("full", "Depot", Decimal(40)), T1)

    assert stored == StoredSite(Site("full", "Depot", Decimal(40)), LIVE, T1)
    assert sites.get("full") == stored


def test_a_live_limit_is_set_and_ended_with_the_time_of_the_change(sites: SiteRepository) -> None:
    sites.put(BARE, T0)

    assert sites.set_live_limit("bare", LIVE, T1) == StoredSite(BARE, LIVE, T1)
    ended = sites.set_live_limit("bare", None, T1 + timedelta(seconds=1))
    assert ended == StoredSite(BARE, None, T1 + timedelta(seconds=1))
    assert sites.get("bare") == ended


def test_a_live_limit_on_no_site_stores_nothing(sites: SiteRepository) -> None:
    assert sites.set_live_limit("nope", LIVE, T0) is None
    assert sites.set_live_limit("nope", None, T0) is None
    assert sites.get("nope") is None


def test_a_deleted_site_is_gone_with_its_live_limit(sites: SiteRepository) -> None:
    sites.put(BARE, T0)
    sites.set_live_limit("bare", LIVE, T0)

    assert sites.delete("bare") is True
    assert sites.get("bare") is None
    assert sites.delete("bare") is False
    assert sites.put(BARE, T1) == StoredSite(BARE, None, T1)


def test_pages_hold_each_site_once(sites: SiteRepository) -> None:
    stored = [sites.put(Site(f"S-{n}", f"Site {n}", Decimal(32 + n)), T0) for n in range(5)]

    assert_pages_hold_each_once(sites.page, stored, lambda site: site.site.site_id)


def test_a_token_no_listing_returned_is_refused(sites: SiteRepository) -> None:
    sites.put(BARE, T0)

    for token in FOREIGN_TOKENS:
        with pytest.raises(InvalidPageTokenError):
            sites.page(2, token)
