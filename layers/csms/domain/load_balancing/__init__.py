"""Load balancing at a site: how much current each active session may draw, and the order that applies it safely.

`allocation` shares the site's limit among its sessions; `apply_planning` turns an allocation into
SetChargingProfile stages that keep the sum of the chargers' effective limits within the limit at every step.
Pure domain: no I/O, amps as `Decimal`.
"""

from csms.domain.load_balancing.allocation import allocate
from csms.domain.load_balancing.apply_planning import ApplyPlan, LimitChange, ProfileAnswer, apply_outcome, plan_changes
from csms.domain.load_balancing.demand import SessionDemand, phase_sums, site_loads

__all__ = [
    "ApplyPlan",
    "LimitChange",
    "ProfileAnswer",
    "SessionDemand",
    "allocate",
    "apply_outcome",
    "phase_sums",
    "plan_changes",
    "site_loads",
]
