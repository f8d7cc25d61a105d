"""OCPP 1.6J: what a charge point sends, handled as mapped request -> domain service -> mapped answer."""

from dataclasses import dataclass

from ocpp.v16 import call, call_result
from ocpp.v16.enums import DataTransferStatus

from csms.domain.notifications import NotificationKind
from csms.domain.provisioning import PENDING_BOOT_INTERVAL_SECONDS
from csms.ocpp.notifications import (
    keep_notification,
    security_event_reported,
    status_reported,
    upload_status_reported,
)
from csms.ocpp.registry import HandlerContext, registry
from csms.ocpp.v16 import mappers
from csms.wire.versions import OcppVersion

on = registry.on
V16 = OcppVersion.V16


@on(V16, call.BootNotification)
def boot_notification(context: HandlerContext, request: call.BootNotification) -> call_result.BootNotification:
    services = context.services
    charge_point_id = context.session.charge_point_id
    now, charge_point = services.charge_points.booted(charge_point_id, mappers.boot_info(request))
    if services.provisioning.booted(charge_point, V16):
        return mappers.boot_accepted(now, services.settings.heartbeat_interval_seconds)
    return mappers.boot_pending(now, PENDING_BOOT_INTERVAL_SECONDS)


@on(V16, call.Heartbeat)
def heartbeat(context: HandlerContext, request: call.Heartbeat) -> call_result.Heartbeat:
    return mappers.heartbeat_answer(context.services.charge_points.heartbeat(context.session.charge_point_id))


@on(V16, call.StatusNotification)
def status_notification(context: HandlerContext, request: call.StatusNotification) -> call_result.StatusNotification:
    status_reported(context, mappers.connector_status(request, received_at=context.services.clock.now()))
    return call_result.StatusNotification()


@on(V16, call.Authorize)
def authorize(context: HandlerContext, request: call.Authorize) -> call_result.Authorize:
    return mappers.authorize_answer(context.services.authorization.authorize(request.id_tag))


@on(V16, call.StartTransaction)
def start_transaction(context: HandlerContext, request: call.StartTransaction) -> call_result.StartTransaction:
    transaction, authorization = context.services.transactions.start(
        context.session.charge_point_id, mappers.transaction_start(request)
    )
    return mappers.start_answer(transaction.transaction_id, authorization)


@on(V16, call.StopTransaction)
def stop_transaction(context: HandlerContext, request: call.StopTransaction) -> call_result.StopTransaction:
    authorization = context.services.transactions.stop(
        context.session.charge_point_id, mappers.transaction_stop(request, context.payload)
    )
    return mappers.stop_answer(authorization)


@on(V16, call.MeterValues)
def meter_values(context: HandlerContext, request: call.MeterValues) -> call_result.MeterValues:
    context.services.transactions.meter_values(
        context.session.charge_point_id, mappers.meter_values(request, context.payload)
    )
    return call_result.MeterValues()


@on(V16, call.DataTransfer)
def data_transfer(context: HandlerContext, request: call.DataTransfer) -> call_result.DataTransfer:
    """Kept for the record; this CSMS defines no vendor extensions, so no vendor id is known."""
    keep_notification(context, NotificationKind.DATA_TRANSFER)
    return call_result.DataTransfer(status=DataTransferStatus.unknown_vendor_id)


@on(V16, call.DiagnosticsStatusNotification)
def diagnostics_status_notification(
    context: HandlerContext, request: call.DiagnosticsStatusNotification
) -> call_result.DiagnosticsStatusNotification:
    upload_status_reported(context, NotificationKind.DIAGNOSTICS_STATUS, request.status, None)
    return call_result.DiagnosticsStatusNotification()


@on(V16, call.FirmwareStatusNotification)
def firmware_status_notification(
    context: HandlerContext, request: call.FirmwareStatusNotification
) -> call_result.FirmwareStatusNotification:
    keep_notification(context, NotificationKind.FIRMWARE_STATUS)
    return call_result.FirmwareStatusNotification()


# OCPP 1.6 security extension (whitepaper edition 2)


@dataclass
class SecurityEventNotification(call.SecurityEventNotification):
    """The library's dataclass requires `tech_info`, which the schema makes optional: without it a charge point
    that sends no techInfo would get CALLERROR InternalError."""

    tech_info: str | None = None


@on(V16, SecurityEventNotification)
def security_event_notification(
    context: HandlerContext, request: SecurityEventNotification
) -> call_result.SecurityEventNotification:
    security_event_reported(context, request.type, request.timestamp, request.tech_info)
    return call_result.SecurityEventNotification()


@on(V16, call.LogStatusNotification)
def log_status_notification(
    context: HandlerContext, request: call.LogStatusNotification
) -> call_result.LogStatusNotification:
    upload_status_reported(context, NotificationKind.LOG_STATUS, request.status, request.request_id)
    return call_result.LogStatusNotification()


@on(V16, call.SignedFirmwareStatusNotification)
def signed_firmware_status_notification(
    context: HandlerContext, request: call.SignedFirmwareStatusNotification
) -> call_result.SignedFirmwareStatusNotification:
    keep_notification(context, NotificationKind.FIRMWARE_STATUS)
    return call_result.SignedFirmwareStatusNotification()


@on(V16, call.SignCertificate)
def sign_certificate(context: HandlerContext, request: call.SignCertificate) -> call_result.SignCertificate:
    """A charge point asks the CSMS's CA for a certificate: Accepted, then CertificateSigned; or Rejected."""
    session = context.session
    answer = context.services.certificates.sign_requested(session.charge_point_id, session.ocpp_version, request.csr)
    return mappers.sign_certificate_answer(answer)
