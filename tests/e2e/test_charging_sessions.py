"""A complete charging session per OCPP version, as a real charge point runs it."""

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from ocpp.v16 import call as call16
from ocpp.v201 import call as call201

from csms.local.runtime import LocalRuntime
from csms.settings import get_settings
from tests.e2e.charge_points import connected
from tests.e2e.conftest import OperatorApi

pytestmark = pytest.mark.e2e

START = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


# What a transaction's detail shows beyond its list entry.
DETAIL_ONLY = {"meterValues", "cost"}


def at(minutes: int) -> str:
    return (START + timedelta(minutes=minutes)).isoformat().replace("+00:00", "Z")


async def eventually_disconnected(api: OperatorApi, charger_id: str) -> dict[str, object]:
    """$disconnect is asynchronous, as on API Gateway: poll briefly."""
    for _ in range(50):
        charger = (await api.request("GET", f"/chargers/{charger_id}")).body
        if not charger["connected"]:
            return dict(charger)
        await asyncio.sleep(0.1)
    raise AssertionError(f"{charger_id} still connected")


async def test_ocpp16_session_is_recorded_with_its_energy(runtime: LocalRuntime, api: OperatorApi) -> None:
    # Given a registered charge point and token
    await api.register_charger("CP-16")
    await api.register_token("TAG-16")

    # When it boots and runs a session
    async with connected(runtime, "CP-16", "ocpp1.6") as charge_point:
        boot = await charge_point.call(
            call16.BootNotification(
                charge_point_vendor="Acme",
                charge_point_model="AC-22",
                charge_point_serial_number="SN-16",
                firmware_version="1.6.3",
            )
        )
        await charge_point.call(call16.StatusNotification(connector_id=1, error_code="NoError", status="Preparing"))
        authorize = await charge_point.call(call16.Authorize(id_tag="TAG-16"))
        start = await charge_point.call(
            call16.StartTransaction(connector_id=1, id_tag="TAG-16", meter_start=1000, timestamp=at(0))
        )
        await charge_point.call(call16.StatusNotification(connector_id=1, error_code="NoError", status="Charging"))
        await charge_point.call(
            call16.MeterValues(
                connector_id=1,
                transaction_id=start.transaction_id,
                meter_value=[
                    {
                        "timestamp": at(30),
                        "sampled_value": [
                            {"value": "4200", "measurand": "Energy.Active.Import.Register", "unit": "Wh"}
                        ],
                    }
                ],
            )
        )
        stop_request = call16.StopTransaction(
            meter_stop=8500,
            timestamp=at(60),
            transaction_id=start.transaction_id,
            reason="EVDisconnected",
            id_tag="TAG-16",
        )
        stop = await charge_point.call(stop_request)
        resent_stop = await charge_point.call(stop_request)  # e.g. queued while offline, sent again
        while_connected = (await api.request("GET", "/chargers/CP-16")).body

    # Then the CSMS answered as OCPP requires
    assert boot.status == "Accepted"
    assert boot.interval == get_settings().heartbeat_interval_seconds
    assert authorize.id_tag_info["status"] == "Accepted"
    assert isinstance(start.transaction_id, int)
    assert start.id_tag_info["status"] == "Accepted"
    assert stop.id_tag_info["status"] == "Accepted"
    assert resent_stop.id_tag_info["status"] == "Accepted"
    # And the operator API shows the charge point and the one transaction with its energy
    assert while_connected["connected"] is True
    assert while_connected["ocppVersion"] == "1.6"
    assert (while_connected["vendor"], while_connected["model"]) == ("Acme", "AC-22")
    assert while_connected["firmwareVersion"] == "1.6.3"
    assert while_connected["lastSeen"] is not None
    assert [(c["connectorId"], c["status"]) for c in while_connected["connectors"]] == [(1, "Charging")]
    transactions = (await api.request("GET", "/transactions?chargerId=CP-16")).body["items"]
    assert len(transactions) == 1
    transaction = (await api.request("GET", f"/transactions/{start.transaction_id}")).body
    assert {name: value for name, value in transaction.items() if name not in DETAIL_ONLY} == transactions[0]
    assert [(v["timestamp"][:16], v["sampledValue"][0]["value"]) for v in transaction["meterValues"]] == [
        ("2026-11-23T09:30", "4200")
    ]
    assert transaction["transactionId"] == str(start.transaction_id)
    assert transaction["chargerId"] == "CP-16"
    assert transaction["idToken"] == "TAG-16"
    assert transaction["status"] == "Completed"
    assert (transaction["meterStart"], transaction["meterStop"], transaction["energyWh"]) == ("1000", "8500", "7500")
    assert transaction["stopReason"] == "EVDisconnected"
    assert transaction["startedAt"].startswith("2026-11-23T09:00:00")
    assert transaction["stoppedAt"].startswith("2026-11-23T10:00:00")
    assert (await eventually_disconnected(api, "CP-16"))["connected"] is False


async def test_ocpp201_session_is_recorded_with_its_energy(runtime: LocalRuntime, api: OperatorApi) -> None:
    # Given a registered charging station and token
    await api.register_charger("CS-201")
    await api.register_token("TAG-201", type="ISO14443")
    id_token = {"id_token": "TAG-201", "type": "ISO14443"}
    evse = {"id": 1, "connector_id": 1}

    def energy(minutes: int, value: float, unit: str = "Wh", context: str = "Sample.Periodic") -> list[dict]:
        return [
            {
                "timestamp": at(minutes),
                "sampled_value": [
                    {
                        "value": value,
                        "measurand": "Energy.Active.Import.Register",
                        "context": context,
                        "unit_of_measure": {"unit": unit},
                    }
                ],
            }
        ]

    # When it boots and runs a session
    async with connected(runtime, "CS-201", "ocpp2.0.1") as station:
        boot = await station.call(
            call201.BootNotification(
                charging_station={
                    "vendor_name": "Acme",
                    "model": "DC-50",
                    "serial_number": "SN-201",
                    "firmware_version": "2.0.9",
                },
                reason="PowerUp",
            )
        )
        await station.call(
            call201.StatusNotification(timestamp=at(0), connector_status="Occupied", evse_id=1, connector_id=1)
        )
        authorize = await station.call(call201.Authorize(id_token=id_token))
        started = await station.call(
            call201.TransactionEvent(
                event_type="Started",
                timestamp=at(0),
                trigger_reason="Authorized",
                seq_no=0,
                transaction_info={"transaction_id": "tx-201-a", "charging_state": "Charging"},
                id_token=id_token,
                evse=evse,
                meter_value=energy(0, 1000, context="Transaction.Begin"),
            )
        )
        updated = await station.call(
            call201.TransactionEvent(
                event_type="Updated",
                timestamp=at(30),
                trigger_reason="MeterValuePeriodic",
                seq_no=1,
                transaction_info={"transaction_id": "tx-201-a"},
                meter_value=energy(30, 3.2, unit="kWh"),
            )
        )
        ended_request = call201.TransactionEvent(
            event_type="Ended",
            timestamp=at(60),
            trigger_reason="EVCommunicationLost",
            seq_no=2,
            transaction_info={"transaction_id": "tx-201-a", "stopped_reason": "EVDisconnected"},
            meter_value=energy(60, 6.5, unit="kWh", context="Transaction.End"),
        )
        ended = await station.call(ended_request)
        await station.call(ended_request)  # resent after an imagined reconnect
        while_connected = (await api.request("GET", "/chargers/CS-201")).body

    # Then
    assert boot.status == "Accepted"
    assert authorize.id_token_info["status"] == "Accepted"
    assert started.id_token_info["status"] == "Accepted"
    assert updated.id_token_info is None
    assert ended.id_token_info is None
    assert while_connected["ocppVersion"] == "2.0.1"
    assert while_connected["serialNumber"] == "SN-201"
    assert [(c["evseId"], c["connectorId"], c["status"]) for c in while_connected["connectors"]] == [(1, 1, "Occupied")]
    transactions = (await api.request("GET", "/transactions?chargerId=CS-201")).body["items"]
    assert [t["transactionId"] for t in transactions] == ["tx-201-a"]
    transaction = transactions[0]
    assert transaction["status"] == "Completed"
    assert transaction["idToken"] == "TAG-201"
    assert (transaction["meterStart"], transaction["meterStop"], transaction["energyWh"]) == ("1000", "6500", "5500")
    assert transaction["stopReason"] == "EVDisconnected"
    detail = (await api.request("GET", "/transactions/tx-201-a")).body
    assert {name: value for name, value in detail.items() if name not in DETAIL_ONLY} == transaction
    assert [v["timestamp"][11:16] for v in detail["meterValues"]] == ["09:00", "09:30", "10:00"]
