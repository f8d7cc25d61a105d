"""A simulated OCPP 2.0.1 charging station: one connector per EVSE."""

from __future__ import annotations

import asyncio
import hashlib
from typing import Any

from ocpp.routing import after, on
from ocpp.v201 import ChargePoint as ChargePoint201
from ocpp.v201 import call, call_result

from csms.simulator.charger import SimulatedCharger, download, timestamp
from csms.simulator.state import Connector, Session

# reason → (triggerReason, stoppedReason) of TransactionEvent Ended
ENDINGS = {
    "local": ("StopAuthorized", "Local"),
    "remote": ("RemoteStop", "Remote"),
    "reset": ("ResetCommand", "ImmediateReset"),
    "unlock": ("UnlockCommand", "Other"),
    "deauthorized": ("Deauthorized", "DeAuthorized"),
}
READ_ONLY_VARIABLES = {("EVSE", "Count")}


class Charger201(SimulatedCharger, ChargePoint201):
    version = "2.0.1"
    _reset_when_idle = False

    async def boot(self) -> float | None:
        answer = await self.measured_call(
            call.BootNotification(
                charging_station={
                    "model": "Sim-201",
                    "vendorName": "csms-simulator",
                    "firmwareVersion": self.state.firmware_version,
                },
                reason="FirmwareUpdate" if self.state.installed_after_boot is not None else "PowerUp",
            )
        )
        return float(answer.interval) if answer is not None and answer.status == "Accepted" else None

    async def heartbeat(self) -> None:
        await self.measured_call(call.Heartbeat())

    async def report_status(self, connector: Connector) -> None:
        status = "Occupied" if connector.session else "Available" if connector.operative else "Unavailable"
        await self.measured_call(
            call.StatusNotification(
                timestamp=timestamp(), connector_status=status, evse_id=connector.connector_id, connector_id=1
            )
        )

    async def start_transaction(self, session: Session) -> bool:
        session.transaction_id = f"{self.id}-{self.rng.getrandbits(48):012x}"
        transaction_info: dict[str, Any] = {"transactionId": session.transaction_id, "chargingState": "Charging"}
        if session.remote_start_id is not None:
            transaction_info["remoteStartId"] = session.remote_start_id
        connector = self.state.connectors[session.connector_id]
        answer = await self.measured_call(
            call.TransactionEvent(
                event_type="Started",
                timestamp=timestamp(),
                trigger_reason="RemoteStart" if session.remote_start_id is not None else "Authorized",
                seq_no=session.next_seq_no(),
                transaction_info=transaction_info,
                id_token={"idToken": session.id_token, "type": session.id_token_type},
                evse={"id": session.connector_id, "connectorId": 1},
                meter_value=[_meter_value(connector, "Transaction.Begin")],
            )
        )
        if answer is None:
            return False
        return answer.id_token_info is None or answer.id_token_info["status"] == "Accepted"

    async def send_meter_values(self, session: Session) -> None:
        await self._transaction_event(session, "Updated", "MeterValuePeriodic", "Sample.Periodic")

    async def _transaction_event(self, session: Session, event_type: str, trigger: str, context: str) -> None:
        await self.measured_call(
            call.TransactionEvent(
                event_type=event_type,
                timestamp=timestamp(),
                trigger_reason=trigger,
                seq_no=session.next_seq_no(),
                transaction_info={"transactionId": session.transaction_id, "chargingState": "Charging"},
                meter_value=[_meter_value(self.state.connectors[session.connector_id], context)],
            )
        )

    async def stop_transaction(self, session: Session, reason: str) -> None:
        trigger, stopped_reason = ENDINGS[reason]
        await self.measured_call(
            call.TransactionEvent(
                event_type="Ended",
                timestamp=timestamp(),
                trigger_reason=trigger,
                seq_no=session.next_seq_no(),
                transaction_info={
                    "transactionId": session.transaction_id,
                    "chargingState": "Idle",
                    "stoppedReason": stopped_reason,
                },
                meter_value=[_meter_value(self.state.connectors[session.connector_id], "Transaction.End")],
            )
        )

    def after_session_ended(self) -> None:
        if self._reset_when_idle and not self.state.sessions():
            self.reset_requested.set()

    # --- answers to the CSMS ----------------------------------------------------------------

    @on("RequestStartTransaction")
    def on_request_start(
        self, id_token: dict[str, Any], remote_start_id: int, evse_id: int | None = None, **_: Any
    ) -> Any:
        connector = self.state.free_connector(evse_id)
        if connector is None or self.reset_requested.is_set() or self._reset_when_idle:
            return call_result.RequestStartTransaction(status="Rejected")
        session = self.claim_session(connector, id_token["id_token"], remote_start_id)
        session.id_token_type = id_token["type"]
        self.spawn(self.begin_session(session))
        return call_result.RequestStartTransaction(status="Accepted")

    @on("RequestStopTransaction")
    def on_request_stop(self, transaction_id: str, **_: Any) -> Any:
        session = self.state.session_with(transaction_id)
        if session is None:
            return call_result.RequestStopTransaction(status="Rejected")
        self.spawn(self.end_session(session, "remote"))
        return call_result.RequestStopTransaction(status="Accepted")

    @on("Reset")
    def on_reset(self, type: str, **_: Any) -> Any:
        if type == "OnIdle" and self.state.sessions():
            self._reset_when_idle = True
            return call_result.Reset(status="Scheduled")
        return call_result.Reset(status="Accepted")

    @after("Reset")
    def after_reset(self, type: str, **_: Any) -> None:
        if not self._reset_when_idle:
            self.reset_requested.set()

    @on("ChangeAvailability")
    def on_change_availability(self, operational_status: str, evse: dict[str, Any] | None = None, **_: Any) -> Any:
        evse_id = evse["id"] if evse else 0
        connectors = [c for c in self.state.connectors.values() if evse_id in (0, c.connector_id)]
        if not connectors:
            return call_result.ChangeAvailability(status="Rejected")
        operative = operational_status == "Operative"
        for connector in connectors:
            connector.operative = operative
            self.spawn(self.report_status(connector))
        busy = any(c.session for c in connectors)
        return call_result.ChangeAvailability(status="Scheduled" if busy and not operative else "Accepted")

    @on("GetVariables")
    def on_get_variables(self, get_variable_data: list[dict[str, Any]], **_: Any) -> Any:
        variables = self._variables()
        results = []
        for wanted in get_variable_data:
            component, variable = wanted["component"], wanted["variable"]
            result = {"component": component, "variable": variable, "attribute_status": "Accepted"}
            value = variables.get((component["name"], variable["name"]))
            if value is None:
                known_component = any(name == component["name"] for name, _ in variables)
                result["attribute_status"] = "UnknownVariable" if known_component else "UnknownComponent"
            else:
                result["attribute_value"] = value
            results.append(result)
        return call_result.GetVariables(get_variable_result=results)

    @on("SetVariables")
    def on_set_variables(self, set_variable_data: list[dict[str, Any]], **_: Any) -> Any:
        variables = self._variables()
        results = []
        for change in set_variable_data:
            component, variable = change["component"], change["variable"]
            key = (component["name"], variable["name"])
            status = "Accepted"
            if key not in variables:
                known_component = any(name == component["name"] for name, _ in variables)
                status = "UnknownVariable" if known_component else "UnknownComponent"
            elif key in READ_ONLY_VARIABLES:
                status = "Rejected"
            elif key == ("OCPPCommCtrlr", "HeartbeatInterval"):
                if not change["attribute_value"].isdigit():
                    status = "Rejected"
                else:
                    self.state.heartbeat_interval = float(change["attribute_value"])
            if status == "Accepted":
                self.state.configuration[".".join(key)] = change["attribute_value"]
            results.append({"component": component, "variable": variable, "attribute_status": status})
        return call_result.SetVariables(set_variable_result=results)

    def _variables(self) -> dict[tuple[str, str], str]:
        defaults = {
            ("OCPPCommCtrlr", "HeartbeatInterval"): f"{self.state.heartbeat_interval:g}",
            ("SampledDataCtrlr", "TxUpdatedInterval"): f"{self.options.meter_interval_seconds:g}",
            ("AuthCtrlr", "AuthorizeRemoteStart"): "true",
            ("EVSE", "Count"): str(len(self.state.connectors)),
        }
        changed = {tuple(key.split(".", 1)): value for key, value in self.state.configuration.items()}
        return {**defaults, **changed}  # type: ignore[dict-item]

    @on("SetChargingProfile")
    def on_set_charging_profile(self, evse_id: int, charging_profile: dict[str, Any], **_: Any) -> Any:
        schedule = charging_profile["charging_schedule"][0]
        self.state.apply_limit(
            evse_id,
            schedule["charging_schedule_period"][0]["limit"],
            schedule["charging_rate_unit"],
            charging_profile["charging_profile_purpose"],
        )
        return call_result.SetChargingProfile(status="Accepted")

    @on("TriggerMessage")
    def on_trigger_message(self, requested_message: str, evse: dict[str, Any] | None = None, **_: Any) -> Any:
        connectors = [c for c in self.state.connectors.values() if evse is None or evse["id"] == c.connector_id]
        sessions = [c.session for c in connectors if c.session is not None and c.session.transaction_id is not None]
        if requested_message == "Heartbeat":
            self.spawn(self.heartbeat())
        elif requested_message == "BootNotification":
            self.spawn(self.boot())
        elif requested_message == "StatusNotification":
            for connector in connectors:
                self.spawn(self.report_status(connector))
        elif requested_message == "MeterValues":
            for connector in connectors:
                self.spawn(self._meter_values(connector))
        elif requested_message == "TransactionEvent":
            for session in sessions:
                self.spawn(self._transaction_event(session, "Updated", "Trigger", "Trigger"))
        else:
            return call_result.TriggerMessage(status="NotImplemented")
        return call_result.TriggerMessage(status="Accepted")

    async def _meter_values(self, connector: Connector) -> None:
        await self.measured_call(
            call.MeterValues(evse_id=connector.connector_id, meter_value=[_meter_value(connector, "Trigger")])
        )

    @on("UnlockConnector")
    def on_unlock_connector(self, evse_id: int, connector_id: int, **_: Any) -> Any:
        connector = self.state.connectors.get(evse_id)
        if connector is None or connector_id != 1:
            return call_result.UnlockConnector(status="UnknownConnector")
        if connector.session is not None:
            return call_result.UnlockConnector(status="OngoingAuthorizedTransaction")
        return call_result.UnlockConnector(status="Unlocked")

    @on("UpdateFirmware")
    def on_update_firmware(self, request_id: int, firmware: dict[str, Any], **_: Any) -> Any:
        async def report(status: str) -> None:
            if status == "InstallRebooting":
                self.state.installed_after_boot = request_id
            await self.measured_call(call.FirmwareStatusNotification(status=status, request_id=request_id))

        self.spawn(self.install_firmware(firmware["location"], report, reboots_before_installed=True))
        return call_result.UpdateFirmware(status="Accepted")

    async def after_boot(self) -> None:
        """An update that rebooted into the new firmware reports Installed once booted."""
        request_id, self.state.installed_after_boot = self.state.installed_after_boot, None
        if request_id is not None:
            await self.measured_call(call.FirmwareStatusNotification(status="Installed", request_id=request_id))

    @on("GetLog")
    def on_get_log(self, request_id: int, **_: Any) -> Any:
        self.spawn(
            self.report_sequence(
                lambda status: call.LogStatusNotification(status=status, request_id=request_id),
                ("Uploading", "Uploaded"),
            )
        )
        return call_result.GetLog(status="Accepted", filename=f"{self.id}.log")

    # --- local controller: firmware published to the stations behind it ---------------------

    @on("PublishFirmware")
    def on_publish_firmware(self, location: str, checksum: str, request_id: int, **_: Any) -> Any:
        self.spawn(self._publish_firmware(location, checksum.lower(), request_id))
        return call_result.PublishFirmware(status="Accepted")

    async def _publish_firmware(self, location: str, checksum: str, request_id: int) -> None:
        """Download the image, check its MD5, then serve it at a local URL, reporting each step."""

        async def report(status: str, location: list[str] | None = None) -> None:
            await self.measured_call(
                call.PublishFirmwareStatusNotification(status=status, location=location, request_id=request_id)
            )

        await report("Downloading")
        try:
            image = await asyncio.to_thread(download, location)
        except (OSError, ValueError):  # unreachable, an HTTP error, not a URL
            await report("DownloadFailed")
            return
        await report("Downloaded")
        if hashlib.md5(image, usedforsecurity=False).hexdigest() != checksum:
            await report("InvalidChecksum")
            return
        await report("ChecksumVerified")
        self.state.published_firmware.add(checksum)
        await report("Published", [f"http://{self.id}.local/firmware/{checksum}"])

    @on("UnpublishFirmware")
    def on_unpublish_firmware(self, checksum: str, **_: Any) -> Any:
        if checksum.lower() not in self.state.published_firmware:
            return call_result.UnpublishFirmware(status="NoFirmware")
        self.state.published_firmware.discard(checksum.lower())
        return call_result.UnpublishFirmware(status="Unpublished")


def _meter_value(connector: Connector, context: str) -> dict[str, Any]:
    return {
        "timestamp": timestamp(),
        "sampledValue": [
            {
                "value": round(connector.energy_wh),
                "measurand": "Energy.Active.Import.Register",
                "unitOfMeasure": {"unit": "Wh"},
                "context": context,
            },
            {
                "value": round(connector.power_w),
                "measurand": "Power.Active.Import",
                "unitOfMeasure": {"unit": "W"},
                "context": context,
            },
            {
                "value": round(connector.current_amps, 1),
                "measurand": "Current.Import",
                "unitOfMeasure": {"unit": "A"},
                "context": context,
            },
        ],
    }
