"""/api/id-tokens: the tokens (RFID cards, app ids, ...) that may charge."""

from http import HTTPStatus
from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.exceptions import NotFoundError

from csms.api.errors import responses
from csms.api.models import IdTokenRegistration, IdTokenView, PageView
from csms.api.openapi import Tag, body_examples
from csms.api.pagination import DEFAULT_PAGE_SIZE, Limit, NextToken
from csms.composition import get_services
from csms.domain.models import IdToken

router = Router()


@router.put(
    "/api/id-tokens/<id_token>",
    operation_id="registerIdToken",
    summary="Register or update an id token",
    description="Creates or replaces the token: its status (Accepted, Blocked, Expired, Invalid), expiry, group "
    "(`parentId`), OCPP 2.0.1 type, tariff and `chargingPriority` (-1000 to 1000, higher first when a site's "
    "limit is shared). Chargers learn of it at their next Authorize, or from the next "
    "local list sent.",
    tags=[Tag.ID_TOKENS],
    responses=responses(HTTPStatus.BAD_REQUEST),
)
def register_id_token(
    id_token: str,
    registration: Annotated[
        IdTokenRegistration,
        body_examples(
            card=("An RFID card", {"status": "Accepted", "type": "ISO14443", "expiry": "2027-12-31T23:59:59Z"}),
            fleet=(
                "A card of a fleet with its tariff",
                {"status": "Accepted", "parentId": "FLEET-1", "tariffId": "default"},
            ),
            priority=("A group whose cards charge first at a site", {"status": "Accepted", "chargingPriority": 10}),
            blocked=("A lost card", {"status": "Blocked"}),
        ),
    ],
) -> IdTokenView:
    token = IdToken(
        id_token=id_token,
        status=registration.status,
        expiry=registration.expiry,
        parent_id=registration.parent_id,
        token_type=registration.type,
        tariff_id=registration.tariff_id,
        charging_priority=registration.charging_priority,
    )
    return IdTokenView.of(get_services().id_token_administration.register(token))


@router.get(
    "/api/id-tokens",
    operation_id="listIdTokens",
    summary="List id tokens",
    description="Every registered id token, in no particular order. Paged.",
    tags=[Tag.ID_TOKENS],
    responses=responses(HTTPStatus.BAD_REQUEST),
)
def list_id_tokens(limit: Limit = DEFAULT_PAGE_SIZE, next_token: NextToken = None) -> PageView[IdTokenView]:
    page = get_services().id_token_administration.page(limit, next_token)
    return PageView[IdTokenView](items=[IdTokenView.of(token) for token in page.items], next_token=page.next_token)


@router.get(
    "/api/id-tokens/<id_token>",
    operation_id="getIdToken",
    summary="Get an id token",
    description="The token's status, expiry, group, type, tariff and charging priority.",
    tags=[Tag.ID_TOKENS],
    responses=responses(HTTPStatus.NOT_FOUND),
)
def get_id_token(id_token: str) -> IdTokenView:
    token = get_services().id_token_administration.get(id_token)
    if token is None:
        raise NotFoundError(f"No id token {id_token}")
    return IdTokenView.of(token)


@router.delete(
    "/api/id-tokens/<id_token>",
    operation_id="deleteIdToken",
    summary="Delete an id token",
    description="From now on the token is unknown (Authorize answers Invalid); local lists drop it when next sent.",
    tags=[Tag.ID_TOKENS],
    responses=responses(HTTPStatus.NOT_FOUND, success=HTTPStatus.NO_CONTENT),
)
def delete_id_token(id_token: str) -> Response[None]:
    if not get_services().id_token_administration.delete(id_token):
        raise NotFoundError(f"No id token {id_token}")
    return Response(HTTPStatus.NO_CONTENT)
