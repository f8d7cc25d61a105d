"""Notifications the CSMS keeps as they were sent (the API shows them so), alike in both versions."""

from csms.domain.models import ConnectorStatus, SentNotification
from csms.domain.notifications import NotificationKind
from csms.ocpp.registry import HandlerContext


def sent_notification(kind: NotificationKind, context: HandlerContext) -> SentNotification:
    """The notification in the frame at hand: its payload exactly as received."""
    return SentNotification(kind, context.message_id, dict(context.payload))


def keep_notification(context: HandlerContext, kind: NotificationKind) -> None:
    context.services.charge_points.notified(context.session.charge_point_id, sent_notification(kind, context))


def status_reported(context: HandlerContext, status: ConnectorStatus) -> None:
    """Keep a connector's status; a StatusNotification that reports a fault is also kept as a notification."""
    context.services.charge_points.status_changed(context.session.charge_point_id, status)
    if status.reports_fault:
        keep_notification(context, NotificationKind.STATUS)
