"""An active session as the allocator sees it, and the site phases its current loads.

Phases are numbered 1, 2, 3 (L1, L2, L3). On a 1-phase site everything loads phase 1. On a 3-phase
site a 3-phase session loads all three; a 1-phase session loads the one its charger is wired to
(`site_phase`, the charger's `sitePhase` the operator set), and when that is not known it is counted
on every phase, since it could be drawing from any of them.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

SITE_PHASES = (1, 3)
PHASE_NUMBERS = (1, 2, 3)


@dataclass(frozen=True, kw_only=True)
class SessionDemand:
    """An active session at a site: who it is, what its charger can take, and what the vehicle asked for."""

    key: str
    charger_id: str
    transaction_id: str
    connector_id: int | None = None  # OCPP 1.6
    evse_id: int | None = None  # OCPP 2.0.1
    max_amps: Decimal  # the charger's maximum per connector/EVSE, per phase
    phases: int = 3  # 1 or 3: how many phases the session draws from
    site_phase: int | None = None  # a 1-phase session's site phase (1-3); None: not known
    priority: int = 0  # higher first (the id token's chargingPriority)
    arrived_at: datetime
    energy_request_wh: Decimal | None = None  # 2.0.1 NotifyEVChargingNeeds energyAmount
    departure: datetime | None = None  # 2.0.1 NotifyEVChargingNeeds departureTime
    energy_delivered_wh: Decimal | None = None  # delivered since the energy request
    external_limit_amps: Decimal | None = None  # a limit a local energy manager set (NotifyChargingLimit)
    fixed_amps: Decimal | None = None  # a limit the CSMS cannot change now (its charger is offline): kept, counted

    def __post_init__(self) -> None:
        if self.phases not in SITE_PHASES:
            raise ValueError(f"{self.key}: phases must be 1 or 3, not {self.phases}")
        if self.site_phase is not None and self.site_phase not in PHASE_NUMBERS:
            raise ValueError(f"{self.key}: site phase must be 1, 2 or 3, not {self.site_phase}")
        for name in ("max_amps", "external_limit_amps", "fixed_amps"):
            amps = getattr(self, name)
            if amps is not None and not (amps.is_finite() and amps >= 0):
                raise ValueError(f"{self.key}: {name} must be a number of amps of at least 0, not {amps}")

    @property
    def cap_amps(self) -> Decimal:
        """The most this session may be given: its charger's maximum, or an external limit below it."""
        external = self.external_limit_amps
        return self.max_amps if external is None else min(self.max_amps, external)


def phases_drawn(session: SessionDemand, site_phases: int) -> frozenset[int]:
    """The site phases `session`'s current loads (see the module's docstring)."""
    if site_phases not in SITE_PHASES:
        raise ValueError(f"a site has 1 or 3 phases, not {site_phases}")
    if site_phases == 1:
        return frozenset({1})
    if session.phases == 1 and session.site_phase is not None:
        return frozenset({session.site_phase})
    return frozenset(PHASE_NUMBERS)


def site_loads(sessions: Iterable[SessionDemand], site_phases: int) -> dict[str, frozenset[int]]:
    """Each session's key and the site phases it loads."""
    return {session.key: phases_drawn(session, site_phases) for session in sessions}


def phase_sums(amps: Mapping[str, Decimal], loads: Mapping[str, frozenset[int]]) -> dict[int, Decimal]:
    """Per site phase, the sum of the current of the sessions that load it (phases nobody loads: 0)."""
    sums = dict.fromkeys(PHASE_NUMBERS, Decimal(0))
    for key, current in amps.items():
        for phase in loads[key]:
            sums[phase] += current
    return sums
