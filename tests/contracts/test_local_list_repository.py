"""The local list sync record: stored whole, changed by conditional writes, listed, deleted with its charger."""

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from csms.composition import Repositories
from csms.domain.local_lists import InFlight, LocalListRepository, LocalListState
from csms.domain.ports import ChargePointRepository

AT = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def local_lists(repositories: Repositories) -> LocalListRepository:
    return repositories.local_lists


def test_a_charger_without_a_record_has_the_empty_state(local_lists: LocalListRepository) -> None:
    assert local_lists.get("CP-1") == LocalListState()
    assert local_lists.charge_point_ids() == []


def test_every_field_is_kept(local_lists: LocalListRepository) -> None:
    state = LocalListState(
        enabled=True,
        active=True,
        version=7,
        held={"TAG-1": "0123456789ab", "TAG-2\nISO14443": "ba9876543210"},
        full_needed=False,
        check_version=True,
        query_limits=True,
        unsupported=True,
        clearing=True,
        in_flight=InFlight("SendLocalList", AT, 8, "conn-1"),
        failure="SendLocalList 6 answered Failed",
    )

    assert local_lists.update("CP-1", lambda _: state) == state
    assert local_lists.get("CP-1") == state
    empty = replace(state, enabled=None, version=None, held={}, in_flight=None, failure=None)
    local_lists.update("CP-1", lambda _: empty)
    assert local_lists.get("CP-1") == empty


def test_a_change_made_from_an_older_record_is_made_again_from_the_newer_one(
    local_lists: LocalListRepository,
) -> None:
    local_lists.update("CP-1", lambda state: replace(state, version=1))
    seen: list[int | None] = []

    def claim(state: LocalListState) -> LocalListState:
        seen.append(state.version)
        if len(seen) == 1:  # another writer claims the next version meanwhile
            local_lists.update("CP-1", lambda other: replace(other, version=2, in_flight=InFlight("X", AT)))
        return replace(state, held={"TAG": f"after {state.version}"})

    written = local_lists.update("CP-1", claim)

    assert seen == [1, 2]
    assert written == local_lists.get("CP-1")
    assert (written.version, written.in_flight, written.held) == (2, InFlight("X", AT), {"TAG": "after 2"})


def test_the_records_are_listed_by_charger_and_go_with_it(
    local_lists: LocalListRepository, charge_points: ChargePointRepository
) -> None:
    for charge_point_id in ("CP-2", "CP-1"):
        charge_points.register(charge_point_id, None, AT)
        local_lists.update(charge_point_id, lambda state: replace(state, enabled=True))

    assert local_lists.charge_point_ids() == ["CP-1", "CP-2"]
    assert charge_points.get("CP-1") is not None  # the record is not read as part of the charger

    charge_points.delete("CP-1")

    assert local_lists.charge_point_ids() == ["CP-2"]
    assert local_lists.get("CP-1") == LocalListState()
