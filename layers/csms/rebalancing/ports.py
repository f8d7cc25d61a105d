"""What rebalancing stores: per site, whether a rebalance runs, and the allocation it applied."""

from datetime import datetime
from typing import Protocol

from csms.domain.pagination import Page
from csms.rebalancing.models import SiteAllocation


class RebalanceStateRepository(Protocol):
    """One record per site: `running` while a rebalance of it runs, `pending` while a request waits for the
    next. Every change is one conditional write, so two requests racing never both start one."""

    def request(self, site_id: str, at: datetime, stale_before: datetime) -> bool:
        """True: none ran (or the one running started before `stale_before`: its workflow died), and now one
        runs, started at `at`: the caller starts it. False: one runs, and it is now marked pending."""

    def take_pending(self, site_id: str) -> None:
        """The running rebalance reads the site now: what was requested until now is taken into account."""

    def finish(self, site_id: str) -> bool:
        """True: a request came since `take_pending` (the rebalance keeps running, to run again); False: none
        came, and no rebalance runs any more."""


class AllocationRepository(Protocol):
    def get(self, site_id: str) -> SiteAllocation | None: ...

    def put(self, allocation: SiteAllocation) -> None:
        """Replace the site's allocation."""

    def append_history(self, allocation: SiteAllocation) -> None:
        """Keep `allocation` in the site's history (by its `computed_at`)."""

    def history(self, site_id: str, limit: int, next_token: str | None = None) -> Page[SiteAllocation]:
        """Newest first; raises `InvalidPageTokenError` for a token no listing returned."""
