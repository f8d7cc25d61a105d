"""Applying an allocation without ever exceeding the site's limit, not even between two commands.

Each session is counted at the most its charger may hold: the limit it accepted last, and while a
change is on its way the higher of the old and the new limit. A change answered Rejected (or a
CALLERROR) leaves the old limit. One never answered (an offline charger, a lost answer) may or may not
have been applied: the charger holds one of the two, so it is counted at the higher, and the lower is
kept too (`ApplyPlan.lowest`) until an accepted change says which.

The first stage sends every change that cannot make a charger draw more: the decreases (to at most
the lowest it may hold). Once it is answered, each later stage sends, in key order and each whole,
the changes that fit: every phase the session loads stays within the limit in force at that moment
with the session at its new limit and every other one at the most it may hold. A decrease that was
rejected or not answered keeps its headroom, and nobody is raised into it. An unconfirmed session's
target is sent again even when it is what the session is counted at, and so is the target of a session
whose vehicle awaits a schedule (`resend`). Changes that never fit are left
to the next rebalance (`ApplyPlan.waiting` once the plan is done). Sessions outside the target (an
offline charger's) are counted and left alone.
"""

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from csms.domain.load_balancing.demand import phase_sums


class ProfileAnswer(StrEnum):
    """How a charger answered a SetChargingProfile."""

    ACCEPTED = "Accepted"
    REJECTED = "Rejected"  # Rejected, or a CALLERROR: the charger kept its limit
    NO_ANSWER = "NoAnswer"  # offline or timed out: applied or not, nobody knows


@dataclass(frozen=True)
class LimitChange:
    """A session's limit to change to `amps`; its charger holds `previous_amps`, or as little as
    `lowest_amps` when a change it never answered may have lowered it."""

    key: str
    previous_amps: Decimal
    amps: Decimal
    lowest_amps: Decimal

    @property
    def raises(self) -> bool:
        """Whether its charger may draw more once it applies it."""
        return self.amps > self.lowest_amps

    def settled(self, answer: ProfileAnswer) -> tuple[Decimal, Decimal]:
        """The lowest and the highest limit its charger may hold once it answered `answer`."""
        if answer is ProfileAnswer.ACCEPTED:
            return self.amps, self.amps
        if answer is ProfileAnswer.REJECTED:
            return self.lowest_amps, self.previous_amps
        return min(self.lowest_amps, self.amps), max(self.previous_amps, self.amps)


@dataclass(frozen=True)
class ApplyPlan:
    """Where applying an allocation stands: what is counted, the stage to send now, the changes after it."""

    limit_amps: Decimal
    loads: Mapping[str, frozenset[int]]
    effective: Mapping[str, Decimal]  # the most each session's charger may hold, before `stage` is answered
    lowest: Mapping[str, Decimal]  # the sessions whose charger may hold less (a change never answered): the least
    stage: tuple[LimitChange, ...]  # to send now, all at once; empty when the plan is done
    waiting: tuple[LimitChange, ...]  # changes for a later stage; once done, those that did not fit

    @property
    def done(self) -> bool:
        return not self.stage


def plan_changes(
    effective: Mapping[str, Decimal],
    target: Mapping[str, Decimal],
    limit_amps: Decimal,
    loads: Mapping[str, frozenset[int]],
    lowest: Mapping[str, Decimal] | None = None,
    resend: Collection[str] = (),
) -> ApplyPlan:
    """The stages that take the sessions from `effective` to `target` under `limit_amps` (per phase).

    `effective` holds every active session of the site (the latest accepted limit, else the default
    profile's, else the charger's maximum; after a change never answered, the higher of its two limits),
    `loads` the phases each one loads, `lowest` the lower limit of those changes never answered (a
    finished plan's `lowest`), `resend` the sessions whose target is sent even when their charger holds
    it already (a vehicle's charging needs await a schedule).
    """
    unknown = sorted(set(target) - set(effective))
    if unknown:
        raise ValueError(f"no effective limit for {unknown}")
    unloaded = sorted(set(effective) - set(loads))
    if unloaded:
        raise ValueError(f"no phases for {unloaded}")
    uncertain = {key: amps for key, amps in (lowest or {}).items() if key in effective and amps < effective[key]}
    changes = [
        LimitChange(key, effective[key], amps, uncertain.get(key, effective[key]))
        for key, amps in sorted(target.items())
        if amps != effective[key] or key in uncertain or key in resend
    ]
    first = tuple(change for change in changes if not change.raises)
    later = [change for change in changes if change.raises]
    if first:
        return ApplyPlan(limit_amps, loads, dict(effective), uncertain, first, tuple(later))
    return _next_stage(limit_amps, loads, dict(effective), uncertain, later)


def apply_outcome(plan: ApplyPlan, answers: Mapping[str, ProfileAnswer], limit_amps: Decimal) -> ApplyPlan:
    """The plan once the chargers answered `plan.stage` (a change without an answer: NO_ANSWER), with the
    next stage: the waiting changes that fit under `limit_amps`, the limit in force now."""
    effective, lowest = dict(plan.effective), dict(plan.lowest)
    for change in plan.stage:
        least, most = change.settled(answers.get(change.key, ProfileAnswer.NO_ANSWER))
        effective[change.key] = most
        if least < most:
            lowest[change.key] = least
        else:
            lowest.pop(change.key, None)
    return _next_stage(limit_amps, plan.loads, effective, lowest, plan.waiting)


def _next_stage(
    limit_amps: Decimal,
    loads: Mapping[str, frozenset[int]],
    effective: dict[str, Decimal],
    lowest: dict[str, Decimal],
    changes: Iterable[LimitChange],
) -> ApplyPlan:
    """The changes that fit, in order; the others wait.

    A change fits when its phases stay within the limit with its session at the new limit and every other
    one at the most it may hold (a change already in the stage at the higher of its two limits)."""
    sums = phase_sums(effective, loads)
    stage, waiting = [], []
    for change in changes:
        phases, counted = loads[change.key], effective[change.key]
        if all(sums[phase] - counted + change.amps <= limit_amps for phase in phases):
            stage.append(LimitChange(change.key, counted, change.amps, lowest.get(change.key, counted)))
            for phase in phases:
                sums[phase] += max(change.amps - counted, Decimal(0))
        else:
            waiting.append(change)
    return ApplyPlan(limit_amps, loads, effective, lowest, tuple(stage), tuple(waiting))
