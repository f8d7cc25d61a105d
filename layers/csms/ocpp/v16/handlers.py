"""OCPP 1.6J: what a charge point sends, mapped onto the domain."""

from ocpp.v16 import call, call_result
from ocpp.v16.enums import DataTransferStatus, RegistrationStatus

from csms.authorization_info import id_tag_info
from csms.domain.models import BootInfo, ConnectorStatus
from csms.ocpp.mapping import keep_notification, meter_readings, meter_register, timestamp
from csms.ocpp.registry import HandlerContext, registry
from csms.timeutil import format_timestamp
from csms.wire.versions import OcppVersion

on = registry.on
V16 = OcppVersion.V16


@on(V16, call.BootNotification)
def boot_notification(context: HandlerContext, request: call.BootNotification) -> call_result.BootNotification:
    services = context.services
    now = services.charge_points.booted(
        context.session.charge_point_id,
        BootInfo(
            vendor=request.charge_point_vendor,
            model=request.charge_point_model,
            serial_number=request.charge_point_serial_number or request.charge_box_serial_number,
            firmware_version=request.firmware_version,
        ),
    )
    return call_result.BootNotification(
        current_time=format_timestamp(now),
        interval=services.settings.heartbeat_interval_seconds,
        status=RegistrationStatus.accepted,
    )


@on(V16, call.Heartbeat)
def heartbeat(context: HandlerContext, request: call.Heartbeat) -> call_result.Heartbeat:
    now = context.services.charge_points.heartbeat(context.session.charge_point_id)
    return call_result.Heartbeat(current_time=format_timestamp(now))


@on(V16, call.StatusNotification)
def status_notification(context: HandlerContext, request: call.StatusNotification) -> call_result.StatusNotification:
    services = context.services
    services.charge_points.status_changed(
        context.session.charge_point_id,
        ConnectorStatus(
            connector_id=request.connector_id,
            status=request.status,
            timestamp=timestamp(request.timestamp) if request.timestamp else services.clock.now(),
            error_code=request.error_code,
            info=request.info or request.vendor_error_code,
        ),
    )
    return call_result.StatusNotification()


@on(V16, call.Authorize)
def authorize(context: HandlerContext, request: call.Authorize) -> call_result.Authorize:
    authorization = context.services.authorization.authorize(request.id_tag)
    return call_result.Authorize(id_tag_info=id_tag_info(authorization))


@on(V16, call.StartTransaction)
def start_transaction(context: HandlerContext, request: call.StartTransaction) -> call_result.StartTransaction:
    transaction, authorization = context.services.transactions.start(
        context.session.charge_point_id,
        connector_id=request.connector_id,
        id_tag=request.id_tag,
        meter_start=meter_register(request.meter_start, "meterStart"),
        timestamp=timestamp(request.timestamp),
        reservation_id=request.reservation_id,
    )
    return call_result.StartTransaction(
        transaction_id=int(transaction.transaction_id), id_tag_info=id_tag_info(authorization)
    )


@on(V16, call.StopTransaction)
def stop_transaction(context: HandlerContext, request: call.StopTransaction) -> call_result.StopTransaction:
    authorization = context.services.transactions.stop(
        context.session.charge_point_id,
        transaction_id=str(request.transaction_id),
        meter_stop=meter_register(request.meter_stop, "meterStop"),
        timestamp=timestamp(request.timestamp),
        reason=request.reason,
        id_tag=request.id_tag,
        transaction_data=meter_readings(context.payload.get("transactionData")),
    )
    return call_result.StopTransaction(id_tag_info=id_tag_info(authorization) if authorization else None)


@on(V16, call.MeterValues)
def meter_values(context: HandlerContext, request: call.MeterValues) -> call_result.MeterValues:
    context.services.transactions.meter_values(
        context.session.charge_point_id,
        evse_or_connector_id=request.connector_id,
        transaction_id=str(request.transaction_id) if request.transaction_id is not None else None,
        readings=meter_readings(context.payload["meterValue"]),
    )
    return call_result.MeterValues()


@on(V16, call.DataTransfer)
def data_transfer(context: HandlerContext, request: call.DataTransfer) -> call_result.DataTransfer:
    """Kept for the record; this CSMS defines no vendor extensions, so no vendor id is known."""
    keep_notification(context, "DataTransfer")
    return call_result.DataTransfer(status=DataTransferStatus.unknown_vendor_id)


@on(V16, call.DiagnosticsStatusNotification)
def diagnostics_status_notification(
    context: HandlerContext, request: call.DiagnosticsStatusNotification
) -> call_result.DiagnosticsStatusNotification:
    keep_notification(context, "DiagnosticsStatusNotification")
    return call_result.DiagnosticsStatusNotification()


@on(V16, call.FirmwareStatusNotification)
def firmware_status_notification(
    context: HandlerContext, request: call.FirmwareStatusNotification
) -> call_result.FirmwareStatusNotification:
    keep_notification(context, "FirmwareStatusNotification")
    return call_result.FirmwareStatusNotification()


# OCPP 1.6 security extension (whitepaper edition 2)


@on(V16, call.SecurityEventNotification)
def security_event_notification(
    context: HandlerContext, request: call.SecurityEventNotification
) -> call_result.SecurityEventNotification:
    keep_notification(context, "SecurityEventNotification")
    return call_result.SecurityEventNotification()


@on(V16, call.LogStatusNotification)
def log_status_notification(
    context: HandlerContext, request: call.LogStatusNotification
) -> call_result.LogStatusNotification:
    keep_notification(context, "LogStatusNotification")
    return call_result.LogStatusNotification()


@on(V16, call.SignedFirmwareStatusNotification)
def signed_firmware_status_notification(
    context: HandlerContext, request: call.SignedFirmwareStatusNotification
) -> call_result.SignedFirmwareStatusNotification:
    keep_notification(context, "FirmwareStatusNotification")
    return call_result.SignedFirmwareStatusNotification()
