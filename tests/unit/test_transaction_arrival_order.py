"""OCPP 2.0.1: a transaction comes out the same whatever order its events arrive in, repeated or lost.

Scenarios through the dispatcher over the in-memory fakes and the DynamoDB adapters on moto; then a
property test (hypothesis) over generated arrival orders, on the fakes.
"""

import itertools
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from csms.composition import Services
from csms.domain.models import IdToken, IdTokenStatus, Transaction, TransactionStatus
from csms.domain.tariffs import Tariff
from csms.wire.versions import OcppVersion
from tests.unit.stations import Station

START = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
ID_TOKEN = {"idToken": "TAG", "type": "ISO14443"}
EVSE = {"id": 1, "connectorId": 1}


def minute(minutes: int) -> datetime:
    return START + timedelta(minutes=minutes)


def at(minutes: int) -> str:
    return minute(minutes).isoformat().replace("+00:00", "Z")


def register(wh: int, minutes: int) -> dict[str, Any]:
    return {
        "timestamp": at(minutes),
        "sampledValue": [{"value": wh, "measurand": "Energy.Active.Import.Register", "unitOfMeasure": {"unit": "Wh"}}],
    }


def event(
    event_type: str, seq_no: int, minutes: int, wh: int | None, transaction_id: str = "tx-1", **fields: Any
) -> dict[str, Any]:
    payload = {
        "eventType": event_type,
        "timestamp": at(minutes),
        "triggerReason": fields.pop("triggerReason", "MeterValuePeriodic"),
        "seqNo": seq_no,
        "transactionInfo": {"transactionId": transaction_id, **fields.pop("transaction_info", {})},
        **fields,
    }
    if wh is not None:
        payload["meterValue"] = [register(wh, minutes)]
    return payload


def started(minutes: int = 0, wh: int | None = 1000, **fields: Any) -> dict[str, Any]:
    return event("Started", 0, minutes, wh, triggerReason="Authorized", idToken=ID_TOKEN, evse=EVSE, **fields)


def ended(seq_no: int, minutes: int, wh: int | None, **fields: Any) -> dict[str, Any]:
    info = {"stoppedReason": "EVDisconnected"}
    return event("Ended", seq_no, minutes, wh, triggerReason="EVDeparted", transaction_info=info, **fields)


def stored(station: Station, transaction_id: str = "tx-1") -> Transaction:
    transaction = station.services.repositories.transactions.get(station.charge_point_id, transaction_id)
    assert transaction is not None, f"{transaction_id} was not stored"
    return transaction


@pytest.fixture
def station(services_on_each_storage: Services) -> Station:
    services_on_each_storage.repositories.id_tokens.put(IdToken("TAG", IdTokenStatus.ACCEPTED))
    return Station(services_on_each_storage, OcppVersion.V201, charge_point_id="CS-1")


def test_ended_before_started_gets_the_energy_start_token_and_evse_of_both(station: Station) -> None:
    # When the Ended of a session (without token or EVSE) arrives before its Started
    station.call("TransactionEvent", ended(2, 60, 5000))
    station.call("TransactionEvent", started(0, 1000))

    # Then the transaction stays completed, with what each event told
    transaction = stored(station)
    assert transaction.status is TransactionStatus.COMPLETED
    assert (transaction.meter_start, transaction.meter_stop, transaction.energy_wh) == (1000, 5000, 4000)
    assert (transaction.started_at, transaction.stopped_at) == (minute(0), minute(60))
    assert (transaction.id_token, transaction.evse_id, transaction.connector_id) == ("TAG", 1, 1)
    assert transaction.stop_reason == "EVDisconnected"


def test_a_late_updated_with_an_earlier_reading_counts_when_started_was_lost(station: Station) -> None:
    # Given a session whose Started never came, ended with one reading
    station.call("TransactionEvent", ended(2, 60, 5000))

    # When an Updated from before arrives late
    station.call("TransactionEvent", event("Updated", 1, 20, 2000))

    # Then the energy runs from that earlier reading, and the end stays as it was
    transaction = stored(station)
    assert (transaction.meter_start, transaction.meter_stop, transaction.energy_wh) == (2000, 5000, 3000)
    assert (transaction.status, transaction.stopped_at) == (TransactionStatus.COMPLETED, minute(60))
    assert transaction.started_at == minute(20)


def test_a_late_updated_never_reopens_or_changes_a_completed_transaction(station: Station) -> None:
    # Given a session that started and ended
    station.call("TransactionEvent", started(0, 1000))
    station.call("TransactionEvent", ended(3, 60, 5000))
    completed = stored(station)

    # When an Updated from its middle arrives late, with a charging state and the token
    late = event("Updated", 1, 30, 3000, idToken=ID_TOKEN, transaction_info={"chargingState": "SuspendedEV"})
    station.call("TransactionEvent", late)

    # Then nothing changes
    assert stored(station) == completed


def test_a_late_started_after_the_session_was_billed_changes_nothing(station: Station) -> None:
    # Given a session known only by its Ended, already invoiced
    station.services.repositories.tariffs.put(Tariff("default", "EUR", price_per_kwh=Decimal("0.30")))
    station.call("TransactionEvent", ended(2, 60, 5000))
    [invoice_id] = station.services.billing.run().invoiced
    billed = stored(station)

    # When its Started arrives
    station.call("TransactionEvent", started(0, 1000))

    # Then the transaction stays as invoiced
    assert stored(station) == billed
    invoice = station.services.repositories.invoices.get(invoice_id)
    assert invoice is not None
    assert invoice.energy_wh == billed.energy_wh


# Property: any arrival order -------------------------------------------------------------------


@dataclass(frozen=True)
class Session:
    """A session's events as sent (Started, Updated..., Ended) and the order they reached the CSMS."""

    events: tuple[dict[str, Any], ...]
    arrivals: tuple[int, ...]  # indexes into `events`

    @property
    def delivered(self) -> list[dict[str, Any]]:
        return [self.events[index] for index in sorted(set(self.arrivals))]


@st.composite
def sessions(draw: st.DrawFn) -> Session:
    updates = draw(st.integers(min_value=0, max_value=4))
    # Monotone energy readings, one per event, 10 minutes apart; any event may carry none
    first_wh = draw(st.integers(min_value=0, max_value=1_000_000))
    steps = draw(st.lists(st.integers(min_value=0, max_value=20_000), min_size=updates + 1, max_size=updates + 1))
    readings = list(itertools.accumulate(steps, initial=first_wh))
    carries = draw(st.lists(st.booleans(), min_size=updates + 2, max_size=updates + 2))
    wh = [value if carry else None for value, carry in zip(readings, carries, strict=True)]
    events = (
        started(0, wh[0]),
        *(event("Updated", seq_no, 10 * seq_no, wh[seq_no]) for seq_no in range(1, updates + 1)),
        ended(updates + 1, 10 * (updates + 1), wh[-1]),
    )
    # Started and Updated may be lost or repeated, Ended arrives once or twice; in any order
    copies = [draw(st.integers(min_value=0, max_value=2)) for _ in events[:-1]]
    copies.append(draw(st.integers(min_value=1, max_value=2)))
    arrivals = [index for index, count in enumerate(copies) for _ in range(count)]
    return Session(events, tuple(draw(st.permutations(arrivals))))


def energy_of(payload: dict[str, Any]) -> int | None:
    readings = payload.get("meterValue")
    return readings[0]["sampledValue"][0]["value"] if readings else None


charge_point_ids = itertools.count()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(session=sessions())
def test_any_arrival_order_gives_the_same_transaction(fake_services: Services, session: Session) -> None:
    # Given a station of its own for each generated session (the fakes live across examples)
    fake_services.repositories.id_tokens.put(IdToken("TAG", IdTokenStatus.ACCEPTED))
    station = Station(fake_services, OcppVersion.V201, charge_point_id=f"CS-{next(charge_point_ids)}")

    # When the events arrive in the generated order
    for index in session.arrivals:
        station.call("TransactionEvent", session.events[index])

    # Then the transaction is completed with the energy from its first reading to its last
    transaction = stored(station)
    assert transaction.status is TransactionStatus.COMPLETED
    readings = [wh for wh in map(energy_of, session.delivered) if wh is not None]
    if readings:
        assert (transaction.meter_start, transaction.meter_stop) == (min(readings), max(readings))
        assert transaction.energy_wh == max(readings) - min(readings)
    else:
        assert transaction.energy_wh is None
    ended_event = session.events[-1]
    assert transaction.stopped_at == datetime.fromisoformat(ended_event["timestamp"])
    assert transaction.stop_reason == "EVDisconnected"
    # And what only Started tells is there whenever Started arrived
    if 0 in session.arrivals:
        assert transaction.started_at == minute(0)
        assert (transaction.id_token, transaction.evse_id, transaction.connector_id) == ("TAG", 1, 1)
