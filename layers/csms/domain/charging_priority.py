"""A session's charging priority: its id token's `chargingPriority`, else its group's, else 0.

When a site's limit is shared (`csms.domain.load_balancing.allocate`) higher priorities are served first.
"""

from csms.domain.ports import IdTokenRepository

MIN_CHARGING_PRIORITY = -1000
MAX_CHARGING_PRIORITY = 1000
DEFAULT_CHARGING_PRIORITY = 0


class ChargingPriorities:
    def __init__(self, id_tokens: IdTokenRepository) -> None:
        self._id_tokens = id_tokens

    def of(self, id_token: str | None) -> int:
        """The priority of a session of `id_token` (None or unknown: the default)."""
        token = self._id_tokens.get(id_token) if id_token else None
        if token is None:
            return DEFAULT_CHARGING_PRIORITY
        if token.charging_priority is not None:
            return token.charging_priority
        group = self._id_tokens.get(token.parent_id) if token.parent_id else None
        if group is not None and group.charging_priority is not None:
            return group.charging_priority
        return DEFAULT_CHARGING_PRIORITY
