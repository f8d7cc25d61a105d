"""Applying an allocation: decreases first, increases only into headroom the accepted decreases gave back,
table-driven; then a property test (hypothesis, stateful) over arrivals, departures, answers,
disconnections and limit changes that checks the limit after every step of every apply sequence."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from csms.domain.load_balancing import (
    ApplyPlan,
    LimitChange,
    ProfileAnswer,
    SessionDemand,
    allocate,
    apply_outcome,
    phase_sums,
    plan_changes,
    site_loads,
)

D = Decimal
ACCEPTED, REJECTED, NO_ANSWER = ProfileAnswer.ACCEPTED, ProfileAnswer.REJECTED, ProfileAnswer.NO_ANSWER
EVERY_PHASE = frozenset({1, 2, 3})


def amps(**values: str) -> dict[str, Decimal]:
    return {key: D(value) for key, value in values.items()}


def changes(plan_stage: tuple[LimitChange, ...]) -> list[tuple[str, str, str]]:
    return [(change.key, str(change.previous_amps), str(change.amps)) for change in plan_stage]


def on_its_way(plan: ApplyPlan) -> dict[str, Decimal]:
    """Each session's limit while the plan's stage is on its way: the higher of the counted and the sent one."""
    return {**plan.effective, **{change.key: max(change.previous_amps, change.amps) for change in plan.stage}}


def three_phase(*keys: str) -> dict[str, frozenset[int]]:
    return dict.fromkeys(keys, EVERY_PHASE)


def test_decreases_first_then_the_increases_they_make_room_for() -> None:
    plan = plan_changes(amps(a="16", b="16"), amps(a="6", b="26"), D(32), three_phase("a", "b"))
    assert changes(plan.stage) == [("a", "16", "6")]
    assert changes(plan.waiting) == [("b", "16", "26")]

    plan = apply_outcome(plan, {"a": ACCEPTED}, D(32))
    assert changes(plan.stage) == [("b", "16", "26")]
    assert plan.effective == amps(a="6", b="16")

    plan = apply_outcome(plan, {"b": ACCEPTED}, D(32))
    assert plan.done
    assert plan.effective == amps(a="6", b="26")
    assert plan.waiting == ()


@pytest.mark.parametrize("answer", [REJECTED, NO_ANSWER])
def test_a_decrease_not_accepted_keeps_its_headroom(answer: ProfileAnswer) -> None:
    plan = plan_changes(amps(a="16", b="16"), amps(a="6", b="26"), D(32), three_phase("a", "b"))
    plan = apply_outcome(plan, {"a": answer}, D(32))
    assert plan.done
    assert plan.effective == amps(a="16", b="16")
    assert changes(plan.waiting) == [("b", "16", "26")]


def test_a_change_without_an_answer_counts_as_unanswered() -> None:
    plan = plan_changes(amps(a="16", b="16"), amps(a="6", b="26"), D(32), three_phase("a", "b"))
    assert apply_outcome(plan, {}, D(32)) == apply_outcome(plan, {"a": NO_ANSWER}, D(32))


def test_of_two_decreases_only_the_accepted_headroom_is_given_out() -> None:
    plan = plan_changes(amps(a="12", b="12", c="8"), amps(a="8", b="8", c="16"), D(32), three_phase("a", "b", "c"))
    assert changes(plan.stage) == [("a", "12", "8"), ("b", "12", "8")]
    plan = apply_outcome(plan, {"a": ACCEPTED, "b": REJECTED}, D(32))
    assert plan.done
    assert changes(plan.waiting) == [("c", "8", "16")]
    assert plan.effective == amps(a="8", b="12", c="8")


@pytest.mark.parametrize(
    ("answer", "counted"), [(ACCEPTED, "26"), (REJECTED, "16"), (NO_ANSWER, "26")], ids=["accepted", "rejected", "none"]
)
def test_an_increase_is_counted_at_the_new_limit_unless_rejected(answer: ProfileAnswer, counted: str) -> None:
    plan = plan_changes(amps(a="6", b="16"), amps(a="6", b="26"), D(32), three_phase("a", "b"))
    assert changes(plan.stage) == [("b", "16", "26")]
    assert apply_outcome(plan, {"b": answer}, D(32)).effective == amps(a="6", b=counted)


def test_an_unanswered_change_is_counted_at_the_higher_limit_and_the_lower_one_kept() -> None:
    plan = plan_changes(amps(a="6", b="16"), amps(a="6", b="26"), D(32), three_phase("a", "b"))
    plan = apply_outcome(plan, {"b": NO_ANSWER}, D(32))
    assert (plan.effective, plan.lowest) == (amps(a="6", b="26"), amps(b="16"))

    plan = plan_changes(plan.effective, amps(a="6", b="16"), D(32), plan.loads, plan.lowest)
    assert changes(plan.stage) == [("b", "26", "16")]


@pytest.mark.parametrize(("answer", "lowest"), [(ACCEPTED, {}), (REJECTED, {"b": "16"}), (NO_ANSWER, {"b": "16"})])
def test_an_unconfirmed_limit_is_sent_again_and_only_its_acceptance_confirms_it(
    answer: ProfileAnswer, lowest: dict[str, str]
) -> None:
    plan = plan_changes(amps(a="6", b="26"), amps(a="6", b="26"), D(32), three_phase("a", "b"), amps(b="16"))
    assert changes(plan.stage) == [("b", "26", "26")]
    plan = apply_outcome(plan, {"b": answer}, D(32))
    assert (plan.effective, plan.lowest) == (amps(a="6", b="26"), amps(**lowest))


@pytest.mark.parametrize(("answer", "sent"), [(ACCEPTED, [("b", "6", "6")]), (REJECTED, [])])
def test_an_unconfirmed_limit_may_raise_what_its_charger_draws_so_it_waits_for_the_decreases(
    answer: ProfileAnswer, sent: list[tuple[str, str, str]]
) -> None:
    """b may hold 0 (its decrease to 0 was never answered): 6 A may raise it, only once a has come down."""
    plan = plan_changes(amps(a="6.1", b="6"), amps(a="6", b="6"), D(12), three_phase("a", "b"), amps(b="0"))
    assert changes(plan.stage) == [("a", "6.1", "6")]
    assert changes(apply_outcome(plan, {"a": answer}, D(12)).stage) == sent


def test_an_unconfirmed_limit_is_sent_where_it_alone_fits() -> None:
    """a may hold 6.1 A over the lowered limit, or 0: 6 A fits either way."""
    effective = amps(a="6.1", b="6", c="6")
    plan = plan_changes(effective, amps(a="6", b="6", c="6"), D(18), three_phase("a", "b", "c"), amps(a="0"))
    assert changes(plan.stage) == [("a", "6.1", "6")]


def test_an_unconfirmed_limit_on_its_way_is_counted_at_the_higher_of_the_two() -> None:
    """a may hold 10 A or 0, and is sent 6 A: b is raised only once a has answered."""
    plan = plan_changes(amps(a="10", b="6"), amps(a="6", b="10"), D(16), three_phase("a", "b"), amps(a="0"))
    assert (changes(plan.stage), changes(plan.waiting)) == ([("a", "10", "6")], [("b", "6", "10")])
    assert changes(apply_outcome(plan, {"a": ACCEPTED}, D(16)).stage) == [("b", "6", "10")]


def test_without_decreases_the_increases_that_fit_go_first() -> None:
    plan = plan_changes(amps(a="6", b="6"), amps(a="16", b="16"), D(32), three_phase("a", "b"))
    assert changes(plan.stage) == [("a", "6", "16"), ("b", "6", "16")]


def test_a_rejected_increase_gives_its_room_to_a_waiting_one() -> None:
    plan = plan_changes(amps(a="10", b="10", c="10"), amps(a="12", b="12", c="10"), D(32), three_phase("a", "b", "c"))
    assert changes(plan.stage) == [("a", "10", "12")]
    plan = apply_outcome(plan, {"a": REJECTED}, D(32))
    assert changes(plan.stage) == [("b", "10", "12")]


def test_a_rejection_on_one_phase_holds_back_only_that_phase() -> None:
    loads = {"a": frozenset({1}), "b": frozenset({1}), "c": frozenset({2}), "d": frozenset({2})}
    plan = plan_changes(amps(a="16", b="16", c="16", d="16"), amps(a="6", b="26", c="6", d="26"), D(32), loads)
    plan = apply_outcome(plan, {"a": REJECTED, "c": ACCEPTED}, D(32))
    assert changes(plan.stage) == [("d", "16", "26")]
    assert changes(plan.waiting) == [("b", "16", "26")]


def test_a_limit_lowered_between_stages_holds_back_the_increases() -> None:
    plan = plan_changes(amps(a="16", b="16"), amps(a="6", b="26"), D(32), three_phase("a", "b"))
    plan = apply_outcome(plan, {"a": ACCEPTED}, D(20))
    assert plan.done
    assert changes(plan.waiting) == [("b", "16", "26")]


def test_a_session_outside_the_target_is_counted_and_left_alone() -> None:
    plan = plan_changes(amps(a="20", b="6"), amps(b="26"), D(32), three_phase("a", "b"))
    assert plan.done
    assert changes(plan.waiting) == [("b", "6", "26")]


def test_nothing_to_change_is_done_at_once() -> None:
    plan = plan_changes(amps(a="16", b="16"), amps(a="16", b="16"), D(32), three_phase("a", "b"))
    assert (plan.done, plan.waiting) == (True, ())


def test_a_session_awaiting_a_schedule_is_sent_its_unchanged_limit_with_the_decreases() -> None:
    plan = plan_changes(amps(a="16", b="16"), amps(a="16", b="16"), D(32), three_phase("a", "b"), resend={"b"})
    assert changes(plan.stage) == [("b", "16", "16")]

    plan = apply_outcome(plan, {"b": ACCEPTED}, D(32))
    assert plan.done
    assert plan.effective == amps(a="16", b="16")


def test_refuses_a_target_without_an_effective_limit_or_a_session_without_phases() -> None:
    with pytest.raises(ValueError, match="no effective limit"):
        plan_changes(amps(a="16"), amps(a="16", b="6"), D(32), three_phase("a", "b"))
    with pytest.raises(ValueError, match="no phases"):
        plan_changes(amps(a="16", b="6"), amps(a="16"), D(32), three_phase("a"))


# The property: a site whose sessions come and go, whose chargers answer anything or nothing, go offline
# and come back, and whose limit changes, also while a rebalance is being applied. A charger's own limit
# (what it applies) must never push a phase over the limit in force; it may be over only because the
# limit was lowered, and then the CSMS never adds to that phase.
START = datetime(2026, 11, 23, 17, 0, tzinfo=UTC)
NOW = START + timedelta(hours=2)
MINIMUM = D(6)
VOLTAGE = D(230)
limits = st.integers(min_value=0, max_value=640).map(lambda tenths: D(tenths).scaleb(-1))
# A session's fields but its key and arrival: a charger of either kind, a priority, maybe an energy request.
arrivals = st.fixed_dictionaries(
    {
        "max_amps": st.integers(min_value=0, max_value=400).map(lambda tenths: D(tenths).scaleb(-1)),
        "phases": st.sampled_from([1, 3]),
        "site_phase": st.sampled_from([None, 1, 2, 3]),
        "priority": st.integers(min_value=0, max_value=2),
        "energy_request_wh": st.none() | st.integers(min_value=0, max_value=80).map(lambda kwh: D(kwh * 1000)),
        "departure": st.integers(min_value=-1, max_value=8).map(lambda hours: NOW + timedelta(hours=hours)),
    }
)


class SiteUnderLoadBalancing(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.site_phases = 3
        self.limit = D(0)
        self.sessions: dict[str, SessionDemand] = {}
        self.offline: set[str] = set()
        self.applied: dict[str, Decimal] = {}  # the chargers' own record: the limit each one applies
        self.counted: dict[str, Decimal] = {}  # the CSMS's count between rebalances
        self.lowest: dict[str, Decimal] = {}  # the CSMS's lower count of the sessions it is unsure of
        self.tolerated: dict[int, Decimal] = {}  # per phase, what the chargers may draw at most
        self.plan: ApplyPlan | None = None
        self.target: dict[str, Decimal] = {}
        # This rebalance must reach its target: nothing happened at the site since it started, every answer
        # was Accepted, and what the CSMS is unsure of leaves room for it.
        self.undisturbed = True
        self.arrivals = 0

    @initialize(site_phases=st.sampled_from([1, 3]), limit=limits, first=st.lists(arrivals, max_size=6))
    def open_site(self, site_phases: int, limit: Decimal, first: list[dict[str, Any]]) -> None:
        self.site_phases, self.limit = site_phases, limit
        self.tolerated = dict.fromkeys((1, 2, 3), limit)
        for fields in first:
            self.arrive(fields)

    @rule(fields=arrivals)
    def arrive(self, fields: dict[str, Any]) -> None:
        """A session starts, held at 0 A by the site's default profile until its TxProfile arrives."""
        self.arrivals += 1
        key = f"s{self.arrivals:03}"
        self.sessions[key] = SessionDemand(
            key=key, charger_id=f"CP-{key}", transaction_id=key, evse_id=1,
            arrived_at=START + timedelta(minutes=self.arrivals),
            **{**fields, "site_phase": fields["site_phase"] if fields["phases"] == 1 else None,
               "departure": fields["departure"] if fields["energy_request_wh"] is not None else None},
        )  # fmt: skip
        self.applied[key] = self.counted[key] = D(0)
        self.undisturbed = False

    @precondition(lambda self: self.sessions)
    @rule(data=st.data())
    def depart(self, data: st.DataObject) -> None:
        key = data.draw(st.sampled_from(sorted(self.sessions)))
        for record in (self.sessions, self.applied, self.counted):
            del record[key]
        self.offline.discard(key)
        self.lowest.pop(key, None)
        self.undisturbed = False

    @precondition(lambda self: set(self.sessions) - self.offline)
    @rule(data=st.data())
    def disconnect(self, data: st.DataObject) -> None:
        self.offline.add(data.draw(st.sampled_from(sorted(set(self.sessions) - self.offline))))
        self.undisturbed = False

    @precondition(lambda self: self.offline)
    @rule(data=st.data())
    def reconnect(self, data: st.DataObject) -> None:
        self.offline.discard(data.draw(st.sampled_from(sorted(self.offline))))
        self.undisturbed = False

    @rule(limit=limits)
    def change_limit(self, limit: Decimal) -> None:
        """A live limit or the schedule: a phase that may already draw more than the new limit is tolerated as it is."""
        drawn = self._exposure()
        self.limit = limit
        self.tolerated = {phase: max(limit, drawn[phase]) for phase in drawn}
        self.undisturbed = False

    @rule(tenths=st.integers(min_value=-10, max_value=10))
    def nudge_limit(self, tenths: int) -> None:
        """The limit a few tenths off: what is applied at the edge of the limit."""
        self.change_limit(max(self.limit + D(tenths).scaleb(-1), D(0)))

    @precondition(lambda self: self.plan is None)
    @rule()
    def rebalance(self) -> None:
        demands = [
            replace(demand, fixed_amps=self.counted[key] if key in self.offline else None)
            for key, demand in self.sessions.items()
        ]
        self.target = allocate(self.limit, self.site_phases, MINIMUM, demands, NOW, VOLTAGE)
        loads = site_loads(demands, self.site_phases)
        online = {key: amps for key, amps in self.target.items() if key not in self.offline}
        self.plan = plan_changes(dict(self.counted), online, self.limit, loads, self.lowest)
        # With every change accepted, the target is reached unless what the CSMS is unsure of leaves no room.
        unsure = {
            key: max(amps, self.counted[key]) if key in self.lowest else amps for key, amps in self.target.items()
        }
        self.undisturbed = all(amps <= self.limit for amps in phase_sums(unsure, loads).values())
        self._settle()

    @precondition(lambda self: self.plan is not None)
    @rule(data=st.data())
    def answer(self, data: st.DataObject) -> None:
        """The chargers answer the stage sent to them; a charger that did not answer may have applied it."""
        assert self.plan is not None
        answers = {}
        for change in self.plan.stage:
            if change.key not in self.sessions:
                continue  # the session ended: its profile went with it, and nobody answers
            if change.key in self.offline:
                answer = NO_ANSWER
            else:
                answer = data.draw(st.sampled_from(list(ProfileAnswer)), label=change.key)
            if answer is ACCEPTED or (answer is NO_ANSWER and data.draw(st.booleans(), label="applied")):
                self.applied[change.key] = change.amps
            answers[change.key] = answer
            self.undisturbed &= answer is ACCEPTED
        self.plan = apply_outcome(self.plan, answers, self.limit)
        self._settle()

    def _settle(self) -> None:
        """The CSMS's count follows the plan; once the plan is done, an undisturbed rebalance reached its target."""
        assert self.plan is not None
        self.counted.update({key: amps for key, amps in self.plan.effective.items() if key in self.sessions})
        self.lowest = {key: amps for key, amps in self.plan.lowest.items() if key in self.sessions}
        if not self.plan.done:
            return
        if self.undisturbed:
            assert self.plan.waiting == ()
            assert {key: self.applied[key] for key in self.sessions if key not in self.offline} == {
                key: amps for key, amps in self.target.items() if key not in self.offline
            }
        self.plan = None

    def _exposure(self) -> dict[int, Decimal]:
        """Per phase, the most the chargers may draw: what each applies, or the change on its way to it."""
        may_draw = dict(self.applied)
        for change in self.plan.stage if self.plan is not None else ():
            if change.key in may_draw:
                may_draw[change.key] = max(may_draw[change.key], change.amps)
        return phase_sums(may_draw, site_loads(self.sessions.values(), self.site_phases))

    @invariant()
    def the_csms_count_brackets_what_each_charger_applies(self) -> None:
        """At most what is counted (a change on its way at the higher of its two limits), at least the lowest."""
        counted = dict(self.counted)
        if self.plan is not None:
            counted.update({key: amps for key, amps in on_its_way(self.plan).items() if key in self.sessions})
        for key, amps in self.applied.items():
            assert self.lowest.get(key, self.counted[key]) <= amps <= counted[key], f"{key} applies {amps} A"

    @invariant()
    def no_phase_is_ever_over_the_limit(self) -> None:
        """Over the limit only as far as a lowered limit left it; what the CSMS does only brings it down.

        Checked after every step, with each change on its way counted as if its charger applied it already."""
        exposure = self._exposure()
        for phase, amps in exposure.items():
            assert amps <= self.tolerated[phase], f"phase {phase}: {amps} A over {self.tolerated[phase]} A"
        self.tolerated = {phase: max(self.limit, amps) for phase, amps in exposure.items()}


TestSiteUnderLoadBalancing = SiteUnderLoadBalancing.TestCase
TestSiteUnderLoadBalancing.settings = settings(max_examples=1000, stateful_step_count=40, deadline=None)
