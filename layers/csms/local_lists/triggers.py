"""What stored changes call for a charger's local list: an id token added, changed or deleted (every kept list),
a charger that booted or reconnected (ask its version, then bring it up to date) or changed site, a site whose
setting changed (its chargers)."""

from csms.domain.models import ChargePoint, IdToken
from csms.domain.ports import ChargePointRepository
from csms.domain_events.stored_changes import IdTokenChange, ProfileChange, SiteChange, StoredChange
from csms.local_lists.sync import LocalListSync


def _listed(token: IdToken | None) -> tuple[object, ...] | None:
    """What of a token a list carries (not its tariff nor priority)."""
    if token is None:
        return None
    return (token.status, token.expiry, token.parent_id, token.token_type)


def _came_back(before: ChargePoint | None, after: ChargePoint) -> bool:
    booted = after.last_boot is not None and (before is None or before.last_boot != after.last_boot)
    return booted or (after.connected and (before is None or not before.connected))


class LocalListTriggers:
    def __init__(self, sync: LocalListSync, charge_points: ChargePointRepository) -> None:
        self._sync = sync
        self._charge_points = charge_points

    def changed(self, change: StoredChange) -> None:
        match change:
            case IdTokenChange() if _listed(change.before) != _listed(change.after):
                self._sync.everywhere()
            case ProfileChange(after=ChargePoint() as after):
                before = change.before
                if _came_back(before, after):
                    self._sync.sync([after.charge_point_id], reconnected=True)
                elif before is not None and before.wiring.site_id != after.wiring.site_id:
                    self._sync.sync([after.charge_point_id])
            case SiteChange(before=before, after=after):
                was = before is not None and before.site.local_list_enabled
                now = after is not None and after.site.local_list_enabled
                if was != now:
                    self._sync.sync(self._charge_points.ids_at_site(change.site_id))
