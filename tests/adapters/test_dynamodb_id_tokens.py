"""`DynamoDbIdTokenRepository` on moto."""

from datetime import UTC, datetime

import pytest

from csms.domain.models import IdToken, IdTokenStatus
from csms.domain.ports import IdTokenRepository
from csms.services import Repositories


@pytest.fixture
def id_tokens(repositories: Repositories) -> IdTokenRepository:
    return repositories.id_tokens


@pytest.mark.parametrize(
    "token",
    [
        IdToken("TAG-1", IdTokenStatus.ACCEPTED),
        IdToken(
            "TAG-2",
            IdTokenStatus.BLOCKED,
            expiry=datetime(2027, 1, 31, 23, 59, 59, tzinfo=UTC),
            parent_id="FLEET",
            token_type="ISO14443",
        ),
    ],
)
def test_a_token_round_trips(id_tokens: IdTokenRepository, token: IdToken) -> None:
    id_tokens.put(token)

    assert id_tokens.get(token.id_token) == token


def test_an_unknown_token_is_none(id_tokens: IdTokenRepository) -> None:
    assert id_tokens.get("NOBODY") is None


def test_put_replaces_a_token(id_tokens: IdTokenRepository) -> None:
    # Given an accepted token with a parent
    id_tokens.put(IdToken("TAG", IdTokenStatus.ACCEPTED, parent_id="FLEET"))

    # When it is blocked (without parent)
    id_tokens.put(IdToken("TAG", IdTokenStatus.BLOCKED))

    # Then only the new version remains
    assert id_tokens.get("TAG") == IdToken("TAG", IdTokenStatus.BLOCKED)


def test_list_is_every_token_sorted(id_tokens: IdTokenRepository) -> None:
    for name in ("C", "A", "B"):
        id_tokens.put(IdToken(name, IdTokenStatus.ACCEPTED))

    assert [token.id_token for token in id_tokens.list()] == ["A", "B", "C"]
