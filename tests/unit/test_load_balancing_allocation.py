"""The allocator: a site's limit shared among its sessions (minimum or paused, caps, priorities, phases,
departure-time requests), table-driven; then properties over generated sites."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from csms.domain.load_balancing import SessionDemand, allocate, phase_sums, site_loads

NOW = datetime(2026, 11, 23, 18, 0, tzinfo=UTC)
VOLTAGE = Decimal(230)
MINIMUM = Decimal(6)
D = Decimal
TENTH = Decimal("0.1")


def session(key: str, minute: int = 0, max_amps: str = "32", **fields: Any) -> SessionDemand:
    """A session of charger CP-`key` that arrived `minute` minutes before NOW."""
    for name in ("energy_request_wh", "energy_delivered_wh", "external_limit_amps", "fixed_amps"):
        if isinstance(fields.get(name), str):
            fields[name] = D(fields[name])
    return SessionDemand(
        key=key, charger_id=f"CP-{key}", transaction_id=f"tx-{key}", connector_id=1, max_amps=D(max_amps),
        arrived_at=NOW - timedelta(minutes=60 - minute), **fields,
    )  # fmt: skip


def leaving(hours: float) -> datetime:
    return NOW + timedelta(hours=hours)


# (case, limit per phase, site phases, sessions, expected amps per key)
CASES = [
    ("equal share", "32", 3, [session("a"), session("b", 1)], {"a": "16", "b": "16"}),
    ("tenths that do not split go to the earliest arrivals", "20", 3,
     [session("c", 2), session("a"), session("b", 1)], {"a": "6.7", "b": "6.7", "c": "6.6"}),
    ("same arrival: the smaller key first", "20", 3,
     [session("b"), session("c"), session("a")], {"a": "6.7", "b": "6.7", "c": "6.6"}),
    ("the limit is used to the tenth, rounded down", "16.19", 3, [session("a"), session("b", 1)],
     {"a": "8.1", "b": "8"}),
    ("capped by the charger's maximum, the rest to the others", "40", 3,
     [session("a", max_amps="10"), session("b", 1)], {"a": "10", "b": "30"}),
    ("everyone at their cap, the rest unused", "100", 3,
     [session("a", max_amps="16"), session("b", 1, max_amps="16")], {"a": "16", "b": "16"}),
    ("an external limit below the maximum caps", "40", 3,
     [session("a", external_limit_amps="8"), session("b", 1)], {"a": "8", "b": "32"}),
    ("an external limit below the minimum pauses", "40", 3,
     [session("a", external_limit_amps="4"), session("b", 1)], {"a": "0", "b": "32"}),
    ("the minimum, then the latest arrival paused", "16", 3,
     [session("a"), session("b", 1), session("c", 2)], {"a": "8", "b": "8", "c": "0"}),
    ("the lowest priority paused before a later arrival", "16", 3,
     [session("a"), session("b", 1), session("c", 2, priority=1)], {"a": "6", "b": "0", "c": "10"}),
    ("a higher priority is filled first", "40", 3,
     [session("a", 2, max_amps="16", priority=1), session("b"), session("c", 1)], {"a": "16", "b": "12", "c": "12"}),
    ("a higher priority takes all that is left", "20", 3,
     [session("a"), session("b", 1, priority=5)], {"a": "6", "b": "14"}),
    ("the limit below the sum of the minimums", "10", 3,
     [session("a"), session("b", 1), session("c", 2)], {"a": "10", "b": "0", "c": "0"}),
    ("the limit below the minimum pauses everyone", "5.9", 3, [session("a"), session("b", 1)], {"a": "0", "b": "0"}),
    ("no limit at all", "0", 3, [session("a")], {"a": "0"}),
    ("1-phase site: everyone on the one phase", "32", 1,
     [session("a"), session("b", 1, phases=1, site_phase=2)], {"a": "16", "b": "16"}),
    ("1-phase sessions on their own phases each get the limit", "16", 3,
     [session("a", phases=1, site_phase=1), session("b", 1, phases=1, site_phase=2),
      session("c", 2, phases=1, site_phase=3)], {"a": "16", "b": "16", "c": "16"}),
    ("a 3-phase session shares every phase", "16", 3,
     [session("a", phases=1, site_phase=1), session("b", 1, phases=1, site_phase=2), session("c", 2)],
     {"a": "8", "b": "8", "c": "8"}),
    ("a full phase stops only the sessions on it", "20", 3,
     [session("a", phases=1, site_phase=1), session("b", 1, phases=1, site_phase=1), session("c", 2),
      session("d", 3, phases=1, site_phase=2)], {"a": "6.7", "b": "6.7", "c": "6.6", "d": "13.4"}),
    ("two 1-phase sessions on one phase pause a 3-phase arrival the other phases could hold", "16", 3,
     [session("a", phases=1, site_phase=1), session("b", 1, phases=1, site_phase=1), session("c", 2)],
     {"a": "8", "b": "8", "c": "0"}),
    ("a 3-phase session shares only the 1-phase session's phase with it", "20", 3,
     [session("a", phases=1, site_phase=2), session("c", 1)], {"a": "10", "c": "10"}),
    ("a site phase counts for nothing on a 1-phase site", "16", 1,
     [session("a", phases=1, site_phase=1), session("b", 1, phases=1, site_phase=3)], {"a": "8", "b": "8"}),
    ("a 1-phase session on an unknown phase counts on every phase", "16", 3,
     [session("a", phases=1), session("b", 1, phases=1, site_phase=2)], {"a": "8", "b": "8"}),
    ("a full phase pauses the latest 1-phase arrival on it only", "12", 3,
     [session("a", phases=1, site_phase=1), session("b", 1, phases=1, site_phase=1),
      session("c", 2, phases=1, site_phase=1), session("d", 3, phases=1, site_phase=3)],
     {"a": "6", "b": "6", "c": "0", "d": "12"}),
    ("departure: what delivers the energy in time, the rest shared", "32", 3,
     [session("a", energy_request_wh="27600", departure=leaving(2)), session("b", 1)], {"a": "20", "b": "12"}),
    ("departure: energy delivered since the request is not asked again", "32", 3,
     [session("a", energy_request_wh="41400", energy_delivered_wh="13800", departure=leaving(2)), session("b", 1)],
     {"a": "20", "b": "12"}),
    ("departure: a need below the equal share changes nothing", "32", 3,
     [session("a", energy_request_wh="5520", departure=leaving(2)), session("b", 1)], {"a": "16", "b": "16"}),
    ("departure: the energy already delivered", "32", 3,
     [session("a", energy_request_wh="5000", energy_delivered_wh="5000", departure=leaving(1)), session("b", 1)],
     {"a": "16", "b": "16"}),
    ("departure: on one phase it takes three times the current", "32", 3,
     [session("a", phases=1, energy_request_wh="4600", departure=leaving(1)), session("b", 1)],
     {"a": "20", "b": "12"}),
    ("departure: rounded up to the tenth", "32", 3,
     [session("a", energy_request_wh="27601", departure=leaving(2)), session("b", 1)], {"a": "20.1", "b": "11.9"}),
    ("departure: passed, as much as it can take", "32", 3,
     [session("a", energy_request_wh="1000", departure=NOW - timedelta(minutes=1)), session("b", 1)],
     {"a": "26", "b": "6"}),
    ("departure: two needs beyond the limit are shared equally", "32", 3,
     [session("a", energy_request_wh="27600", departure=leaving(2)),
      session("b", 1, energy_request_wh="27600", departure=leaving(2))], {"a": "16", "b": "16"}),
    ("departure: before a higher priority's share", "32", 3,
     [session("a", energy_request_wh="27600", departure=leaving(2)), session("b", 1, priority=3)],
     {"a": "20", "b": "12"}),
    ("departure: a paused session gets nothing", "10", 3,
     [session("a"), session("b", 1, energy_request_wh="27600", departure=leaving(2))], {"a": "10", "b": "0"}),
    ("an offline charger keeps its limit and is counted at it", "32", 3,
     [session("a", fixed_amps="20"), session("b", 1), session("c", 2)], {"a": "20", "b": "6", "c": "6"}),
    ("an offline charger above the limit leaves nothing", "32", 3,
     [session("a", fixed_amps="40"), session("b", 1)], {"a": "40", "b": "0"}),
    ("an offline 1-phase charger holds only its phase", "16", 3,
     [session("a", phases=1, site_phase=1, fixed_amps="16"), session("b", 1, phases=1, site_phase=2)],
     {"a": "16", "b": "16"}),
]  # fmt: skip


@pytest.mark.parametrize(
    ("limit", "site_phases", "sessions", "expected"), [case[1:] for case in CASES], ids=[case[0] for case in CASES]
)
def test_allocation(limit: str, site_phases: int, sessions: list[SessionDemand], expected: dict[str, str]) -> None:
    allocation = allocate(D(limit), site_phases, MINIMUM, sessions, NOW, VOLTAGE)
    assert allocation == {key: D(amps) for key, amps in expected.items()}


def test_amps_are_tenths() -> None:
    allocation = allocate(D(20), 3, MINIMUM, [session("a"), session("b", 1), session("c", 2)], NOW, VOLTAGE)
    assert [str(amps) for amps in allocation.values()] == ["6.7", "6.7", "6.6"]


def test_no_sessions_nothing_to_share() -> None:
    assert allocate(D(32), 3, MINIMUM, [], NOW, VOLTAGE) == {}


def test_no_minimum_shares_everything() -> None:
    allocation = allocate(D(4), 3, D(0), [session("a"), session("b", 1)], NOW, VOLTAGE)
    assert allocation == {"a": D(2), "b": D(2)}


@pytest.mark.parametrize(
    ("limit", "site_phases", "minimum", "voltage", "sessions", "reason"),
    [
        ("-1", 3, "6", "230", [], "limit"),
        ("NaN", 3, "6", "230", [], "limit"),
        ("32", 2, "6", "230", [], "phases"),
        ("32", 3, "-6", "230", [], "minimum"),
        ("32", 3, "6", "0", [], "voltage"),
        ("32", 3, "6", "230", [session("a"), session("a", 1)], "same key"),
    ],
)
def test_refuses_what_is_not_a_site(
    limit: str, site_phases: int, minimum: str, voltage: str, sessions: list[SessionDemand], reason: str
) -> None:
    with pytest.raises(ValueError, match=reason):
        allocate(D(limit), site_phases, D(minimum), sessions, NOW, D(voltage))


@pytest.mark.parametrize(
    ("fields", "reason"),
    [({"phases": 2}, "phases"), ({"phases": 1, "site_phase": 4}, "site phase"), ({"max_amps": "-1"}, "max_amps"),
     ({"external_limit_amps": "Infinity"}, "external_limit_amps")],
)  # fmt: skip
def test_refuses_what_is_not_a_session(fields: dict[str, Any], reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        session("a", **fields)


# Properties over generated sites: amps in tenths, sessions of either kind on either site.
tenths = st.integers(min_value=0, max_value=800).map(lambda value: D(value).scaleb(-1))


@st.composite
def demands(draw: st.DrawFn) -> list[SessionDemand]:
    count = draw(st.integers(min_value=0, max_value=12))
    found = []
    for index in range(count):
        phases = draw(st.sampled_from([1, 3]))
        wants_energy = draw(st.booleans())
        found.append(
            session(
                f"s{index:02}",
                draw(st.integers(min_value=0, max_value=5)),
                max_amps=str(draw(tenths)),
                phases=phases,
                site_phase=draw(st.sampled_from([None, 1, 2, 3])) if phases == 1 else None,
                priority=draw(st.integers(min_value=0, max_value=2)),
                energy_request_wh=str(draw(st.integers(min_value=0, max_value=80_000))) if wants_energy else None,
                departure=leaving(draw(st.integers(min_value=-1, max_value=8))) if wants_energy else None,
                external_limit_amps=draw(st.none() | tenths),
                fixed_amps=draw(st.none() | tenths) if draw(st.integers(0, 5)) == 0 else None,
            )
        )
    return found


@settings(max_examples=300, deadline=None)
@given(limit=tenths, site_phases=st.sampled_from([1, 3]), minimum=st.sampled_from([D(0), D(6), D("6.5")]),
       sessions=demands())  # fmt: skip
def test_allocations_stay_within_the_limit_the_caps_and_the_minimum(
    limit: Decimal, site_phases: int, minimum: Decimal, sessions: list[SessionDemand]
) -> None:
    allocation = allocate(limit, site_phases, minimum, sessions, NOW, VOLTAGE)
    loads = site_loads(sessions, site_phases)
    fixed = {s.key: s.fixed_amps for s in sessions if s.fixed_amps is not None}
    held = phase_sums(fixed, loads)
    for phase, total in phase_sums(allocation, loads).items():
        assert total <= max(limit, held[phase]), f"phase {phase}: {total} A over {limit} A"
    for demand in sessions:
        amps = allocation[demand.key]
        if demand.fixed_amps is not None:
            assert amps == demand.fixed_amps
            continue
        assert amps == 0 or minimum <= amps <= demand.cap_amps, f"{demand.key}: {amps} A"
        assert amps == amps.quantize(D("0.1"))


@settings(max_examples=300, deadline=None)
@given(limit=tenths, site_phases=st.sampled_from([1, 3]), sessions=demands())
def test_what_is_left_is_shared_equally_and_nothing_is_wasted(
    limit: Decimal, site_phases: int, sessions: list[SessionDemand]
) -> None:
    """A charging session below its cap has a full phase on which no session of its priority has more than a
    tenth more than it (water-filling: max-min fair), departure-time requests aside."""
    sessions = [replace(demand, energy_request_wh=None, departure=None) for demand in sessions]
    allocation = allocate(limit, site_phases, MINIMUM, sessions, NOW, VOLTAGE)
    loads = site_loads(sessions, site_phases)
    used = phase_sums(allocation, loads)
    charging = [s for s in sessions if s.fixed_amps is None and allocation[s.key] > 0]
    for demand in charging:
        amps = allocation[demand.key]
        if amps + TENTH > demand.cap_amps:
            continue
        peers = [s for s in charging if s.priority == demand.priority]
        assert any(
            limit - used[phase] < TENTH
            and all(allocation[peer.key] <= amps + TENTH for peer in peers if phase in loads[peer.key])
            for phase in loads[demand.key]
        ), f"{demand.key} could have had more: {allocation}"
