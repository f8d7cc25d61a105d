"""Charge points at a load-balanced site that keep their own record, and what that record says the site drew.

Each charger (the `ocpp` library's classes over a real WebSocket) logs, with a monotonic timestamp, what
it did as it did it: a session starts before its StartTransaction / TransactionEvent(Started) goes out
and stops before its stop goes out (the vehicle draws from the first moment and stops before the CSMS
hears of it); a charging profile counts from the instant it is accepted. The record outlives the
connection, so a charger that goes offline keeps its session and its last limit.

`ChargerState` is what a charger holds (its sessions and installed profiles) and the limit each session
may draw: its transaction's TxProfile, else the TxDefaultProfile of its connector/EVSE or of 0, else the
charger's maximum. Replaying every charger's record in time order (`site_instants`) gives the site's
sessions and limits at every instant.
"""

from __future__ import annotations

import asyncio
import inspect
import itertools
import time
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from ocpp.routing import on
from ocpp.v16 import ChargePoint as ChargePoint16
from ocpp.v16 import call as call16
from ocpp.v16 import call_result as result16
from ocpp.v201 import ChargePoint as ChargePoint201
from ocpp.v201 import call as call201
from ocpp.v201 import call_result as result201

TX_PROFILE = "TxProfile"
TX_DEFAULT_PROFILE = "TxDefaultProfile"
UNBOUNDED = Decimal("Infinity")  # a profile in another rate unit than amps does not bound the current
_ORDER = itertools.count()  # ties between chargers' timestamps keep the order things happened in


def now_iso() -> str:
    return datetime.now(UTC).isoformat().replace("+00:00", "Z")


@dataclass(frozen=True)
class Profile:
    """A charging profile as a charger got it (`place`: the 1.6 connector or 2.0.1 EVSE, 0 the whole charger)."""

    profile_id: int
    place: int
    purpose: str
    stack_level: int
    transaction_id: str | None
    rate_unit: str
    limit: Decimal  # the highest limit of its periods: the most it may let a session draw

    @property
    def amps(self) -> Decimal:
        return self.limit if self.rate_unit == "A" else UNBOUNDED


@dataclass(frozen=True)
class Event:
    at: float = field(default_factory=time.monotonic, kw_only=True)
    order: int = field(default_factory=lambda: next(_ORDER), kw_only=True)


@dataclass(frozen=True)
class SessionStarted(Event):
    session: int
    place: int
    transaction_id: str | None  # a 1.6 charger learns it from the answer (`TransactionIdentified`)


@dataclass(frozen=True)
class TransactionIdentified(Event):
    session: int
    transaction_id: str


@dataclass(frozen=True)
class SessionStopped(Event):
    session: int


@dataclass(frozen=True)
class ProfileAnswered(Event):
    profile: Profile
    accepted: bool


@dataclass(frozen=True)
class ProfilesCleared(Event):
    profile_ids: tuple[int, ...]


@dataclass
class Session:
    place: int
    transaction_id: str | None


class ChargerState:
    """What a charger holds: its sessions and its installed profiles, and so the limit of each session."""

    def __init__(self, max_amps: Decimal) -> None:
        self.max_amps = max_amps
        self.sessions: dict[int, Session] = {}
        self.installed: list[Profile] = []

    def apply(self, event: Event) -> None:
        match event:
            case SessionStarted(session=number, place=place, transaction_id=transaction_id):
                self.sessions[number] = Session(place, transaction_id)
            case TransactionIdentified(session=number, transaction_id=transaction_id):
                self.sessions[number].transaction_id = transaction_id
            case SessionStopped(session=number):
                ended = self.sessions.pop(number)
                self.installed = [p for p in self.installed if not self._of_transaction(p, ended)]
            case ProfileAnswered(profile=profile, accepted=True):
                self.installed = [p for p in self.installed if not _replaced_by(p, profile)] + [profile]
            case ProfilesCleared(profile_ids=ids):
                self.installed = [p for p in self.installed if p.profile_id not in ids]

    def session_at(self, place: int) -> tuple[int, Session] | None:
        return next(((n, s) for n, s in self.sessions.items() if s.place == place), None)

    def tx_profile(self, number: int) -> Profile | None:
        session = self.sessions[number]
        return _highest([p for p in self.installed if p.purpose == TX_PROFILE and self._of_transaction(p, session)])

    def limit(self, number: int, unprofiled: Decimal | None = None) -> Decimal:
        """The most session `number` may draw; `unprofiled`: count a session without a TxProfile at that instead."""
        tx_profile = self.tx_profile(number)
        if tx_profile is None and unprofiled is not None:
            return unprofiled
        place = self.sessions[number].place
        defaults = [p for p in self.installed if p.purpose == TX_DEFAULT_PROFILE]
        profile = (
            tx_profile
            or _highest([p for p in defaults if p.place == place])
            or _highest([p for p in defaults if p.place == 0])
        )
        return self.max_amps if profile is None else min(profile.amps, self.max_amps)

    @staticmethod
    def _of_transaction(profile: Profile, session: Session) -> bool:
        return (
            profile.purpose == TX_PROFILE
            and profile.place == session.place
            and profile.transaction_id in (None, session.transaction_id)
        )


def _replaced_by(installed: Profile, new: Profile) -> bool:
    """OCPP's replacement: the same id, or the same purpose and stack level on the same connector/EVSE."""
    return installed.profile_id == new.profile_id or (
        (installed.place, installed.purpose, installed.stack_level) == (new.place, new.purpose, new.stack_level)
    )


def _highest(profiles: list[Profile]) -> Profile | None:
    return max(profiles, key=lambda p: p.stack_level, default=None)


class ChargerRecord:
    """One charger's own timestamped record (and its state, replayed from it as it grows); it outlives connections."""

    def __init__(self, charger_id: str, version: str, max_amps: Decimal) -> None:
        self.charger_id = charger_id
        self.version = version
        self.log: list[Event] = []
        self.state = ChargerState(max_amps)
        self.reject_decreases = False  # answer Rejected to a TxProfile lower than the session's limit
        self.frames_sent = 0
        self.frames_received = 0
        self._sessions = itertools.count(1)

    def add(self, event: Event) -> None:
        self.log.append(event)
        self.state.apply(event)

    def new_session(self) -> int:
        return next(self._sessions)

    def answered(self, profile: Profile) -> bool:
        """Whether the charger accepts `profile` (logged either way): a TxProfile only for a transaction it runs."""
        accepted = True
        if profile.purpose == TX_PROFILE:
            found = self.state.session_at(profile.place)
            if found is not None and found[1].transaction_id is None and profile.transaction_id is not None:
                # The answer naming the transaction is still on its way to the code that started it.
                self.add(TransactionIdentified(found[0], profile.transaction_id))
            accepted = found is not None and profile.transaction_id in (None, found[1].transaction_id)
            if accepted and found is not None and self.reject_decreases:
                accepted = profile.amps >= self.state.limit(found[0])
        self.add(ProfileAnswered(profile, accepted))
        return accepted

    def cleared(self, profile_id: int | None, place: int | None, purpose: str | None, stack_level: int | None) -> bool:
        matching = tuple(
            p.profile_id
            for p in self.state.installed
            if (profile_id is None or p.profile_id == profile_id)
            and (place is None or p.place == place)
            and (purpose is None or p.purpose == purpose)
            and (stack_level is None or p.stack_level == stack_level)
        )
        self.add(ProfilesCleared(matching))
        return bool(matching)

    def active_sessions(self) -> dict[int, Session]:
        return dict(self.state.sessions)

    def limits(self) -> dict[str, Decimal]:
        """Each active session's limit now, by transaction id."""
        return {str(s.transaction_id): self.state.limit(n) for n, s in self.state.sessions.items()}

    def tx_profiles(self, accepted: bool | None = None) -> list[tuple[float, Profile, bool]]:
        """Every TxProfile it answered: (when, profile, accepted)."""
        return [
            (e.at, e.profile, e.accepted)
            for e in self.log
            if isinstance(e, ProfileAnswered)
            and e.profile.purpose == TX_PROFILE
            and (accepted is None or e.accepted == accepted)
        ]

    def holds_default(self, amps: Decimal) -> bool:
        """Whether it holds a TxDefaultProfile of `amps` for the whole charger."""
        return any(p.purpose == TX_DEFAULT_PROFILE and p.place == 0 and p.amps == amps for p in self.state.installed)


@dataclass(frozen=True)
class Instant:
    at: float
    limits: dict[str, Decimal]  # "charger/transaction" -> the most that session may draw
    charger_id: str  # the charger that did `event`
    event: Event

    @property
    def total(self) -> Decimal:
        return sum(self.limits.values(), Decimal(0))


def site_instants(records: Sequence[ChargerRecord], unprofiled: Decimal | None = None) -> Iterator[Instant]:
    """The site's sessions and their limits after each thing any of its chargers did, in the order they did it."""
    states = {record.charger_id: ChargerState(record.state.max_amps) for record in records}
    events = sorted(((event, record.charger_id) for record in records for event in record.log), key=_when)
    for event, charger_id in events:
        states[charger_id].apply(event)
        yield Instant(
            event.at,
            {
                f"{cid}/{session.transaction_id}": state.limit(number, unprofiled)
                for cid, state in states.items()
                for number, session in state.sessions.items()
            },
            charger_id,
            event,
        )


def is_fair_share(limits: Sequence[tuple[Decimal, Decimal]], site_limit: Decimal) -> bool:
    """Water-filling of `site_limit` over sessions' (limit, charger's maximum): within the limit, none above its
    maximum, the uncapped ones equal to a tenth, and no more than a tenth per session left unshared (no session
    paused: the site must hold every session's minimum)."""
    tenth = Decimal("0.1")
    if not limits or sum(amps for amps, _ in limits) > site_limit or any(amps > cap for amps, cap in limits):
        return False
    uncapped = [amps for amps, cap in limits if amps < cap]
    unshared = site_limit - sum(amps for amps, _ in limits)
    return not uncapped or (max(amps for amps, _ in limits) - min(uncapped) <= tenth and unshared < tenth * len(limits))


def _when(item: tuple[Event, str]) -> tuple[float, int]:
    return item[0].at, item[0].order


def _limit_of_periods(periods: list[dict[str, Any]]) -> Decimal:
    return max(Decimal(str(period["limit"])) for period in periods)


class _Recording:
    """Counts the frames it exchanges (each an API Gateway message on AWS)."""

    record: ChargerRecord

    async def _send(self, message: str) -> None:
        self.record.frames_sent += 1
        await super()._send(message)  # type: ignore[misc]

    async def route_message(self, raw_msg: str) -> None:
        self.record.frames_received += 1
        await super().route_message(raw_msg)  # type: ignore[misc]


class SiteCharger16(_Recording, ChargePoint16):
    def __init__(self, charge_point_id: str, connection: Any, record: ChargerRecord, **options: Any) -> None:
        super().__init__(charge_point_id, connection, **options)
        self.record = record

    async def boot(self) -> None:
        await self.call(call16.BootNotification(charge_point_vendor="Acme", charge_point_model="LB-16"))

    async def start_session(self, id_tag: str, connector_id: int = 1) -> str:
        number = self.record.new_session()
        self.record.add(SessionStarted(number, connector_id, None))
        start = call16.StartTransaction(connector_id=connector_id, id_tag=id_tag, meter_start=0, timestamp=now_iso())
        transaction_id = str((await self.call(start)).transaction_id)
        if self.record.state.sessions[number].transaction_id is None:
            self.record.add(TransactionIdentified(number, transaction_id))
        return transaction_id

    async def stop_session(self, connector_id: int = 1) -> None:
        found = self.record.state.session_at(connector_id)
        assert found is not None, f"no transaction on {connector_id}"
        assert found[1].transaction_id is not None, "its StartTransaction was not answered"
        self.record.add(SessionStopped(found[0]))
        stop = call16.StopTransaction(transaction_id=int(found[1].transaction_id), meter_stop=1000, timestamp=now_iso())
        await self.call(stop)

    @on("SetChargingProfile")
    async def on_set(self, connector_id: int, cs_charging_profiles: dict[str, Any]) -> Any:
        profile = cs_charging_profiles
        schedule = profile["charging_schedule"]
        transaction_id = profile.get("transaction_id")
        accepted = self.record.answered(
            Profile(
                profile_id=profile["charging_profile_id"],
                place=connector_id,
                purpose=profile["charging_profile_purpose"],
                stack_level=profile["stack_level"],
                transaction_id=None if transaction_id is None else str(transaction_id),
                rate_unit=schedule["charging_rate_unit"],
                limit=_limit_of_periods(schedule["charging_schedule_period"]),
            )
        )
        return result16.SetChargingProfile(status="Accepted" if accepted else "Rejected")

    @on("ClearChargingProfile")
    async def on_clear(
        self,
        id: int | None = None,
        connector_id: int | None = None,
        charging_profile_purpose: str | None = None,
        stack_level: int | None = None,
    ) -> Any:
        cleared = self.record.cleared(id, connector_id, charging_profile_purpose, stack_level)
        return result16.ClearChargingProfile(status="Accepted" if cleared else "Unknown")


class SiteCharger201(_Recording, ChargePoint201):
    def __init__(self, charge_point_id: str, connection: Any, record: ChargerRecord, **options: Any) -> None:
        super().__init__(charge_point_id, connection, **options)
        self.record = record
        self._seq_no = itertools.count()

    async def boot(self) -> None:
        station = {"vendor_name": "Acme", "model": "LB-201"}
        await self.call(call201.BootNotification(charging_station=station, reason="PowerUp"))

    async def start_session(self, id_tag: str, evse_id: int = 1) -> str:
        number = self.record.new_session()
        transaction_id = f"{self.record.charger_id}-{number}"
        self.record.add(SessionStarted(number, evse_id, transaction_id))
        await self.call(
            call201.TransactionEvent(
                event_type="Started",
                timestamp=now_iso(),
                trigger_reason="Authorized",
                seq_no=next(self._seq_no),
                transaction_info={"transaction_id": transaction_id},
                id_token={"id_token": id_tag, "type": "ISO14443"},
                evse={"id": evse_id, "connector_id": 1},
            )
        )
        return transaction_id

    async def stop_session(self, evse_id: int = 1) -> None:
        found = self.record.state.session_at(evse_id)
        assert found is not None, f"no transaction on EVSE {evse_id}"
        self.record.add(SessionStopped(found[0]))
        await self.call(
            call201.TransactionEvent(
                event_type="Ended",
                timestamp=now_iso(),
                trigger_reason="EVDeparted",
                seq_no=next(self._seq_no),
                transaction_info={"transaction_id": found[1].transaction_id, "stopped_reason": "EVDisconnected"},
            )
        )

    @on("SetChargingProfile")
    async def on_set(self, evse_id: int, charging_profile: dict[str, Any], **_: Any) -> Any:
        profile = charging_profile
        schedules = profile["charging_schedule"]
        accepted = self.record.answered(
            Profile(
                profile_id=profile["id"],
                place=evse_id,
                purpose=profile["charging_profile_purpose"],
                stack_level=profile["stack_level"],
                transaction_id=profile.get("transaction_id"),
                rate_unit=schedules[0]["charging_rate_unit"],
                limit=_limit_of_periods([period for s in schedules for period in s["charging_schedule_period"]]),
            )
        )
        return result201.SetChargingProfile(status="Accepted" if accepted else "Rejected")

    @on("ClearChargingProfile")
    async def on_clear(
        self, charging_profile_id: int | None = None, charging_profile_criteria: dict[str, Any] | None = None
    ) -> Any:
        criteria = charging_profile_criteria or {}
        cleared = self.record.cleared(
            charging_profile_id,
            criteria.get("evse_id"),
            criteria.get("charging_profile_purpose"),
            criteria.get("stack_level"),
        )
        return result201.ClearChargingProfile(status="Accepted" if cleared else "Unknown")


async def until(
    condition: Callable[[], bool | Awaitable[bool]], timeout: float, describe: Callable[[], object]
) -> None:
    """Wait until `condition()` (or what it awaits) holds; after `timeout` seconds fail with `describe()`."""
    deadline = time.monotonic() + timeout
    while not await _holds(condition):
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout:g} s: {describe()}")
        await asyncio.sleep(0.1)


async def _holds(condition: Callable[[], bool | Awaitable[bool]]) -> bool:
    result = condition()
    return await result if inspect.isawaitable(result) else result
