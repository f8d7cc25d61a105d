"""One rebalance at a time per site; requests that arrive while one runs are coalesced into the next.

A request either starts a rebalance (none ran) or marks the running one pending. The rebalance waits
`DEBOUNCE_SECONDS` before it reads the site, and takes the pending mark when it does: requests made
until then are answered by this very run (ten sessions starting within a second cause one rebalance,
two when some arrive after it read the site). When it is done it runs again if a request came since.
All of it lives in one conditional record per site, never in a process's memory.
"""

from collections.abc import Sequence
from datetime import timedelta
from uuid import uuid4

from csms.commands.ports import WorkflowStarter
from csms.domain.ports import ChargePointRepository, Clock
from csms.domain_events.stored_changes import StoredChange
from csms.observability import logger
from csms.rebalancing.ports import RebalanceStateRepository
from csms.rebalancing.triggers import sites_concerned

DEBOUNCE_SECONDS = 1
# A rebalance still marked running after this long lost its workflow (stopped, failed to start): the next
# request starts another. Longer than any rebalance takes (each stage waits at most the command timeout).
STALE_AFTER = timedelta(minutes=30)


class RebalanceRequests:
    def __init__(
        self,
        states: RebalanceStateRepository,
        rebalances: WorkflowStarter,
        charge_points: ChargePointRepository,
        clock: Clock,
    ) -> None:
        self._states = states
        self._charge_points = charge_points
        self._rebalances = rebalances
        self._clock = clock

    def changed(self, changes: Sequence[StoredChange]) -> list[StoredChange]:
        """Rebalance every site whose picture one of `changes` may change, each site once; returns the changes
        a site of which could not be requested (the others' requests are made all the same)."""
        concerned = sites_concerned(changes, self._charge_points)
        not_requested: set[str] = set()
        for site_id in sorted(set().union(*concerned)):
            try:
                self.request(site_id)
            except Exception:
                logger.exception("Rebalance not requested", extra={"site_id": site_id})
                not_requested.add(site_id)
        return [change for change, sites in zip(changes, concerned, strict=True) if sites & not_requested]

    def request(self, site_id: str) -> bool:
        """Rebalance `site_id` soon; True if this started a rebalance, False if it joined the running one."""
        now = self._clock.now()
        if not self._states.request(site_id, now, now - STALE_AFTER):
            return False
        self._rebalances.start(f"{_execution_safe(site_id)}-{uuid4().hex}", {"siteId": site_id})
        logger.info("Rebalance started", extra={"site_id": site_id})
        return True

    def take_pending(self, site_id: str) -> None:
        self._states.take_pending(site_id)

    def finish(self, site_id: str) -> bool:
        """True: run again (a request came meanwhile)."""
        return self._states.finish(site_id)


def _execution_safe(site_id: str) -> str:
    """Step Functions execution names allow letters, digits, `-` and `_`."""
    return "".join(character if character.isalnum() or character in "-_" else "_" for character in site_id)[:40]
