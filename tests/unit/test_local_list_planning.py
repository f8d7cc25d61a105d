"""Planning a charger's local list (`csms.domain.local_lists`): which tokens, which step, in how many messages."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from csms.domain.local_lists import (
    IN_FLIGHT_HORIZON,
    AcceptedUpdate,
    CheckVersion,
    InFlight,
    ListLimits,
    LocalListState,
    QueryLimits,
    SendUpdate,
    UpdateType,
    WantedList,
    activated,
    claimed,
    plan,
    step_failed,
    update_accepted,
    update_refused,
    version_reported,
    wanted_list,
)
from csms.domain.models import IdToken, IdTokenStatus
from csms.wire.versions import OcppVersion

NOW = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
TOKENS = [
    IdToken("TAG-3", IdTokenStatus.ACCEPTED),
    IdToken("TAG-1", IdTokenStatus.ACCEPTED),
    IdToken("LOST", IdTokenStatus.BLOCKED),
    IdToken("A" * 21, IdTokenStatus.ACCEPTED),
]
LIMITS = ListLimits(items_per_message=2, max_entries=10)


def wanted(version: OcppVersion = OcppVersion.V16, limits: ListLimits = LIMITS) -> WantedList:
    return wanted_list(TOKENS, version, limits)


@pytest.mark.parametrize(
    ("version", "limits", "expected", "omitted"),
    [
        (OcppVersion.V16, LIMITS, ["LOST", "TAG-1", "TAG-3"], 0),  # refused first; 1.6 cannot carry 21 characters
        (OcppVersion.V201, LIMITS, ["LOST", "A" * 21, "TAG-1", "TAG-3"], 0),
        (OcppVersion.V16, ListLimits(2, 2), ["LOST", "TAG-1"], 1),  # the charger holds fewer than the fleet has
    ],
)
def test_which_tokens_a_list_carries(
    version: OcppVersion, limits: ListLimits, expected: list[str], omitted: int
) -> None:
    listed = wanted(version, limits)
    assert ([entry.id_token for entry in listed.entries], listed.omitted) == (expected, omitted)


def synced(held_from: WantedList, version: int = 5) -> LocalListState:
    held = {entry.key: entry.digest for entry in held_from.entries}
    return LocalListState(active=True, version=version, held=held, full_needed=False)


BUSY = InFlight("SendLocalList", NOW - timedelta(minutes=1), 6)
LOST_CLAIM = InFlight("SendLocalList", NOW - IN_FLIGHT_HORIZON, 6)


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        (LocalListState(), None),  # never enabled
        (LocalListState(active=True, query_limits=True), QueryLimits()),
        (LocalListState(active=True, check_version=True), CheckVersion()),
        (  # never sent: a full update, its first message as long as the charger takes
            LocalListState(active=True),
            SendUpdate(UpdateType.FULL, tuple((e.key, e) for e in wanted().entries[:2])),
        ),
        (synced(wanted()), None),  # in sync
        (replace(synced(wanted()), in_flight=BUSY), None),
        (  # a claim whose workflow died no longer holds the next step back
            replace(synced(WantedList(wanted().entries[:1], 0)), in_flight=LOST_CLAIM),
            SendUpdate(UpdateType.DIFFERENTIAL, tuple((e.key, e) for e in wanted().entries[1:3])),
        ),
        (  # a token deleted: removed first, then the token added
            synced(
                WantedList(
                    (
                        *wanted().entries[:2],
                        wanted_list([IdToken("GONE", IdTokenStatus.ACCEPTED)], OcppVersion.V16, LIMITS).entries[0],
                    ),
                    0,
                )
            ),
            SendUpdate(UpdateType.DIFFERENTIAL, (("GONE", None), (wanted().entries[2].key, wanted().entries[2]))),
        ),
        (LocalListState(active=False, version=3, held={"TAG-1": "x"}, clearing=True), SendUpdate(UpdateType.FULL, ())),
        (LocalListState(active=False, version=3, held={"TAG-1": "x"}), None),  # a list sent by hand stays
        (LocalListState(active=True, unsupported=True), None),
    ],
)
def test_the_next_step(state: LocalListState, expected: object) -> None:
    assert plan(state, wanted(), LIMITS, NOW) == expected


def test_an_accepted_full_then_differential_update_is_what_the_charger_holds() -> None:
    state = update_accepted(
        LocalListState(active=True), AcceptedUpdate(1, UpdateType.FULL, (("A", "1"), ("B", "2"))), "c-1"
    )
    state = update_accepted(
        state, AcceptedUpdate(2, UpdateType.DIFFERENTIAL, (("A", None), ("C", "3"), ("B", "4"))), "c-1"
    )

    assert (state.version, dict(state.held), state.full_needed) == (2, {"B": "4", "C": "3"}, False)


def test_a_differential_update_sent_on_a_later_connection_than_it_was_claimed_on_calls_for_a_full_update() -> None:
    """The charger may have lost its list in between (a factory reset) and accepted the update on top of an empty
    one, under the version the CSMS expects, so its version check cannot tell."""
    state = update_accepted(LocalListState(active=True), AcceptedUpdate(1, UpdateType.FULL, (("A", "1"),)), "c-1")
    under_way = claimed(state, SendUpdate(UpdateType.DIFFERENTIAL, ()), NOW, 2, "c-1")
    differential = AcceptedUpdate(2, UpdateType.DIFFERENTIAL, (("B", "2"),))

    moved = version_reported(update_accepted(replace(under_way, check_version=True), differential, "c-2"), 2)

    step = plan(moved, wanted(), LIMITS, NOW)
    assert isinstance(step, SendUpdate)
    assert step.update_type is UpdateType.FULL
    assert not update_accepted(under_way, differential, "c-1").full_needed  # on the connection it was claimed on
    assert not update_accepted(under_way, AcceptedUpdate(2, UpdateType.FULL, (("B", "2"),)), "c-2").full_needed
    assert not update_accepted(under_way, differential, None).full_needed  # no connection recorded


def test_a_version_mismatch_calls_for_a_full_update_and_a_refusal_is_shown() -> None:
    state = LocalListState(active=True, version=4, full_needed=False, in_flight=InFlight("SendLocalList", NOW, 5))

    mismatch = update_refused(state, 5, "VersionMismatch")
    failed = update_refused(state, 5, "Failed")
    unsupported = update_refused(state, 5, "NotSupported")

    assert (mismatch.full_needed, mismatch.in_flight, mismatch.failure) == (True, None, None)
    assert (failed.full_needed, failed.failure) == (False, "SendLocalList 5 answered Failed")
    assert unsupported.unsupported


@pytest.mark.parametrize(("reported", "full_needed"), [(4, False), (0, True), (9, True)])
def test_a_reported_version_other_than_the_last_accepted_calls_for_a_full_update(
    reported: int, full_needed: bool
) -> None:
    state = LocalListState(active=True, version=4, full_needed=False, check_version=True)
    assert version_reported(state, reported).full_needed is full_needed


def test_enabling_starts_over_with_the_limits_when_unknown_and_disabling_empties_the_list() -> None:
    state = LocalListState(version=3, full_needed=False, failure="old")

    enabled = activated(state, True, limits_known=False)
    disabled = activated(enabled, False, limits_known=False)

    assert (enabled.active, enabled.full_needed, enabled.query_limits, enabled.failure) == (True, True, True, None)
    assert (disabled.active, disabled.clearing) == (False, True)
    assert activated(enabled, True, limits_known=True) is enabled


def test_a_version_check_that_never_reached_the_charger_is_asked_again_one_it_failed_calls_for_a_full_list() -> None:
    state = LocalListState(
        active=True, version=4, full_needed=False, check_version=True, in_flight=InFlight("GetLocalListVersion", NOW)
    )

    offline = step_failed(state, "GetLocalListVersion", None, None)
    refused = step_failed(state, "GetLocalListVersion", None, "GetLocalListVersion failed: NotImplemented")

    assert (offline.in_flight, offline.check_version, offline.full_needed, offline.failure) == (None, True, False, None)
    assert (refused.check_version, refused.full_needed) == (False, True)
