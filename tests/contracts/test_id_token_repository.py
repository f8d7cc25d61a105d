"""The `IdTokenRepository` contract: tokens by id, replaced whole, deleted once, listed and paged."""

from datetime import UTC, datetime

import pytest

from csms.domain.models import IdToken, IdTokenStatus
from csms.domain.pagination import InvalidPageTokenError
from csms.domain.ports import IdTokenRepository
from tests.contracts.paging import FOREIGN_TOKENS, assert_pages_hold_each_once


def by_id(token: IdToken) -> str:
    return token.id_token


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
            tariff_id="fleet",
            charging_priority=-7,
        ),
    ],
)
def test_a_token_round_trips(id_tokens: IdTokenRepository, token: IdToken) -> None:
    id_tokens.put(token)

    assert id_tokens.get(token.id_token) == token


def test_an_unknown_token_is_none(id_tokens: IdTokenRepository) -> None:
    assert id_tokens.get("NOBODY") is None


def test_put_replaces_the_whole_token(id_tokens: IdTokenRepository) -> None:
    # Given an accepted token with a parent and a tariff
    id_tokens.put(IdToken("TAG", IdTokenStatus.ACCEPTED, parent_id="FLEET", tariff_id="fleet"))

    # When it is put again, blocked and without either
    id_tokens.put(IdToken("TAG", IdTokenStatus.BLOCKED))

    # Then only the new version remains
    assert id_tokens.get("TAG") == IdToken("TAG", IdTokenStatus.BLOCKED)
    assert id_tokens.list() == [IdToken("TAG", IdTokenStatus.BLOCKED)]


def test_deleting_a_token_says_whether_there_was_one(id_tokens: IdTokenRepository) -> None:
    id_tokens.put(IdToken("TAG-1", IdTokenStatus.ACCEPTED))
    id_tokens.put(IdToken("TAG-2", IdTokenStatus.ACCEPTED))

    assert id_tokens.delete("TAG-1") is True
    assert id_tokens.delete("TAG-1") is False
    assert id_tokens.get("TAG-1") is None
    assert id_tokens.list() == [IdToken("TAG-2", IdTokenStatus.ACCEPTED)]


def test_list_holds_every_token_once(id_tokens: IdTokenRepository) -> None:
    tokens = [IdToken(name, IdTokenStatus.ACCEPTED) for name in ("C", "A", "B")]
    for token in tokens:
        id_tokens.put(token)

    assert sorted(id_tokens.list(), key=by_id) == sorted(tokens, key=by_id)


def test_pages_hold_each_token_once(id_tokens: IdTokenRepository) -> None:
    tokens = [IdToken(f"TAG-{n}", IdTokenStatus.ACCEPTED, parent_id="FLEET") for n in range(5)]
    for token in tokens:
        id_tokens.put(token)

    assert_pages_hold_each_once(id_tokens.page, tokens, by_id)


def test_an_empty_store_is_one_empty_page(id_tokens: IdTokenRepository) -> None:
    page = id_tokens.page(10)

    assert (page.items, page.next_token) == ([], None)


def test_a_token_no_listing_returned_is_refused(id_tokens: IdTokenRepository) -> None:
    id_tokens.put(IdToken("TAG-1", IdTokenStatus.ACCEPTED))

    for token in FOREIGN_TOKENS:
        with pytest.raises(InvalidPageTokenError):
            id_tokens.page(2, token)
