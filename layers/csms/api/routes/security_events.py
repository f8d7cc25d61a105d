"""/api/security-events: what chargers reported (SecurityEventNotification) and the CSMS's own findings."""

from datetime import datetime
from http import HTTPStatus
from typing import Annotated, Any

from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Query
from pydantic import AwareDatetime, Field

from csms.api.api_model import ApiModel
from csms.api.errors import responses
from csms.api.models import PageView
from csms.api.openapi import Tag
from csms.api.pagination import DEFAULT_PAGE_SIZE, Limit, NextToken
from csms.composition import get_services
from csms.domain.identity import MAX_IDENTITY_LENGTH
from csms.domain.security_events import SecurityEvent, SecurityEventFilter, SecurityEventSource

router = Router()

MAX_TYPE_LENGTH = 50  # OCPP's security event type: string[50]


class SecurityEventView(ApiModel):
    event_id: str
    charger_id: str
    type: str = Field(description="The OCPP security event type, or the CSMS finding (e.g. RepeatedWrongPasswords)")
    timestamp: datetime = Field(description="When it happened: the charger's time for its own events")
    critical: bool = Field(description="Critical per the OCPP 2.0.1 security event list, or a critical finding")
    source: SecurityEventSource = Field(description="charger: a SecurityEventNotification; csms: a finding")
    detail: dict[str, Any] = Field(description="What is known: the charger's techInfo, or the finding's details")

    @classmethod
    def of(cls, event: SecurityEvent) -> "SecurityEventView":
        return cls(
            event_id=event.event_id,
            charger_id=event.charge_point_id,
            type=event.type,
            timestamp=event.timestamp,
            critical=event.critical,
            source=event.source,
            detail=dict(event.detail),
        )


@router.get(
    "/api/security-events",
    operation_id="listSecurityEvents",
    summary="List security events",
    description="Security events of every charger or of one, newest first, optionally of one type and since a "
    "time: what chargers reported and what the CSMS found itself. Paged.",
    tags=[Tag.SECURITY],
    responses=responses(HTTPStatus.BAD_REQUEST),
)
def list_security_events(
    charger_id: Annotated[
        str | None, Query(alias="chargerId", min_length=1, max_length=MAX_IDENTITY_LENGTH, description="Only its")
    ] = None,
    type: Annotated[
        str | None, Query(min_length=1, max_length=MAX_TYPE_LENGTH, description="Only of this type")
    ] = None,
    since: Annotated[AwareDatetime | None, Query(description="At or after (RFC 3339, with an offset)")] = None,
    limit: Limit = DEFAULT_PAGE_SIZE,
    next_token: NextToken = None,
) -> PageView[SecurityEventView]:
    where = SecurityEventFilter(charge_point_id=charger_id, type=type, since=since)
    page = get_services().security_events.page(where, limit, next_token)
    return PageView[SecurityEventView](
        items=[SecurityEventView.of(event) for event in page.items], next_token=page.next_token
    )
