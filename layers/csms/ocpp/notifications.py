"""Notifications the CSMS keeps as they were sent (the API shows them so), alike in both versions."""

from csms.domain.models import ConnectorStatus, SentNotification
from csms.domain.notifications import NotificationKind
from csms.ocpp.registry import HandlerContext
from csms.timeutil import parse_timestamp


def sent_notification(kind: NotificationKind, context: HandlerContext) -> SentNotification:
    """The notification in the frame at hand: its payload exactly as received."""
    return SentNotification(kind, context.message_id, dict(context.payload))


def keep_notification(context: HandlerContext, kind: NotificationKind) -> None:
    context.services.charge_points.notified(context.session.charge_point_id, sent_notification(kind, context))


def security_event_reported(context: HandlerContext, type: str, timestamp: str, tech_info: str | None) -> None:
    """A SecurityEventNotification (both versions name its fields alike): kept as a notification, as the
    overview shows it, and in the security event log."""
    keep_notification(context, NotificationKind.SECURITY_EVENT)
    context.services.security_events.reported(
        context.session.charge_point_id, type, parse_timestamp(timestamp), tech_info
    )


def upload_status_reported(
    context: HandlerContext, kind: NotificationKind, status: str, request_id: int | None
) -> None:
    """A DiagnosticsStatusNotification or LogStatusNotification: kept as a notification, and moves its log upload
    on (`csms.commands.log_upload_progress`)."""
    keep_notification(context, kind)
    context.services.log_upload_progress.notified(context.session.charge_point_id, kind.value, status, request_id)


def status_reported(context: HandlerContext, status: ConnectorStatus) -> None:
    """Keep a connector's status; a StatusNotification that reports a fault is also kept as a notification."""
    context.services.charge_points.status_changed(context.session.charge_point_id, status)
    if status.reports_fault:
        keep_notification(context, NotificationKind.STATUS)
