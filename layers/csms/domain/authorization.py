"""Deciding whether an id token may charge: Authorize, StartTransaction and TransactionEvent."""

from csms.domain.models import Authorization, IdTokenStatus
from csms.domain.ports import Clock, IdTokenRepository


class AuthorizationService:
    def __init__(self, id_tokens: IdTokenRepository, clock: Clock) -> None:
        self._id_tokens = id_tokens
        self._clock = clock

    def authorize(self, id_token: str) -> Authorization:
        """The token's registered status; unknown tokens are Invalid, lapsed ones Expired."""
        token = self._id_tokens.get(id_token)
        if token is None:
            return Authorization(status=IdTokenStatus.INVALID)
        status = token.status
        if status is IdTokenStatus.ACCEPTED and token.expiry is not None and token.expiry <= self._clock.now():
            status = IdTokenStatus.EXPIRED
        return Authorization(status=status, expiry=token.expiry, parent_id=token.parent_id)
