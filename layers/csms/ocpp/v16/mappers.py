"""OCPP 1.6 payloads as domain inputs, and the domain's results as 1.6 responses.

Requests come as the `ocpp` library's dataclasses; the parts the CSMS keeps as they were sent
(sampled values, notifications) come from the payload as received (camelCase).
"""

from datetime import datetime
from typing import TYPE_CHECKING, Any

from ocpp.v16 import call, call_result
from ocpp.v16.enums import GenericStatus, RegistrationStatus

from csms.authorization_info import id_tag_info
from csms.domain.models import ENERGY_REGISTER, Authorization, BootInfo, ConnectorStatus, MeterReading, SampledValue
from csms.domain.transactions import MeterValues, TransactionStart, TransactionStop
from csms.ocpp.mapping import meter_readings, meter_register, number, timestamp
from csms.timeutil import format_timestamp

if TYPE_CHECKING:  # the CA's modules are imported by the first SignCertificate only (cold starts)
    from csms.pki.service import SigningAnswer


def boot_info(request: call.BootNotification) -> BootInfo:
    return BootInfo(
        vendor=request.charge_point_vendor,
        model=request.charge_point_model,
        serial_number=request.charge_point_serial_number or request.charge_box_serial_number,
        firmware_version=request.firmware_version,
    )


def connector_status(request: call.StatusNotification, received_at: datetime) -> ConnectorStatus:
    """A status; one without a timestamp (optional in 1.6) is taken as of `received_at`."""
    return ConnectorStatus(
        connector_id=request.connector_id,
        status=request.status,
        timestamp=timestamp(request.timestamp) if request.timestamp else received_at,
        error_code=request.error_code,
        info=request.info or request.vendor_error_code,
    )


def transaction_start(request: call.StartTransaction) -> TransactionStart:
    return TransactionStart(
        connector_id=request.connector_id,
        id_token=request.id_tag,
        meter_start=meter_register(request.meter_start, "meterStart"),
        timestamp=timestamp(request.timestamp),
        reservation_id=request.reservation_id,
    )


def transaction_stop(request: call.StopTransaction, sent: dict[str, Any]) -> TransactionStop:
    return TransactionStop(
        transaction_id=str(request.transaction_id),
        meter_stop=meter_register(request.meter_stop, "meterStop"),
        timestamp=timestamp(request.timestamp),
        reason=request.reason,
        id_token=request.id_tag,
        readings=tuple(readings(sent.get("transactionData"))),
    )


def meter_values(request: call.MeterValues, sent: dict[str, Any]) -> MeterValues:
    return MeterValues(
        evse_or_connector_id=request.connector_id,
        readings=tuple(readings(sent["meterValue"])),
        transaction_id=str(request.transaction_id) if request.transaction_id is not None else None,
    )


def readings(entries: list[dict[str, Any]] | None) -> list[MeterReading]:
    """1.6 MeterValue entries (`meterValue`, `transactionData`) as sent."""
    return meter_readings(entries, sampled_value)


def sampled_value(sent: dict[str, Any]) -> SampledValue:
    """A 1.6 SampledValue: its value a string, its unit beside it, no multiplier."""
    return SampledValue(
        sent=sent,
        value=number(sent["value"]),
        measurand=sent.get("measurand", ENERGY_REGISTER),
        phase=sent.get("phase"),
        unit=sent.get("unit", "Wh"),
    )


# Responses -------------------------------------------------------------------------------------


def boot_accepted(now: datetime, heartbeat_interval_seconds: int) -> call_result.BootNotification:
    return call_result.BootNotification(
        current_time=format_timestamp(now), interval=heartbeat_interval_seconds, status=RegistrationStatus.accepted
    )


def boot_pending(now: datetime, retry_seconds: int) -> call_result.BootNotification:
    """The CSMS sets the charger up first (`csms.commands.provisioning`); it boots again after `retry_seconds`."""
    return call_result.BootNotification(
        current_time=format_timestamp(now), interval=retry_seconds, status=RegistrationStatus.pending
    )


def heartbeat_answer(now: datetime) -> call_result.Heartbeat:
    return call_result.Heartbeat(current_time=format_timestamp(now))


def authorize_answer(authorization: Authorization) -> call_result.Authorize:
    return call_result.Authorize(id_tag_info=id_tag_info(authorization))


def start_answer(transaction_id: str, authorization: Authorization) -> call_result.StartTransaction:
    return call_result.StartTransaction(transaction_id=int(transaction_id), id_tag_info=id_tag_info(authorization))


def stop_answer(authorization: Authorization | None) -> call_result.StopTransaction:
    """IdTagInfo only when the stop named an id tag."""
    return call_result.StopTransaction(id_tag_info=id_tag_info(authorization) if authorization else None)


def sign_certificate_answer(answer: "SigningAnswer") -> call_result.SignCertificate:
    """1.6 security extension: Accepted or Rejected (the schema has no room for the reason)."""
    return call_result.SignCertificate(status=GenericStatus.accepted if answer.accepted else GenericStatus.rejected)
