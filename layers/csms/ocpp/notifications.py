"""Notifications the CSMS keeps as they were sent (the API shows them so), alike in both versions."""

from csms.domain.models import SentNotification
from csms.ocpp.registry import HandlerContext


def sent_notification(kind: str, context: HandlerContext) -> SentNotification:
    """The notification in the frame at hand: its payload exactly as received."""
    return SentNotification(kind, context.message_id, dict(context.payload))


def keep_notification(context: HandlerContext, kind: str) -> None:
    context.services.charge_points.notified(context.session.charge_point_id, sent_notification(kind, context))
