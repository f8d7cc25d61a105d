"""/api/id-tokens: the tokens (RFID cards, app ids, ...) that may charge."""

from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.exceptions import BadRequestError, NotFoundError

from csms.api.models import IdTokenRegistration, IdTokenView
from csms.domain.models import IdToken
from csms.services import get_services

router = Router()

MAX_ID_TOKEN_LENGTH = 36  # OCPP 2.0.1 IdTokenType.idToken (1.6 idTag: 20)


@router.put("/api/id-tokens/<id_token>")
def register_id_token(id_token: str, registration: IdTokenRegistration) -> IdTokenView:
    if not 0 < len(id_token) <= MAX_ID_TOKEN_LENGTH:
        raise BadRequestError(f"An id token is 1 to {MAX_ID_TOKEN_LENGTH} characters")
    token = IdToken(
        id_token=id_token,
        status=registration.status,
        expiry=registration.expiry,
        parent_id=registration.parent_id,
        token_type=registration.type,
    )
    get_services().repositories.id_tokens.put(token)
    return IdTokenView.of(token)


@router.get("/api/id-tokens")
def list_id_tokens() -> list[IdTokenView]:
    return [IdTokenView.of(token) for token in get_services().repositories.id_tokens.list()]


@router.get("/api/id-tokens/<id_token>")
def get_id_token(id_token: str) -> IdTokenView:
    token = get_services().repositories.id_tokens.get(id_token)
    if token is None:
        raise NotFoundError(f"No id token {id_token}")
    return IdTokenView.of(token)
