"""The operator's id tokens (RFID cards, app ids, ...): registering, reading and deleting them."""

from csms.domain.models import IdToken
from csms.domain.pagination import Page
from csms.domain.ports import IdTokenRepository
from csms.domain.tariff_administration import TariffAdministration
from csms.domain.violations import RuleViolationError

MAX_ID_TOKEN_LENGTH = 36  # OCPP 2.0.1 IdTokenType.idToken (1.6 idTag: 20)


class IdTokenAdministration:
    def __init__(self, id_tokens: IdTokenRepository, tariffs: TariffAdministration) -> None:
        self._id_tokens = id_tokens
        self._tariffs = tariffs

    def register(self, token: IdToken) -> IdToken:
        """Create or replace a token; its tariff, if it names one, must exist."""
        if not 0 < len(token.id_token) <= MAX_ID_TOKEN_LENGTH:
            raise RuleViolationError(f"An id token is 1 to {MAX_ID_TOKEN_LENGTH} characters")
        self._tariffs.require(token.tariff_id)
        self._id_tokens.put(token)
        return token

    def get(self, id_token: str) -> IdToken | None:
        return self._id_tokens.get(id_token)

    def page(self, limit: int, next_token: str | None = None) -> Page[IdToken]:
        """In no particular order; raises `InvalidPageTokenError`."""
        return self._id_tokens.page(limit, next_token)

    def delete(self, id_token: str) -> bool:
        """From now on the token is unknown (Invalid); local lists drop it when next sent. False if unknown."""
        return self._id_tokens.delete(id_token)
