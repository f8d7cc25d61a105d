"""Local authorization lists kept in sync: what a charger's list should hold, what it holds, and the next step.

Pure planning, no I/O. The list a charger should hold (`wanted_list`) is every registered id token with the
status Authorize would answer, in the order that decides which ones stay when the charger holds fewer than the
fleet has: the tokens a charger must refuse first (Blocked, Expired, Invalid: offline, its authorization cache
could still hold them as Accepted, and the list takes precedence over the cache), then the Accepted ones, each
by id. A 1.6 list cannot carry an id (or group id) longer than 20 characters.

What the charger holds (`LocalListState`) is known only from what it acknowledged: the version of the last list
it accepted and a digest per entry. The next step (`plan`) is a full update when the charger's list is not known
(never sent, after VersionMismatch, or when the version it reports differs), else a differential update of what
differs (removals first, so the list never outgrows the charger); each message carries at most the charger's
items per message, so a long list goes out as a Full message followed by differential ones. One message at a
time: the next step is planned when the previous one is answered.
"""

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Protocol

from csms.domain.models import Authorization, IdToken, IdTokenStatus
from csms.timeutil import format_timestamp
from csms.wire.versions import OcppVersion

MAX_ID_TAG_LENGTH_V16 = 20  # IdToken: CiString20Type in 1.6
# Used when the charger never reported its limits: small enough for any charger that has a list at all.
DEFAULT_ITEMS_PER_MESSAGE = 20
DEFAULT_MAX_ENTRIES = 250
# What one stored record of a charger's list can hold (a digest per entry in one DynamoDB item of 400 KB).
MAX_LIST_ENTRIES = 5000
# A message claimed but never answered (its workflow died) stops holding the next one back after this.
IN_FLIGHT_HORIZON = timedelta(hours=2)
# The 2.0.1 type of a token registered without one: most tokens are RFID cards.
DEFAULT_ID_TOKEN_TYPE = "ISO14443"  # noqa: S105 - an IdTokenEnumType value
_KEY_SEPARATOR = "\n"  # never in an id token (printable characters)


class UpdateType(StrEnum):
    FULL = "Full"
    DIFFERENTIAL = "Differential"


class SyncStatus(StrEnum):
    IN_SYNC = "InSync"
    PENDING = "Pending"
    FAILED = "Failed"
    DISABLED = "Disabled"


@dataclass(frozen=True)
class ListEntry:
    """One entry of a list: the token (2.0.1: with its type, which is part of what the charger keys it by)."""

    id_token: str
    token_type: str | None
    authorization: Authorization

    @property
    def key(self) -> str:
        return entry_key(self.id_token, self.token_type)

    @property
    def digest(self) -> str:
        """Changes whenever what the charger would answer for it changes."""
        auth = self.authorization
        expiry = format_timestamp(auth.expiry) if auth.expiry is not None else None
        text = json.dumps([auth.status.value, expiry, auth.parent_id])
        return hashlib.sha256(text.encode()).hexdigest()[:12]


def entry_key(id_token: str, token_type: str | None) -> str:
    return id_token if token_type is None else f"{id_token}{_KEY_SEPARATOR}{token_type}"


def key_parts(key: str) -> tuple[str, str | None]:
    """(id token, 2.0.1 type or None) of an entry key."""
    id_token, _, token_type = key.partition(_KEY_SEPARATOR)
    return id_token, token_type or None


@dataclass(frozen=True)
class ListLimits:
    items_per_message: int = DEFAULT_ITEMS_PER_MESSAGE
    max_entries: int = DEFAULT_MAX_ENTRIES


@dataclass(frozen=True)
class WantedList:
    entries: tuple[ListEntry, ...]
    omitted: int  # tokens that belong on the list but do not fit the charger


def _fits(token: IdToken, version: OcppVersion) -> bool:
    if version is not OcppVersion.V16:
        return True
    return len(token.id_token) <= MAX_ID_TAG_LENGTH_V16 and len(token.parent_id or "") <= MAX_ID_TAG_LENGTH_V16


def list_entry(token: IdToken, version: OcppVersion) -> ListEntry:
    authorization = Authorization(status=token.status, expiry=token.expiry, parent_id=token.parent_id)
    token_type = None if version is OcppVersion.V16 else token.token_type or DEFAULT_ID_TOKEN_TYPE
    return ListEntry(token.id_token, token_type, authorization)


def listable(tokens: Iterable[IdToken], version: OcppVersion) -> list[IdToken]:
    """The tokens a list of `version` can carry, refused ones first, each group by id."""
    fitting = [token for token in tokens if _fits(token, version)]
    return sorted(fitting, key=lambda token: (token.status is IdTokenStatus.ACCEPTED, token.id_token))


def wanted_list(tokens: Iterable[IdToken], version: OcppVersion, limits: ListLimits) -> WantedList:
    candidates = listable(tokens, version)
    capacity = min(limits.max_entries, MAX_LIST_ENTRIES)
    kept = candidates[:capacity]
    return WantedList(tuple(list_entry(token, version) for token in kept), len(candidates) - len(kept))


# What the charger holds, and the step under way


@dataclass(frozen=True)
class InFlight:
    """The one message of the sync under way: SendLocalList (with its version), GetLocalListVersion, or the
    query of the charger's limits."""

    action: str
    since: datetime
    version: int | None = None
    # The charger's connection when the message was claimed: one that went out on a later connection may have
    # found a list the charger lost in between (a factory reset).
    connection_id: str | None = None


@dataclass(frozen=True)
class LocalListState:
    """A charger's list as the CSMS knows it, and its own setting."""

    enabled: bool | None = None  # the charger's setting; None: its site's
    # Whether the list was kept in sync when last looked at (a change of it is an enabling or a disabling).
    active: bool = False
    version: int | None = None  # of the list it last accepted; None: not known
    held: Mapping[str, str] = field(default_factory=dict)  # entry key -> digest, as it last accepted them
    full_needed: bool = True
    check_version: bool = False  # ask GetLocalListVersion before the next update (it reconnected or booted)
    query_limits: bool = False  # ask for its limits before the first update
    unsupported: bool = False  # it has no local list: nothing is sent until the list is enabled again
    clearing: bool = False  # disabled: the list the CSMS kept there is to be emptied
    in_flight: InFlight | None = None
    failure: str | None = None  # why the last step failed (until a list is accepted)

    def busy(self, now: datetime) -> bool:
        return self.in_flight is not None and now - self.in_flight.since < IN_FLIGHT_HORIZON


class LocalListRepository(Protocol):
    """One record per charger, changed only by conditional writes (a change made from an older record is made
    again from the newer one), deleted with the charger."""

    def get(self, charge_point_id: str) -> LocalListState: ...

    def update(self, charge_point_id: str, change: Callable[[LocalListState], LocalListState]) -> LocalListState:
        """The record as `change` leaves it (written unless unchanged); raises `ConcurrentUpdateError` when it
        kept changing."""
        ...

    def charge_point_ids(self) -> list[str]:
        """The chargers that have a record (whose lists the CSMS ever kept or was asked to keep)."""
        ...


def effective_enabled(own: bool | None, site_enabled: bool) -> bool:
    return own if own is not None else site_enabled


def activated(state: LocalListState, enabled: bool, limits_known: bool) -> LocalListState:
    """`state` once its effective setting is `enabled`: an enabling starts over with a full update (after the
    charger's limits, when they are not known)."""
    if enabled == state.active:
        return state
    if not enabled:
        return replace(state, active=False, check_version=False, query_limits=False, clearing=True)
    return replace(
        state,
        active=True,
        full_needed=True,
        unsupported=False,
        failure=None,
        query_limits=not limits_known,
        clearing=False,
        in_flight=None,
    )


# The next step


@dataclass(frozen=True)
class SendUpdate:
    update_type: UpdateType
    # (entry key, entry) in the order sent; entry None: a removal (a differential entry without its info).
    changes: tuple[tuple[str, ListEntry | None], ...]


@dataclass(frozen=True)
class CheckVersion:
    """Ask the charger which list version it holds (GetLocalListVersion)."""


@dataclass(frozen=True)
class QueryLimits:
    """Ask the charger how many entries it takes per message and in all."""


Step = SendUpdate | CheckVersion | QueryLimits


def differences(held: Mapping[str, str], wanted: WantedList) -> list[tuple[str, ListEntry | None]]:
    """What a differential update must carry: removals first, then additions and changes, each by key."""
    wanted_by_key = {entry.key: entry for entry in wanted.entries}
    removals: list[tuple[str, ListEntry | None]] = [(key, None) for key in sorted(held) if key not in wanted_by_key]
    changes: list[tuple[str, ListEntry | None]] = [
        (entry.key, entry) for entry in wanted.entries if held.get(entry.key) != entry.digest
    ]
    return removals + changes


def plan(state: LocalListState, wanted: WantedList, limits: ListLimits, now: datetime) -> Step | None:
    """The next message to the (connected) charger, or None: in sync, or waiting for an answer."""
    if state.busy(now) or state.unsupported:
        return None
    if not state.active:
        # Disabled: the list the CSMS kept there is emptied once, so that it lets in no one the CSMS no longer
        # would (a list the operator sent by hand to a charger never kept in sync stays).
        return SendUpdate(UpdateType.FULL, ()) if state.clearing else None
    if state.query_limits:
        return QueryLimits()
    if state.check_version:
        return CheckVersion()
    size = max(1, limits.items_per_message)
    if state.full_needed or state.version is None:
        return SendUpdate(UpdateType.FULL, tuple((entry.key, entry) for entry in wanted.entries[:size]))
    changes = differences(state.held, wanted)
    return SendUpdate(UpdateType.DIFFERENTIAL, tuple(changes[:size])) if changes else None


def claimed(
    state: LocalListState, step: Step, now: datetime, version: int | None, connection_id: str | None
) -> LocalListState:
    """`state` with `step` under way (`version`: the SendLocalList's) on the charger's connection `connection_id`."""
    action = {SendUpdate: "SendLocalList", CheckVersion: "GetLocalListVersion", QueryLimits: "QueryLimits"}
    return replace(state, in_flight=InFlight(action[type(step)], now, version, connection_id))


# What answers change


@dataclass(frozen=True)
class AcceptedUpdate:
    """A SendLocalList the charger accepted, as its request carried it: (entry key, digest or None to remove)."""

    version: int
    update_type: UpdateType
    changes: tuple[tuple[str, str | None], ...]


def update_accepted(state: LocalListState, update: AcceptedUpdate, sent_on: str | None) -> LocalListState:
    """The list as the charger holds it once it accepted `update`, which went out on its connection `sent_on`.

    A differential update that went out on a later connection than the one it was claimed on was applied to
    whatever list the charger came back with, which a factory reset empties and whose version the CSMS cannot
    tell from the one it expects (the update sets it): what it holds is not known, and a full update follows."""
    if update.update_type is UpdateType.FULL:
        held = {key: digest for key, digest in update.changes if digest is not None}
    else:
        held = dict(state.held)
        for key, digest in update.changes:
            if digest is None:
                held.pop(key, None)
            else:
                held[key] = digest
    claimed_on = _claimed_on(state, "SendLocalList", update.version)
    moved = None not in (claimed_on, sent_on) and claimed_on != sent_on
    return replace(
        state,
        version=update.version,
        held=held,
        full_needed=update.update_type is UpdateType.DIFFERENTIAL and moved,
        failure=None,
        clearing=state.clearing and bool(held),
        in_flight=_done(state, "SendLocalList", update.version),
    )


def update_refused(state: LocalListState, version: int, status: str) -> LocalListState:
    """A SendLocalList answered other than Accepted: VersionMismatch calls for a full update; NotSupported stops
    the sync; Failed is recorded (tried again at the next change or reconnection)."""
    in_flight = _done(state, "SendLocalList", version)
    if status == "VersionMismatch":
        return replace(state, full_needed=True, in_flight=in_flight)
    failure = f"SendLocalList {version} answered {status}"
    return replace(state, failure=failure, unsupported=status == "NotSupported", in_flight=in_flight)


def version_reported(state: LocalListState, reported: int) -> LocalListState:
    """GetLocalListVersion's answer: a version other than the one it accepted last (a factory reset, another
    CSMS) means its list is not known. 1.6 answers -1 when it has no local list."""
    in_flight = _done(state, "GetLocalListVersion", None)
    if reported < 0:
        failure = "GetLocalListVersion answered -1: no local authorization list"
        return replace(state, unsupported=True, failure=failure, check_version=False, in_flight=in_flight)
    full_needed = state.full_needed or reported != state.version
    return replace(state, check_version=False, full_needed=full_needed, in_flight=in_flight)


def limits_answered(state: LocalListState) -> LocalListState:
    """The charger answered the query of its limits (the stored configuration now holds what it reported)."""
    return replace(state, query_limits=False, in_flight=_done(state, "QueryLimits", None))


def step_failed(state: LocalListState, action: str, version: int | None, reason: str | None) -> LocalListState:
    """The step's command failed: `reason` None when it never reached the charger (offline: tried again when it
    reconnects, a version check too); a query that failed is not asked again, and a version check that failed
    on the charger calls for a full update."""
    if state.in_flight is None or (state.in_flight.action, state.in_flight.version) != (action, version):
        return state
    changed = replace(state, in_flight=None)
    if action == "QueryLimits":
        changed = replace(changed, query_limits=False)  # the defaults will do
    if action == "GetLocalListVersion" and reason is not None:
        changed = replace(changed, check_version=False, full_needed=True)
    return changed if reason is None else replace(changed, failure=reason)


def _claimed_on(state: LocalListState, action: str, version: int | None) -> str | None:
    """The connection the step under way was claimed on, if it is `action` (of `version`)."""
    in_flight = state.in_flight
    if in_flight is not None and (in_flight.action, in_flight.version) == (action, version):
        return in_flight.connection_id
    return None


def _done(state: LocalListState, action: str, version: int | None) -> InFlight | None:
    """The step under way once `action` is answered (unchanged when that answer is not to it)."""
    in_flight = state.in_flight
    if in_flight is not None and (in_flight.action, in_flight.version) == (action, version):
        return None
    return in_flight


def sync_status(
    state: LocalListState, wanted: WantedList, connected: bool, now: datetime
) -> tuple[SyncStatus, str | None]:
    """Where the charger's list stands, and why when it is not in sync."""
    if state.failure is not None:
        return SyncStatus.FAILED, state.failure
    if not state.active:
        if state.clearing:
            return SyncStatus.PENDING, "the disabled list is being emptied"
        return SyncStatus.DISABLED, None
    pending = state.busy(now) or state.query_limits or state.check_version or state.full_needed
    if not pending and not differences(state.held, wanted):
        return SyncStatus.IN_SYNC, None
    if not connected:
        return SyncStatus.PENDING, "offline: brought up to date when it reconnects"
    if state.busy(now) and state.in_flight is not None:
        what = state.in_flight.action
        return SyncStatus.PENDING, f"waiting for the answer to {what}" + (
            f" {state.in_flight.version}" if state.in_flight.version is not None else ""
        )
    return SyncStatus.PENDING, "an update is due"
