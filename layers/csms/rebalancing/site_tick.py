"""The periodic site tick: rebalances what no stored change announces.

A limit that changes with time (a schedule period starting or ending, a live limit expiring), and the
sessions the last rebalance could not give their allocation (Rejected, or Offline whose charger is
connected again): each such site is requested a rebalance, at most once a tick (requests coalesce).

Rebalances plan for the lowest limit over the look-ahead (`csms.domain.sites.planning_limit`), so a
drop is applied before it takes effect: the last tick at least a rebalance's time before the drop sees
it within `tick interval + REBALANCE_TIME`, and its rebalance has that time to apply it.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from csms.domain.ports import ChargePointRepository, Clock, SiteRepository
from csms.domain.sites import StoredSite
from csms.observability import logger
from csms.rebalancing.models import ProfileStatus, SiteAllocation
from csms.rebalancing.ports import AllocationRepository
from csms.rebalancing.requests import RebalanceRequests

# The time a rebalance takes to apply a lower limit, with margin: a run already in progress finishing
# first (each of its stages waits at most the command timeout, 30 s by default), the debounce (1 s),
# then its decreases sent and answered (a second or two; at most the command timeout).
REBALANCE_TIME = timedelta(minutes=2)
SITES_PAGE = 100


def look_ahead(tick_interval: timedelta) -> timedelta:
    """How far ahead a rebalance plans its limit (see the module's docstring)."""
    return tick_interval + REBALANCE_TIME


@dataclass
class TickRun:
    requested: list[str] = field(default_factory=list)  # sites asked to rebalance
    failed: list[str] = field(default_factory=list)  # sites that could not be looked at (the next tick retries)


class SiteTick:
    def __init__(
        self,
        sites: SiteRepository,
        allocations: AllocationRepository,
        charge_points: ChargePointRepository,
        requests: RebalanceRequests,
        clock: Clock,
        tick_interval: timedelta,
    ) -> None:
        self._sites = sites
        self._allocations = allocations
        self._charge_points = charge_points
        self._requests = requests
        self._clock = clock
        self._look_ahead = look_ahead(tick_interval)

    def run(self) -> TickRun:
        run, now = TickRun(), self._clock.now()
        for stored in self._every_site():
            site_id = stored.site.site_id
            try:
                allocation = self._allocations.get(site_id)
                if allocation is not None and self._due(stored, allocation, now):
                    self._requests.request(site_id)
                    run.requested.append(site_id)
            except Exception:
                logger.exception("Site tick failed for a site", extra={"site_id": site_id})
                run.failed.append(site_id)
        return run

    def _due(self, stored: StoredSite, allocation: SiteAllocation, now: datetime) -> bool:
        """Its planning limit moved away from the one its allocation was made for, or a session is to retry.
        A site never rebalanced has no sessions to share its limit among yet (a session's start requests one)."""
        if stored.planning_limit(now, self._look_ahead).amps != allocation.limit_amps:
            return True
        return any(
            session.profile_status is ProfileStatus.REJECTED
            or (session.profile_status is ProfileStatus.OFFLINE and self._connected(session.charger_id))
            for session in allocation.sessions
        )

    def _connected(self, charge_point_id: str) -> bool:
        charge_point = self._charge_points.get(charge_point_id)
        return charge_point is not None and charge_point.connected

    def _every_site(self) -> Iterator[StoredSite]:
        next_token: str | None = None
        while True:
            page = self._sites.page(SITES_PAGE, next_token)
            yield from page.items
            next_token = page.next_token
            if next_token is None:
                return
