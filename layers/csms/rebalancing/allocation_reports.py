"""What the operator API shows of a site's allocation: the one in force, with the current each session draws
now, and its history, each entry with the currents measured when its rebalance finished."""

from dataclasses import dataclass

from csms.domain.pagination import Page
from csms.domain.site_administration import SiteAdministration
from csms.domain.sites import LimitInForce
from csms.rebalancing.measured_currents import MeasuredCurrents
from csms.rebalancing.models import SiteAllocation
from csms.rebalancing.ports import AllocationRepository


@dataclass(frozen=True)
class AllocationReport:
    site_id: str
    limit: LimitInForce  # now
    allocation: SiteAllocation | None  # None before the site's first rebalance


class AllocationReports:
    def __init__(
        self, sites: SiteAdministration, allocations: AllocationRepository, measured: MeasuredCurrents
    ) -> None:
        self._sites = sites
        self._allocations = allocations
        self._measured = measured

    def current(self, site_id: str) -> AllocationReport | None:
        """None if there is no such site."""
        stored = self._sites.get(site_id)
        if stored is None:
            return None
        allocation = self._allocations.get(site_id)
        measured = self._measured.of(allocation) if allocation is not None else None
        return AllocationReport(site_id, self._sites.limit_in_force(stored), measured)

    def history(self, site_id: str, limit: int, next_token: str | None = None) -> Page[SiteAllocation] | None:
        """Newest first; None if there is no such site; raises `InvalidPageTokenError`."""
        if self._sites.get(site_id) is None:
            return None
        return self._allocations.history(site_id, limit, next_token)
