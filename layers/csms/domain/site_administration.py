"""The operator's sites: configuring them, their live limit, and the check that a site referred to exists.

Every change is checked whole before anything is stored; what is refused leaves the site as it was.
"""

from csms.domain.pagination import Page
from csms.domain.ports import ChargePointRepository, Clock, SiteRepository
from csms.domain.site_rules import is_valid_site_id, live_limit_violations, site_violations
from csms.domain.sites import LimitInForce, LiveLimit, Site, StoredSite
from csms.domain.violations import InvalidValuesError

# How many of a site's charge points a refused deletion names.
NAMED_CHARGE_POINTS = 10


class SiteInUseError(Exception):
    """A site that charge points are wired to cannot be deleted (the operator API answers 409)."""

    def __init__(self, site_id: str, charge_point_ids: list[str]) -> None:
        named = ", ".join(charge_point_ids[:NAMED_CHARGE_POINTS])
        more = (
            f" and {len(charge_point_ids) - NAMED_CHARGE_POINTS} more"
            if len(charge_point_ids) > NAMED_CHARGE_POINTS
            else ""
        )
        super().__init__(
            f"Site {site_id} still has chargers ({named}{more}): move them to another site or out of it first"
        )


class SiteAdministration:
    def __init__(self, sites: SiteRepository, charge_points: ChargePointRepository, clock: Clock) -> None:
        self._sites = sites
        self._charge_points = charge_points
        self._clock = clock

    def put(self, site: Site) -> StoredSite:
        """Create a site or replace its configuration (a live limit set on it stays); raises `InvalidValuesError`."""
        reasons = site_violations(site)
        if reasons:
            raise InvalidValuesError(reasons)
        return self._sites.put(site, self._clock.now())

    def get(self, site_id: str) -> StoredSite | None:
        """None also for an id no site can have (one too long for a key, say)."""
        return self._sites.get(site_id) if is_valid_site_id(site_id) else None

    def limit_in_force(self, stored: StoredSite) -> LimitInForce:
        """Now."""
        return stored.limit_in_force(self._clock.now())

    def page(self, limit: int, next_token: str | None = None) -> Page[StoredSite]:
        """In no particular order; raises `InvalidPageTokenError`."""
        return self._sites.page(limit, next_token)

    def delete(self, site_id: str) -> bool:
        """False if there is no such site; raises `SiteInUseError` while charge points are wired to it."""
        if self.get(site_id) is None:
            return False
        wired = self._charge_points.ids_at_site(site_id)
        if wired:
            raise SiteInUseError(site_id, wired)
        return self._sites.delete(site_id)

    def set_live_limit(self, site_id: str, live: LiveLimit) -> StoredSite | None:
        """Override the site's limits until the live limit expires; None if there is no such site; raises
        `InvalidValuesError`."""
        stored = self.get(site_id)
        if stored is None:
            return None
        reasons = live_limit_violations(stored.site, live, self._clock.now())
        if reasons:
            raise InvalidValuesError(reasons)
        return self._sites.set_live_limit(site_id, live, self._clock.now())

    def end_live_limit(self, site_id: str) -> StoredSite | None:
        """The configured limit and the schedule apply again; None if there is no such site."""
        if not is_valid_site_id(site_id):
            return None
        return self._sites.set_live_limit(site_id, None, self._clock.now())

    def unknown_site_reasons(self, site_id: str | None) -> list[str]:
        """For a charge point wired to a site: none for no site or one that exists."""
        if site_id is not None and self.get(site_id) is None:
            return [f"siteId: no site {site_id}: create it first (PUT /api/sites/{site_id})"]
        return []
