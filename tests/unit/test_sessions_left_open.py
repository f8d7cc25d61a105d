"""No transaction stays Active forever: a session whose stop never came is ended by the documented rule.

A new transaction on its connector (1.6) or EVSE (2.0.1), or that connector reporting Available, shows
it is over. Through the dispatcher, over the in-memory fakes and over the DynamoDB adapters on moto.
"""

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from csms.composition import Services
from csms.domain.models import IdToken, IdTokenStatus, Transaction, TransactionStatus
from csms.domain.tariffs import Tariff
from csms.wire.versions import OcppVersion
from tests.unit.stations import Station

START = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
ID_TOKEN = {"idToken": "TAG", "type": "ISO14443"}


def minute(minutes: int) -> datetime:
    return START + timedelta(minutes=minutes)


def at(minutes: int) -> str:
    return minute(minutes).isoformat().replace("+00:00", "Z")


def stored(station: Station, transaction_id: object) -> Transaction:
    transaction = station.services.repositories.transactions.get(station.charge_point_id, str(transaction_id))
    assert transaction is not None, f"{transaction_id} was not stored"
    return transaction


@pytest.fixture
def services(services_on_each_storage: Services) -> Services:
    services_on_each_storage.repositories.id_tokens.put(IdToken("TAG", IdTokenStatus.ACCEPTED))
    services_on_each_storage.repositories.tariffs.put(Tariff("default", "EUR", price_per_kwh=Decimal("0.30")))
    return services_on_each_storage


# OCPP 1.6 ---------------------------------------------------------------------------------------


@pytest.fixture
def station16(services: Services) -> Station:
    return Station(services, OcppVersion.V16)


def start16(station: Station, minutes: int, meter_start: int, connector_id: int = 1) -> int:
    result = station.call(
        "StartTransaction",
        {"connectorId": connector_id, "idTag": "TAG", "meterStart": meter_start, "timestamp": at(minutes)},
    )
    transaction_id: int = result["transactionId"]
    return transaction_id


def meter16(station: Station, transaction_id: int, minutes: int, wh: int) -> None:
    reading = {
        "timestamp": at(minutes),
        "sampledValue": [{"value": str(wh), "measurand": "Energy.Active.Import.Register"}],
    }
    station.call("MeterValues", {"connectorId": 1, "transactionId": transaction_id, "meterValue": [reading]})


def status16(station: Station, minutes: int, status: str, connector_id: int = 1) -> None:
    station.call(
        "StatusNotification",
        {"connectorId": connector_id, "errorCode": "NoError", "status": status, "timestamp": at(minutes)},
    )


def test_v16_a_new_start_on_the_connector_ends_the_session_whose_stop_was_lost(station16: Station) -> None:
    # Given a session on connector 1 whose StopTransaction never arrives
    lost = start16(station16, 0, 1000)
    meter16(station16, lost, 30, 3000)

    # When a new session starts on connector 1
    new = start16(station16, 60, 5000)

    # Then the lost one ended as the new one began, with the new one's meter start, and is billed
    ended = stored(station16, lost)
    assert (ended.status, ended.stop_reason, ended.closed_by_csms) == (
        TransactionStatus.COMPLETED,
        "Other",
        "NewTransaction",
    )
    assert (ended.stopped_at, ended.meter_stop, ended.energy_wh) == (minute(60), 5000, 4000)
    assert stored(station16, new).status is TransactionStatus.ACTIVE
    run = station16.services.billing.run()
    assert len(run.invoiced) == 1


def test_v16_a_meter_that_restarted_lower_ends_the_lost_session_at_its_last_reading(station16: Station) -> None:
    # Given a lost session with a reading of 3000, and a new one whose meter starts below it (a new meter)
    lost = start16(station16, 0, 1000)
    meter16(station16, lost, 30, 3000)
    start16(station16, 60, 10)

    # Then the lost session ends at its last reading
    assert (stored(station16, lost).meter_stop, stored(station16, lost).energy_wh) == (3000, 2000)


def test_v16_a_start_on_another_connector_leaves_the_session_alone(station16: Station) -> None:
    active = start16(station16, 0, 1000, connector_id=1)

    start16(station16, 60, 5000, connector_id=2)

    assert stored(station16, active).status is TransactionStatus.ACTIVE


def test_v16_a_late_start_is_ended_by_the_newer_session_already_running(station16: Station) -> None:
    # Given a session running on connector 1 since 60
    newer = start16(station16, 60, 5000)

    # When a StartTransaction from 0 arrives late (its StopTransaction is lost)
    older = start16(station16, 0, 1000)

    # Then the older one is ended at the newer one's start, and the newer one keeps running
    assert (stored(station16, older).status, stored(station16, older).stopped_at) == (
        TransactionStatus.COMPLETED,
        minute(60),
    )
    assert stored(station16, older).meter_stop == 5000
    assert stored(station16, newer).status is TransactionStatus.ACTIVE


def test_v16_the_connector_reporting_available_ends_the_session_at_its_last_reading(station16: Station) -> None:
    # Given a session with a reading, whose StopTransaction is lost when the charger reboots
    lost = start16(station16, 0, 1000)
    meter16(station16, lost, 30, 3000)

    # When connector 1 reports Available
    status16(station16, 45, "Available")

    # Then the session ended then, at its last reading
    ended = stored(station16, lost)
    assert (ended.status, ended.stop_reason, ended.closed_by_csms) == (
        TransactionStatus.COMPLETED,
        "Other",
        "ConnectorAvailable",
    )
    assert (ended.stopped_at, ended.meter_stop) == (minute(45), 3000)


@pytest.mark.parametrize(
    ("minutes", "connector_id"),
    [
        pytest.param(-1, 1, id="an-Available-from-before-the-start"),
        pytest.param(45, 2, id="another-connector"),
        pytest.param(45, 0, id="the-charge-point-itself"),
    ],
)
def test_v16_available_ends_only_sessions_of_that_connector_begun_before_it(
    station16: Station, minutes: int, connector_id: int
) -> None:
    active = start16(station16, 0, 1000)

    status16(station16, minutes, "Available", connector_id)

    assert stored(station16, active).status is TransactionStatus.ACTIVE


def test_v16_the_charge_points_own_stop_replaces_the_end_the_csms_inferred(station16: Station) -> None:
    # Given a session the CSMS ended when its connector reported Available
    session = start16(station16, 0, 1000)
    status16(station16, 45, "Available")

    # When its StopTransaction arrives after all
    station16.call(
        "StopTransaction",
        {"transactionId": session, "meterStop": 4200, "timestamp": at(44), "reason": "EVDisconnected"},
    )

    # Then the charge point's stop is the session's end
    ended = stored(station16, session)
    assert (ended.stopped_at, ended.meter_stop, ended.stop_reason, ended.closed_by_csms) == (
        minute(44),
        4200,
        "EVDisconnected",
        None,
    )


def test_v16_a_stop_after_the_inferred_end_was_billed_changes_nothing(station16: Station) -> None:
    # Given a session the CSMS ended, already invoiced
    session = start16(station16, 0, 1000)
    status16(station16, 45, "Available")
    station16.services.billing.run()
    billed = stored(station16, session)

    # When its StopTransaction arrives
    station16.call("StopTransaction", {"transactionId": session, "meterStop": 4200, "timestamp": at(44)})

    # Then the transaction stays as invoiced
    assert stored(station16, session) == billed


# OCPP 2.0.1 -------------------------------------------------------------------------------------


@pytest.fixture
def station201(services: Services) -> Station:
    return Station(services, OcppVersion.V201, charge_point_id="CS-1")


def transaction_event(
    station: Station, event_type: str, transaction_id: str, minutes: int, wh: int | None, **fields: Any
) -> None:
    payload: dict[str, Any] = {
        "eventType": event_type,
        "timestamp": at(minutes),
        "triggerReason": "Authorized" if event_type == "Started" else "MeterValuePeriodic",
        "seqNo": max(minutes, 0),
        "transactionInfo": {"transactionId": transaction_id, **fields.pop("transaction_info", {})},
        **fields,
    }
    if wh is not None:
        sampled = {"value": wh, "measurand": "Energy.Active.Import.Register", "unitOfMeasure": {"unit": "Wh"}}
        payload["meterValue"] = [{"timestamp": at(minutes), "sampledValue": [sampled]}]
    station.call("TransactionEvent", payload)


def started201(station: Station, transaction_id: str, minutes: int, wh: int | None, evse_id: int = 1) -> None:
    transaction_event(
        station, "Started", transaction_id, minutes, wh, idToken=ID_TOKEN, evse={"id": evse_id, "connectorId": 1}
    )


def status201(station: Station, minutes: int, status: str, evse_id: int = 1) -> None:
    station.call(
        "StatusNotification",
        {"timestamp": at(minutes), "connectorStatus": status, "evseId": evse_id, "connectorId": 1},
    )


def test_v201_a_new_transaction_on_the_evse_ends_the_one_whose_end_was_lost(station201: Station) -> None:
    # Given a transaction on EVSE 1 whose Ended never arrives
    started201(station201, "tx-1", 0, 1000)
    transaction_event(station201, "Updated", "tx-1", 30, 3000)

    # When a new one starts on EVSE 1 (and another on EVSE 2)
    started201(station201, "tx-2", 60, 5000)
    started201(station201, "tx-3", 61, 0, evse_id=2)

    # Then the first ended as the new one began, with its meter start; the others run
    ended = stored(station201, "tx-1")
    assert (ended.status, ended.stop_reason, ended.closed_by_csms) == (
        TransactionStatus.COMPLETED,
        "Other",
        "NewTransaction",
    )
    assert (ended.stopped_at, ended.meter_stop, ended.energy_wh) == (minute(60), 5000, 4000)
    assert stored(station201, "tx-2").status is TransactionStatus.ACTIVE
    assert stored(station201, "tx-3").status is TransactionStatus.ACTIVE


def test_v201_the_evse_reporting_available_ends_the_transaction(station201: Station) -> None:
    # Given a transaction on EVSE 1 with a reading
    started201(station201, "tx-1", 0, 1000)
    transaction_event(station201, "Updated", "tx-1", 30, 3000)

    # When a late Available from before it arrives, then the EVSE reports Available after a reboot
    status201(station201, -5, "Available")
    still_active = stored(station201, "tx-1").status
    status201(station201, 50, "Available")

    # Then only the second ended it, at its last reading
    assert still_active is TransactionStatus.ACTIVE
    ended = stored(station201, "tx-1")
    assert (ended.status, ended.stopped_at, ended.meter_stop, ended.closed_by_csms) == (
        TransactionStatus.COMPLETED,
        minute(50),
        3000,
        "ConnectorAvailable",
    )


def test_v201_the_stations_own_ended_replaces_the_end_the_csms_inferred(station201: Station) -> None:
    # Given a transaction the CSMS ended when its EVSE reported Available (before the Ended came)
    started201(station201, "tx-1", 0, 1000)
    status201(station201, 50, "Available")

    # When the Ended arrives
    transaction_event(station201, "Ended", "tx-1", 49, 4500, transaction_info={"stoppedReason": "EVDisconnected"})

    # Then it is the transaction's end
    ended = stored(station201, "tx-1")
    assert (ended.stopped_at, ended.meter_stop, ended.stop_reason, ended.closed_by_csms) == (
        minute(49),
        4500,
        "EVDisconnected",
        None,
    )
