"""A simulated OCPP 1.6 charge point."""

from __future__ import annotations

from typing import Any

from ocpp.routing import after, on
from ocpp.v16 import ChargePoint as ChargePoint16
from ocpp.v16 import call, call_result

from csms.simulator.charger import SimulatedCharger, timestamp
from csms.simulator.state import Connector, Session

STOP_REASONS = {
    "local": "Local",
    "remote": "Remote",
    "unlock": "UnlockCommand",
    "deauthorized": "DeAuthorized",
}
READ_ONLY_KEYS = {"NumberOfConnectors"}


class Charger16(SimulatedCharger, ChargePoint16):
    version = "1.6"
    _reset_stop_reason = "SoftReset"

    async def boot(self) -> float | None:
        answer = await self.measured_call(
            call.BootNotification(
                charge_point_vendor="csms-simulator",
                charge_point_model="Sim-16",
                firmware_version=self.state.firmware_version,
            )
        )
        return float(answer.interval) if answer is not None and answer.status == "Accepted" else None

    async def heartbeat(self) -> None:
        await self.measured_call(call.Heartbeat())

    async def report_status(self, connector: Connector) -> None:
        status = "Charging" if connector.session else "Available" if connector.operative else "Unavailable"
        await self.measured_call(
            call.StatusNotification(
                connector_id=connector.connector_id, error_code="NoError", status=status, timestamp=timestamp()
            )
        )

    async def start_transaction(self, session: Session) -> bool:
        connector = self.state.connectors[session.connector_id]
        answer = await self.measured_call(
            call.StartTransaction(
                connector_id=session.connector_id,
                id_tag=session.id_token,
                meter_start=round(connector.energy_wh),
                timestamp=timestamp(),
            )
        )
        if answer is None:
            return False
        session.transaction_id = answer.transaction_id
        return bool(answer.id_tag_info["status"] == "Accepted")

    async def send_meter_values(self, session: Session) -> None:
        connector = self.state.connectors[session.connector_id]
        await self.measured_call(
            call.MeterValues(
                connector_id=session.connector_id,
                transaction_id=session.transaction_id,
                meter_value=[{"timestamp": timestamp(), "sampledValue": _sampled_values(connector)}],
            )
        )

    async def stop_transaction(self, session: Session, reason: str) -> None:
        if session.transaction_id is None:
            return
        await self.measured_call(
            call.StopTransaction(
                meter_stop=round(self.state.connectors[session.connector_id].energy_wh),
                timestamp=timestamp(),
                transaction_id=session.transaction_id,
                reason=self._reset_stop_reason if reason == "reset" else STOP_REASONS[reason],
                id_tag=session.id_token,
            )
        )

    # --- answers to the CSMS ----------------------------------------------------------------

    @on("RemoteStartTransaction")
    def on_remote_start(self, id_tag: str, connector_id: int | None = None, **_: Any) -> Any:
        connector = self.state.free_connector(connector_id)
        if connector is None or self.reset_requested.is_set():
            return call_result.RemoteStartTransaction(status="Rejected")
        self.spawn(self.begin_session(self.claim_session(connector, id_tag)))
        return call_result.RemoteStartTransaction(status="Accepted")

    @on("RemoteStopTransaction")
    def on_remote_stop(self, transaction_id: int, **_: Any) -> Any:
        session = self.state.session_with(transaction_id)
        if session is None:
            return call_result.RemoteStopTransaction(status="Rejected")
        self.spawn(self.end_session(session, "remote"))
        return call_result.RemoteStopTransaction(status="Accepted")

    @on("Reset")
    def on_reset(self, type: str, **_: Any) -> Any:
        self._reset_stop_reason = f"{type}Reset"
        return call_result.Reset(status="Accepted")

    @after("Reset")
    def after_reset(self, **_: Any) -> None:
        self.reset_requested.set()

    @on("ChangeAvailability")
    def on_change_availability(self, connector_id: int, type: str, **_: Any) -> Any:
        operative = type == "Operative"
        connectors = [c for c in self.state.connectors.values() if connector_id in (0, c.connector_id)]
        if not connectors:
            return call_result.ChangeAvailability(status="Rejected")
        for connector in connectors:
            connector.operative = operative
            self.spawn(self.report_status(connector))
        busy = any(c.session for c in connectors)
        return call_result.ChangeAvailability(status="Scheduled" if busy and not operative else "Accepted")

    @on("GetConfiguration")
    def on_get_configuration(self, key: list[str] | None = None, **_: Any) -> Any:
        configuration = self._configuration()
        wanted = key or list(configuration)
        known = [
            {"key": k, "readonly": k in READ_ONLY_KEYS, "value": configuration[k]} for k in wanted if k in configuration
        ]
        unknown = [k for k in wanted if k not in configuration]
        return call_result.GetConfiguration(configuration_key=known, unknown_key=unknown or None)

    @on("ChangeConfiguration")
    def on_change_configuration(self, key: str, value: str, **_: Any) -> Any:
        if key not in self._configuration():
            return call_result.ChangeConfiguration(status="NotSupported")
        if key in READ_ONLY_KEYS:
            return call_result.ChangeConfiguration(status="Rejected")
        if key == "HeartbeatInterval":
            if not value.isdigit():
                return call_result.ChangeConfiguration(status="Rejected")
            self.state.heartbeat_interval = float(value)
        self.state.configuration[key] = value
        return call_result.ChangeConfiguration(status="Accepted")

    def _configuration(self) -> dict[str, str]:
        return {
            "HeartbeatInterval": f"{self.state.heartbeat_interval:g}",
            "MeterValueSampleInterval": f"{self.options.meter_interval_seconds:g}",
            "NumberOfConnectors": str(len(self.state.connectors)),
            **self.state.configuration,
        }

    @on("SetChargingProfile")
    def on_set_charging_profile(self, connector_id: int, cs_charging_profiles: dict[str, Any], **_: Any) -> Any:
        schedule = cs_charging_profiles["charging_schedule"]
        self.state.apply_limit(
            connector_id,
            schedule["charging_schedule_period"][0]["limit"],
            schedule["charging_rate_unit"],
            cs_charging_profiles["charging_profile_purpose"],
        )
        return call_result.SetChargingProfile(status="Accepted")

    @on("TriggerMessage")
    def on_trigger_message(self, requested_message: str, connector_id: int | None = None, **_: Any) -> Any:
        connectors = [c for c in self.state.connectors.values() if connector_id in (None, c.connector_id)]
        if requested_message == "Heartbeat":
            self.spawn(self.heartbeat())
        elif requested_message == "BootNotification":
            self.spawn(self.boot())
        elif requested_message == "StatusNotification":
            for connector in connectors:
                self.spawn(self.report_status(connector))
        elif requested_message == "MeterValues":
            for connector in connectors:
                if connector.session is not None:
                    self.spawn(self.send_meter_values(connector.session))
        else:
            return call_result.TriggerMessage(status="NotImplemented")
        return call_result.TriggerMessage(status="Accepted")

    @on("UnlockConnector")
    def on_unlock_connector(self, connector_id: int, **_: Any) -> Any:
        connector = self.state.connectors.get(connector_id)
        if connector is None:
            return call_result.UnlockConnector(status="NotSupported")
        if connector.session is not None:
            self.spawn(self.end_session(connector.session, "unlock"))
        return call_result.UnlockConnector(status="Unlocked")

    @on("UpdateFirmware")
    def on_update_firmware(self, location: str, **_: Any) -> Any:
        async def report(status: str) -> None:
            await self.measured_call(call.FirmwareStatusNotification(status=status))

        self.spawn(self.install_firmware(location, report, reboots_before_installed=False))
        return call_result.UpdateFirmware()

    @on("SignedUpdateFirmware")
    def on_signed_update_firmware(self, request_id: int, firmware: dict[str, Any], **_: Any) -> Any:
        """Security extension: the signature is taken as verified (a simulator holds no vendor key)."""

        async def report(status: str) -> None:
            await self.measured_call(call.SignedFirmwareStatusNotification(status=status, request_id=request_id))

        self.spawn(self.install_firmware(firmware["location"], report, reboots_before_installed=False))
        return call_result.SignedUpdateFirmware(status="Accepted")

    @on("GetDiagnostics")
    def on_get_diagnostics(self, **_: Any) -> Any:
        self.spawn(
            self.report_sequence(
                lambda status: call.DiagnosticsStatusNotification(status=status), ("Uploading", "Uploaded")
            )
        )
        return call_result.GetDiagnostics(file_name=f"{self.id}-diagnostics.log")


def _sampled_values(connector: Connector) -> list[dict[str, str]]:
    return [
        {
            "value": f"{connector.energy_wh:.0f}",
            "measurand": "Energy.Active.Import.Register",
            "unit": "Wh",
            "context": "Sample.Periodic",
        },
        {"value": f"{connector.power_w:.0f}", "measurand": "Power.Active.Import", "unit": "W"},
        {"value": f"{connector.current_amps:.1f}", "measurand": "Current.Import", "unit": "A"},
    ]
