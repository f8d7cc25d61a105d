"""Sharing a site's limit (amps per phase) among its active sessions.

In this order:
1. A session whose charger is offline keeps the limit it holds (`fixed_amps`) and is counted at it.
2. Each other session, highest priority then earliest arrival first, gets the site's minimum current
   if that fits on every phase it loads and under its cap (its charger's maximum, or an external limit
   below it), else 0: paused, so the lowest priority and latest arrivals are paused first, and a
   vehicle is never starved below the minimum.
3. A vehicle that asked for energy by a departure time is raised toward the current that delivers it
   in time (as much as it can take once the departure has passed), where the limit allows.
4. What is left is shared by water-filling, higher priorities first: within a priority the lowest
   allocations rise together until they reach their cap or a phase they load is full.

Amps are multiples of 0.1 A (OCPP limits carry at most one decimal), rounded down; tenths that cannot
be split equally go to the earliest arrivals (then the smaller key), so the result is deterministic.
"""

from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from itertools import groupby

from csms.domain.load_balancing.demand import PHASE_NUMBERS, SITE_PHASES, SessionDemand, site_loads

SECONDS_PER_HOUR = 3600
TENTH = Decimal("0.1")

Loads = Mapping[str, frozenset[int]]


def allocate(
    limit_amps: Decimal,
    site_phases: int,
    min_amps: Decimal,
    sessions: Iterable[SessionDemand],
    now: datetime,
    voltage: Decimal,
) -> dict[str, Decimal]:
    """Each session's key and the current it may draw per phase (see the module's docstring)."""
    _check_site(limit_amps, site_phases, min_amps, voltage)
    ordered = sorted(sessions, key=lambda session: (-session.priority, session.arrived_at, session.key))
    if len({session.key for session in ordered}) < len(ordered):
        raise ValueError("two sessions have the same key")
    loads = site_loads(ordered, site_phases)
    budget = dict.fromkeys(PHASE_NUMBERS, _tenths(limit_amps, ROUND_FLOOR))
    fixed = {session.key: session.fixed_amps for session in ordered if session.fixed_amps is not None}
    for key, amps in fixed.items():
        for phase in loads[key]:
            budget[phase] -= _tenths(amps, ROUND_CEILING)
    flexible = [session for session in ordered if session.fixed_amps is None]
    caps = {session.key: _tenths(session.cap_amps, ROUND_FLOOR) for session in flexible}
    levels, admitted = _minimums(flexible, caps, _tenths(min_amps, ROUND_CEILING), budget, loads)
    needs = {
        session.key: max(levels[session.key], min(need, caps[session.key]))
        for session in flexible
        if session.key in admitted and (need := _needed_tenths(session, now, voltage, site_phases)) is not None
    }
    _fill(levels, {key: needs.get(key, level) for key, level in levels.items()}, flexible, budget, loads)
    _fill(levels, {key: caps[key] if key in admitted else 0 for key in levels}, flexible, budget, loads)
    return {
        session.key: fixed[session.key] if session.key in fixed else Decimal(levels[session.key]).scaleb(-1)
        for session in ordered
    }


def _check_site(limit_amps: Decimal, site_phases: int, min_amps: Decimal, voltage: Decimal) -> None:
    if site_phases not in SITE_PHASES:
        raise ValueError(f"a site has 1 or 3 phases, not {site_phases}")
    for name, value in (("limit", limit_amps), ("minimum current", min_amps)):
        if not (value.is_finite() and value >= 0):
            raise ValueError(f"the {name} must be a number of amps of at least 0, not {value}")
    if not (voltage.is_finite() and voltage > 0):
        raise ValueError(f"the voltage must be a positive number, not {voltage}")


def _tenths(amps: Decimal, rounding: str) -> int:
    return int((amps / TENTH).to_integral_value(rounding=rounding))


def _minimums(
    sessions: list[SessionDemand], caps: Mapping[str, int], minimum: int, budget: dict[int, int], loads: Loads
) -> tuple[dict[str, int], set[str]]:
    """Every session at the minimum, in order of precedence, while it fits; the rest at 0 (paused)."""
    levels, admitted = {}, set()
    for session in sessions:
        phases = loads[session.key]
        if minimum <= caps[session.key] and all(budget[phase] >= minimum for phase in phases):
            admitted.add(session.key)
            for phase in phases:
                budget[phase] -= minimum
        levels[session.key] = minimum if session.key in admitted else 0
    return levels, admitted


def _needed_tenths(session: SessionDemand, now: datetime, voltage: Decimal, site_phases: int) -> int | None:
    """The current that delivers the energy the vehicle still asks for by its departure; None without a request."""
    if session.energy_request_wh is None or session.departure is None:
        return None
    remaining_wh = session.energy_request_wh - (session.energy_delivered_wh or 0)
    if remaining_wh <= 0:
        return None
    seconds = _seconds(session.departure - now)
    if seconds <= 0:
        return _tenths(session.cap_amps, ROUND_FLOOR)
    phases = 1 if site_phases == 1 else session.phases
    return _tenths(remaining_wh * SECONDS_PER_HOUR / (seconds * voltage * phases), ROUND_CEILING)


def _seconds(duration: timedelta) -> Decimal:
    return Decimal(duration // timedelta(microseconds=1)).scaleb(-6)


def _fill(
    levels: dict[str, int],
    ceilings: Mapping[str, int],
    sessions: list[SessionDemand],
    budget: dict[int, int],
    loads: Loads,
) -> None:
    """Water-filling toward `ceilings`, one priority tier after the other (`sessions` in order of precedence)."""
    for _, tier in groupby(sessions, key=lambda session: session.priority):
        keys = [session.key for session in tier]
        while rising := [
            key for key in keys if levels[key] < ceilings[key] and all(budget[phase] > 0 for phase in loads[key])
        ]:
            lowest = min(levels[key] for key in rising)
            group = [key for key in rising if levels[key] == lowest]
            next_level = min([ceilings[key] for key in group] + [levels[key] for key in rising if levels[key] > lowest])
            sharing = Counter(phase for key in group for phase in loads[key])
            step = min(next_level - lowest, *(budget[phase] // count for phase, count in sharing.items()))
            if step == 0:  # a phase has fewer tenths left than sessions to share them
                step, group = 1, _earliest_that_fit(group, budget, loads)
            for key in group:
                levels[key] += step
                for phase in loads[key]:
                    budget[phase] -= step


def _earliest_that_fit(group: list[str], budget: Mapping[int, int], loads: Loads) -> list[str]:
    """The sessions of `group`, in order, that can each have one more tenth on every phase they load."""
    left, fit = dict(budget), []
    for key in group:
        if all(left[phase] > 0 for phase in loads[key]):
            fit.append(key)
            for phase in loads[key]:
                left[phase] -= 1
    return fit
