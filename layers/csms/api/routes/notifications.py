"""/api/chargers/{id}/notifications and /api/notifications: what charge points notified, as they sent it."""

from datetime import datetime
from http import HTTPStatus
from typing import Annotated, Any

from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.exceptions import NotFoundError
from aws_lambda_powertools.event_handler.openapi.params import Query
from pydantic import Field

from csms.api.api_model import ApiModel
from csms.api.errors import responses
from csms.api.models import ItemsView, PageView
from csms.api.openapi import Tag
from csms.api.pagination import DEFAULT_PAGE_SIZE, Limit, NextToken
from csms.composition import get_services
from csms.domain.models import Notification
from csms.domain.notifications import NotificationKind, Severity, severity, summary

router = Router()

LATEST_DEFAULT = 20
LATEST_MAX = 100

Kind = Annotated[NotificationKind | None, Query(description="Only this kind (the OCPP action that brought it)")]


class NotificationView(ApiModel):
    charger_id: str
    kind: NotificationKind = Field(description="The OCPP action; StatusNotification only when it reported a fault")
    timestamp: datetime = Field(description="When the CSMS received it")
    message_id: str = Field(description="The OCPP message id of the CALL that brought it")
    severity: Severity = Field(
        description="error: a fault or a failed update or upload; warning: a security event, "
        "an alerting monitor, an error code; info: anything else"
    )
    summary: str = Field(description="One line, read from the payload")
    details: dict[str, Any] = Field(description="The payload as the charge point sent it")

    @classmethod
    def of(cls, notification: Notification) -> "NotificationView":
        return cls(
            charger_id=notification.charge_point_id,
            kind=NotificationKind(notification.kind),
            timestamp=notification.received_at,
            message_id=notification.message_id,
            severity=severity(notification),
            summary=summary(notification),
            details=notification.details,
        )


@router.get(
    "/api/chargers/<charger_id>/notifications",
    operation_id="listChargerNotifications",
    summary="List a charger's notifications",
    description="What the charger notified, newest first, optionally of one kind and since a time: each with "
    "a severity, a one-line summary and its payload as sent. Paged.",
    tags=[Tag.NOTIFICATIONS],
    responses=responses(HTTPStatus.NOT_FOUND, HTTPStatus.BAD_REQUEST),
)
def list_charger_notifications(
    charger_id: str,
    kind: Kind = None,
    since: Annotated[datetime | None, Query(description="Received at or after (RFC 3339)")] = None,
    limit: Limit = DEFAULT_PAGE_SIZE,
    next_token: NextToken = None,
) -> PageView[NotificationView]:
    services = get_services()
    if services.charge_point_administration.get(charger_id) is None:
        raise NotFoundError(f"No charge point {charger_id}")
    page = services.notification_history.page(charger_id, kind, since, limit, next_token)
    return PageView[NotificationView](items=[NotificationView.of(n) for n in page.items], next_token=page.next_token)


@router.get(
    "/api/notifications",
    operation_id="listNotifications",
    summary="List the fleet's latest notifications",
    description="The newest notifications of every charger, newest first, optionally of one kind (faults: "
    "StatusNotification; security events: SecurityEventNotification). Not paged: at most `limit`.",
    tags=[Tag.NOTIFICATIONS],
    responses=responses(),
)
def list_latest_notifications(
    kind: Kind = None,
    limit: Annotated[int, Query(ge=1, le=LATEST_MAX, description="How many")] = LATEST_DEFAULT,
) -> ItemsView[NotificationView]:
    latest = get_services().notification_history.latest(kind, limit)
    return ItemsView[NotificationView](items=[NotificationView.of(n) for n in latest])
