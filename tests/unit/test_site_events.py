"""`SiteChanged`: every stored change that alters what a site's chargers may draw, and nothing else."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from csms.domain.models import ChargePoint
from csms.domain.sites import ChargerWiring, LiveLimit, Site, StoredSite
from csms.domain_events.changes import events_of
from csms.domain_events.schemas import DomainEvent, SiteChanged
from csms.domain_events.stored_changes import ProfileChange, SiteChange

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
T1 = T0 + timedelta(minutes=5)
RECORDED = T1 + timedelta(seconds=1)
STORED = StoredSite(Site("S1", "Depot", Decimal(63)), None, T0)
REWRITTEN = replace(STORED, updated_at=T1)
OUTSIDE = ChargePoint("CP-1", updated_at=T0)
JOINED = replace(OUTSIDE, wiring=ChargerWiring("S1"), updated_at=T1)


def site_changed(event_id: str, at: datetime, charge_point_id: str | None = None, site_id: str = "S1") -> SiteChanged:
    return SiteChanged(event_id=event_id, occurred_at=at, site_id=site_id, charge_point_id=charge_point_id)


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        (None, STORED, [site_changed("SiteChanged:S1:2026-11-23T09:00:00.000Z", T0)]),
        (
            STORED,
            replace(REWRITTEN, site=replace(STORED.site, grid_limit_amps=Decimal(40))),
            [site_changed("SiteChanged:S1:2026-11-23T09:05:00.000Z", T1)],
        ),
        (
            STORED,
            replace(REWRITTEN, live_limit=LiveLimit(Decimal(20), T1 + timedelta(hours=1))),
            [site_changed("SiteChanged:S1:2026-11-23T09:05:00.000Z", T1)],
        ),
        # Stored again as it was: nothing changed that a charger would draw by.
        (STORED, REWRITTEN, []),
        (STORED, None, [site_changed("SiteChanged:S1:deleted:2026-11-23T09:00:00.000Z", RECORDED)]),
    ],
)
def test_a_sites_changes(before: StoredSite | None, after: StoredSite | None, expected: list[DomainEvent]) -> None:
    assert events_of(SiteChange("S1", before, after, RECORDED)) == expected


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        (OUTSIDE, JOINED, [site_changed("SiteChanged:S1:CP-1:2026-11-23T09:05:00.000Z", T1, "CP-1")]),
        (None, JOINED, [site_changed("SiteChanged:S1:CP-1:2026-11-23T09:05:00.000Z", T1, "CP-1")]),
        (
            JOINED,
            replace(OUTSIDE, updated_at=T1 + timedelta(minutes=1)),
            [site_changed("SiteChanged:S1:CP-1:2026-11-23T09:06:00.000Z", T1 + timedelta(minutes=1), "CP-1")],
        ),
        # Moved: both sites change.
        (
            JOINED,
            replace(JOINED, wiring=ChargerWiring("S2"), updated_at=T1 + timedelta(minutes=1)),
            [
                site_changed("SiteChanged:S1:CP-1:2026-11-23T09:06:00.000Z", T1 + timedelta(minutes=1), "CP-1"),
                site_changed("SiteChanged:S2:CP-1:2026-11-23T09:06:00.000Z", T1 + timedelta(minutes=1), "CP-1", "S2"),
            ],
        ),
        (
            JOINED,
            replace(JOINED, wiring=ChargerWiring("S1", Decimal(16)), updated_at=T1 + timedelta(minutes=1)),
            [site_changed("SiteChanged:S1:CP-1:2026-11-23T09:06:00.000Z", T1 + timedelta(minutes=1), "CP-1")],
        ),
        # Deleted while at a site: it leaves it.
        (JOINED, None, [site_changed("SiteChanged:S1:CP-1:deleted:2026-11-23T09:05:00.000Z", RECORDED, "CP-1")]),
        # Its password, tariff, connection or heartbeat: not the site's business.
        (JOINED, replace(JOINED, tariff_id="default", updated_at=T1 + timedelta(minutes=1)), []),
        (JOINED, replace(JOINED, connected=True, last_seen=T1), []),
        # No site before or after.
        (OUTSIDE, replace(OUTSIDE, wiring=ChargerWiring(None, Decimal(16), 1), updated_at=T1), []),
        (OUTSIDE, None, []),
        (None, ChargePoint("CP-1", connected=True), []),
    ],
)
def test_a_chargers_changes(before: ChargePoint | None, after: ChargePoint | None, expected: list[DomainEvent]) -> None:
    assert events_of(ProfileChange("CP-1", before, after, RECORDED)) == expected


def test_the_detail_names_the_site_and_the_charger() -> None:
    event = site_changed("SiteChanged:S1:CP-1:2026-11-23T09:05:00.000Z", T1, "CP-1")

    assert event.detail_json() == (
        '{"eventId":"SiteChanged:S1:CP-1:2026-11-23T09:05:00.000Z","schemaVersion":1,'
        '"occurredAt":"2026-11-23T09:05:00Z","siteId":"S1","chargePointId":"CP-1"}'
    )
