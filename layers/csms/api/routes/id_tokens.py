"""/api/id-tokens: the tokens (RFID cards, app ids, ...) that may charge."""

from http import HTTPStatus

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.exceptions import NotFoundError

from csms.api.errors import responses
from csms.api.models import IdTokenRegistration, IdTokenView, PageView
from csms.api.pagination import DEFAULT_PAGE_SIZE, Limit, NextToken
from csms.composition import get_services
from csms.domain.models import IdToken

router = Router()


@router.put("/api/id-tokens/<id_token>", responses=responses(HTTPStatus.BAD_REQUEST))
def register_id_token(id_token: str, registration: IdTokenRegistration) -> IdTokenView:
    token = IdToken(
        id_token=id_token,
        status=registration.status,
        expiry=registration.expiry,
        parent_id=registration.parent_id,
        token_type=registration.type,
        tariff_id=registration.tariff_id,
    )
    return IdTokenView.of(get_services().id_token_administration.register(token))


@router.get("/api/id-tokens", responses=responses(HTTPStatus.BAD_REQUEST))
def list_id_tokens(limit: Limit = DEFAULT_PAGE_SIZE, next_token: NextToken = None) -> PageView[IdTokenView]:
    """In no particular order."""
    page = get_services().id_token_administration.page(limit, next_token)
    return PageView[IdTokenView](items=[IdTokenView.of(token) for token in page.items], next_token=page.next_token)


@router.get("/api/id-tokens/<id_token>", responses=responses(HTTPStatus.NOT_FOUND))
def get_id_token(id_token: str) -> IdTokenView:
    token = get_services().id_token_administration.get(id_token)
    if token is None:
        raise NotFoundError(f"No id token {id_token}")
    return IdTokenView.of(token)


@router.delete("/api/id-tokens/<id_token>", responses=responses(HTTPStatus.NOT_FOUND, success=HTTPStatus.NO_CONTENT))
def delete_id_token(id_token: str) -> Response[None]:
    """From now on the token is unknown (Invalid); local lists drop it when next sent."""
    if not get_services().id_token_administration.delete(id_token):
        raise NotFoundError(f"No id token {id_token}")
    return Response(HTTPStatus.NO_CONTENT)
