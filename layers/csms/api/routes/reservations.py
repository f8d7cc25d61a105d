"""/api/reservations: connectors and EVSEs held for an id token (made with ReserveNow)."""

from http import HTTPStatus
from typing import Annotated

from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.exceptions import NotFoundError
from aws_lambda_powertools.event_handler.openapi.params import Query

from csms.api.errors import responses
from csms.api.models import PageView, ReservationView
from csms.api.openapi import Tag
from csms.api.pagination import DEFAULT_PAGE_SIZE, Limit, NextToken
from csms.composition import get_services
from csms.domain.models import ReservationStatus

router = Router()


@router.get(
    "/api/reservations",
    operation_id="listReservations",
    summary="List reservations",
    description="Reservations made with ReserveNow, optionally of one charger (then by reservation id) and in "
    "one status. Paged.",
    tags=[Tag.RESERVATIONS],
    responses=responses(HTTPStatus.BAD_REQUEST),
)
def list_reservations(
    charger_id: Annotated[str | None, Query(alias="chargerId", description="Only this charge point's")] = None,
    status: Annotated[ReservationStatus | None, Query(description="Only those in this status")] = None,
    limit: Limit = DEFAULT_PAGE_SIZE,
    next_token: NextToken = None,
) -> PageView[ReservationView]:
    page = get_services().reservations.page(limit, next_token, charger_id, status)
    return PageView[ReservationView](
        items=[ReservationView.of(reservation) for reservation in page.items], next_token=page.next_token
    )


@router.get(
    "/api/reservations/<charger_id>/<reservation_id>",
    operation_id="getReservation",
    summary="Get a reservation",
    description="One reservation of a charger: what it holds, for which id token, until when, and its status.",
    tags=[Tag.RESERVATIONS],
    responses=responses(HTTPStatus.NOT_FOUND),
)
def get_reservation(charger_id: str, reservation_id: int) -> ReservationView:
    reservation = get_services().reservations.get(charger_id, reservation_id)
    if reservation is None:
        raise NotFoundError(f"No reservation {reservation_id} on {charger_id}")
    return ReservationView.of(reservation)
