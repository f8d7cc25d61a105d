"""OCPP 2.0.1: what a charging station sends, handled as mapped request -> domain service -> mapped answer."""

from ocpp.v201 import call, call_result
from ocpp.v201.enums import DataTransferStatusEnumType, GenericStatusEnumType

from csms.domain.notifications import NotificationKind
from csms.domain.provisioning import PENDING_BOOT_INTERVAL_SECONDS
from csms.ocpp.notifications import (
    keep_notification,
    security_event_reported,
    status_reported,
    upload_status_reported,
)
from csms.ocpp.registry import HandlerContext, registry
from csms.ocpp.v201 import mappers
from csms.wire.versions import OcppVersion

on = registry.on
V201 = OcppVersion.V201


@on(V201, call.BootNotification)
def boot_notification(context: HandlerContext, request: call.BootNotification) -> call_result.BootNotification:
    services = context.services
    charge_point_id = context.session.charge_point_id
    now, charge_point = services.charge_points.booted(charge_point_id, mappers.boot_info(request))
    if services.provisioning.booted(charge_point, V201):
        return mappers.boot_accepted(now, services.settings.heartbeat_interval_seconds)
    return mappers.boot_pending(now, PENDING_BOOT_INTERVAL_SECONDS)


@on(V201, call.Heartbeat)
def heartbeat(context: HandlerContext, request: call.Heartbeat) -> call_result.Heartbeat:
    return mappers.heartbeat_answer(context.services.charge_points.heartbeat(context.session.charge_point_id))


@on(V201, call.StatusNotification)
def status_notification(context: HandlerContext, request: call.StatusNotification) -> call_result.StatusNotification:
    status_reported(context, mappers.connector_status(request))
    return call_result.StatusNotification()


@on(V201, call.Authorize)
def authorize(context: HandlerContext, request: call.Authorize) -> call_result.Authorize:
    authorization = context.services.authorization.authorize(mappers.presented_token(request.id_token))
    return mappers.authorize_answer(authorization)


@on(V201, call.TransactionEvent)
def transaction_event(context: HandlerContext, request: call.TransactionEvent) -> call_result.TransactionEvent:
    services = context.services
    outcome = services.transactions.transaction_event(
        context.session.charge_point_id, mappers.transaction_event(request, context.payload)
    )
    if outcome.started is not None:
        services.tariff_display.session_started(outcome.started)
    return mappers.transaction_event_answer(outcome)


@on(V201, call.MeterValues)
def meter_values(context: HandlerContext, request: call.MeterValues) -> call_result.MeterValues:
    context.services.transactions.meter_values(
        context.session.charge_point_id, mappers.meter_values(request, context.payload)
    )
    return call_result.MeterValues()


@on(V201, call.DataTransfer)
def data_transfer(context: HandlerContext, request: call.DataTransfer) -> call_result.DataTransfer:
    """Kept for the record; this CSMS defines no vendor extensions, so no vendor id is known."""
    keep_notification(context, NotificationKind.DATA_TRANSFER)
    return call_result.DataTransfer(status=DataTransferStatusEnumType.unknown_vendor_id)


@on(V201, call.NotifyReport)
def notify_report(context: HandlerContext, request: call.NotifyReport) -> call_result.NotifyReport:
    """A part of a GetBaseReport/GetReport answer: its variables update the stored configuration."""
    context.services.configuration.record_report(context.session.charge_point_id, mappers.reported_variables(request))
    keep_notification(context, NotificationKind.REPORT)
    return call_result.NotifyReport()


@on(V201, call.NotifyEvent)
def notify_event(context: HandlerContext, request: call.NotifyEvent) -> call_result.NotifyEvent:
    keep_notification(context, NotificationKind.EVENT)
    return call_result.NotifyEvent()


@on(V201, call.SecurityEventNotification)
def security_event_notification(
    context: HandlerContext, request: call.SecurityEventNotification
) -> call_result.SecurityEventNotification:
    security_event_reported(context, request.type, request.timestamp, request.tech_info)
    return call_result.SecurityEventNotification()


@on(V201, call.FirmwareStatusNotification)
def firmware_status_notification(
    context: HandlerContext, request: call.FirmwareStatusNotification
) -> call_result.FirmwareStatusNotification:
    keep_notification(context, NotificationKind.FIRMWARE_STATUS)
    return call_result.FirmwareStatusNotification()


@on(V201, call.PublishFirmwareStatusNotification)
def publish_firmware_status_notification(
    context: HandlerContext, request: call.PublishFirmwareStatusNotification
) -> call_result.PublishFirmwareStatusNotification:
    """A local controller's progress publishing an image; the PublishFirmware command's follow-up reads it."""
    keep_notification(context, NotificationKind.PUBLISH_FIRMWARE_STATUS)
    return call_result.PublishFirmwareStatusNotification()


@on(V201, call.LogStatusNotification)
def log_status_notification(
    context: HandlerContext, request: call.LogStatusNotification
) -> call_result.LogStatusNotification:
    upload_status_reported(context, NotificationKind.LOG_STATUS, request.status, request.request_id)
    return call_result.LogStatusNotification()


@on(V201, call.ReservationStatusUpdate)
def reservation_status_update(
    context: HandlerContext, request: call.ReservationStatusUpdate
) -> call_result.ReservationStatusUpdate:
    context.services.reservations.status_updated(
        context.session.charge_point_id, request.reservation_id, mappers.reservation_status(request)
    )
    return call_result.ReservationStatusUpdate()


# Smart charging: the station's reports and external limits update its installed profiles
# (`csms.domain.charging_profiles`), and are kept as notifications too.


@on(V201, call.NotifyEVChargingNeeds)
def notify_ev_charging_needs(
    context: HandlerContext, request: call.NotifyEVChargingNeeds
) -> call_result.NotifyEVChargingNeeds:
    """Accepted only when a schedule follows (`csms.domain.charging_needs`)."""
    keep_notification(context, NotificationKind.EV_CHARGING_NEEDS)
    services = context.services
    needs = mappers.charging_needs(request, services.clock.now())
    schedule_follows = services.charging_needs.notified(context.session.charge_point_id, request.evse_id, needs)
    return mappers.charging_needs_answer(schedule_follows)


@on(V201, call.NotifyEVChargingSchedule)
def notify_ev_charging_schedule(
    context: HandlerContext, request: call.NotifyEVChargingSchedule
) -> call_result.NotifyEVChargingSchedule:
    keep_notification(context, NotificationKind.EV_CHARGING_SCHEDULE)
    return call_result.NotifyEVChargingSchedule(status=GenericStatusEnumType.accepted)


@on(V201, call.ReportChargingProfiles)
def report_charging_profiles(
    context: HandlerContext, request: call.ReportChargingProfiles
) -> call_result.ReportChargingProfiles:
    keep_notification(context, NotificationKind.CHARGING_PROFILES_REPORT)
    services = context.services
    report = mappers.charging_profiles_report(context.payload, services.clock.now())
    services.installed_profiles.reported(context.session.charge_point_id, report)
    return call_result.ReportChargingProfiles()


@on(V201, call.NotifyChargingLimit)
def notify_charging_limit(
    context: HandlerContext, request: call.NotifyChargingLimit
) -> call_result.NotifyChargingLimit:
    keep_notification(context, NotificationKind.CHARGING_LIMIT)
    services = context.services
    limit = mappers.external_limit(context.payload, services.clock.now())
    services.installed_profiles.limit_notified(context.session.charge_point_id, limit)
    return call_result.NotifyChargingLimit()


@on(V201, call.ClearedChargingLimit)
def cleared_charging_limit(
    context: HandlerContext, request: call.ClearedChargingLimit
) -> call_result.ClearedChargingLimit:
    keep_notification(context, NotificationKind.CHARGING_LIMIT_CLEARED)
    context.services.installed_profiles.limit_cleared(
        context.session.charge_point_id, request.charging_limit_source, mappers.limited_evse(request.evse_id)
    )
    return call_result.ClearedChargingLimit()


# Reports requested by the CSMS (GetDisplayMessages, GetMonitoringReport, CustomerInformation)


@on(V201, call.NotifyDisplayMessages)
def notify_display_messages(
    context: HandlerContext, request: call.NotifyDisplayMessages
) -> call_result.NotifyDisplayMessages:
    keep_notification(context, NotificationKind.DISPLAY_MESSAGES)
    return call_result.NotifyDisplayMessages()


@on(V201, call.NotifyMonitoringReport)
def notify_monitoring_report(
    context: HandlerContext, request: call.NotifyMonitoringReport
) -> call_result.NotifyMonitoringReport:
    keep_notification(context, NotificationKind.MONITORING_REPORT)
    return call_result.NotifyMonitoringReport()


@on(V201, call.NotifyCustomerInformation)
def notify_customer_information(
    context: HandlerContext, request: call.NotifyCustomerInformation
) -> call_result.NotifyCustomerInformation:
    keep_notification(context, NotificationKind.CUSTOMER_INFORMATION)
    return call_result.NotifyCustomerInformation()


@on(V201, call.SignCertificate)
def sign_certificate(context: HandlerContext, request: call.SignCertificate) -> call_result.SignCertificate:
    """A station asks the CSMS's CA for a certificate: Accepted, then CertificateSigned; or Rejected (V2G too)."""
    session = context.session
    answer = context.services.certificates.sign_requested(
        session.charge_point_id, session.ocpp_version, request.csr, request.certificate_type
    )
    return mappers.sign_certificate_answer(answer)
