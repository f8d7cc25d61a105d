"""/api/id-tokens: the tokens (RFID cards, app ids, ...) that may charge."""

from http import HTTPStatus

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.exceptions import BadRequestError, NotFoundError

from csms.api.errors import responses
from csms.api.models import IdTokenRegistration, IdTokenView, PageView
from csms.api.pagination import DEFAULT_PAGE_SIZE, Limit, NextToken
from csms.api.routes.tariffs import require_tariff
from csms.domain.models import IdToken
from csms.services import get_services

router = Router()

MAX_ID_TOKEN_LENGTH = 36  # OCPP 2.0.1 IdTokenType.idToken (1.6 idTag: 20)


@router.put("/api/id-tokens/<id_token>", responses=responses(HTTPStatus.BAD_REQUEST))
def register_id_token(id_token: str, registration: IdTokenRegistration) -> IdTokenView:
    if not 0 < len(id_token) <= MAX_ID_TOKEN_LENGTH:
        raise BadRequestError(f"An id token is 1 to {MAX_ID_TOKEN_LENGTH} characters")
    token = IdToken(
        id_token=id_token,
        status=registration.status,
        expiry=registration.expiry,
        parent_id=registration.parent_id,
        token_type=registration.type,
        tariff_id=registration.tariff_id,
    )
    require_tariff(token.tariff_id)
    get_services().repositories.id_tokens.put(token)
    return IdTokenView.of(token)


@router.get("/api/id-tokens", responses=responses(HTTPStatus.BAD_REQUEST))
def list_id_tokens(limit: Limit = DEFAULT_PAGE_SIZE, next_token: NextToken = None) -> PageView[IdTokenView]:
    """In no particular order."""
    page = get_services().repositories.id_tokens.page(limit, next_token)
    return PageView[IdTokenView](items=[IdTokenView.of(token) for token in page.items], next_token=page.next_token)


@router.get("/api/id-tokens/<id_token>", responses=responses(HTTPStatus.NOT_FOUND))
def get_id_token(id_token: str) -> IdTokenView:
    token = get_services().repositories.id_tokens.get(id_token)
    if token is None:
        raise NotFoundError(f"No id token {id_token}")
    return IdTokenView.of(token)


@router.delete("/api/id-tokens/<id_token>", responses=responses(HTTPStatus.NOT_FOUND, success=HTTPStatus.NO_CONTENT))
def delete_id_token(id_token: str) -> Response[None]:
    """From now on the token is unknown (Invalid); local lists drop it when next sent."""
    if not get_services().repositories.id_tokens.delete(id_token):
        raise NotFoundError(f"No id token {id_token}")
    return Response(HTTPStatus.NO_CONTENT)
