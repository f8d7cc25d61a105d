"""Short file links on the fake and on DynamoDB (the Idempotency table): a link allows its one method on its one
key until it expires; anything else is unknown alike."""

import re
from datetime import timedelta

import pytest

from csms.composition import Repositories
from csms.domain.short_links import LinkMethod, MissingPublicApiUrlError, ShortLinks, UnknownShortLinkError
from tests.fakes import FixedClock

BASE = "https://api.example/api/"
KEY = "logs/CP-1/0f8b5c2e"


@pytest.fixture
def links(repositories: Repositories, clock: FixedClock) -> ShortLinks:
    return ShortLinks(repositories.short_links, BASE, clock)


def token_of(url: str) -> str:
    assert url.startswith("https://api.example/api/files/")
    return url.rsplit("/", 1)[1]


def test_a_link_names_a_random_url_safe_token_of_128_bits(links: ShortLinks) -> None:
    first, second = (token_of(links.url(KEY, LinkMethod.PUT, timedelta(hours=1))) for _ in range(2))

    assert re.fullmatch(r"[A-Za-z0-9_-]{22}", first)
    assert first != second


@pytest.mark.parametrize("method", list(LinkMethod))
def test_a_link_allows_its_method_on_its_key_until_it_expires(
    links: ShortLinks, clock: FixedClock, method: LinkMethod
) -> None:
    token = token_of(links.url(KEY, method, timedelta(minutes=10)))

    assert links.key_for(token, method) == KEY
    clock.advance(minutes=9, seconds=59)
    assert links.key_for(token, method) == KEY
    clock.advance(seconds=1)
    with pytest.raises(UnknownShortLinkError):
        links.key_for(token, method)


def test_a_link_allows_no_other_method(links: ShortLinks) -> None:
    upload = token_of(links.url(KEY, LinkMethod.PUT, timedelta(hours=1)))
    download = token_of(links.url(KEY, LinkMethod.GET, timedelta(hours=1)))

    with pytest.raises(UnknownShortLinkError):
        links.key_for(upload, LinkMethod.GET)
    with pytest.raises(UnknownShortLinkError):
        links.key_for(download, LinkMethod.PUT)


@pytest.mark.parametrize("token", ["AAAAAAAAAAAAAAAAAAAAAA", "", "a/b", "x" * 65, "file-link#x"])
def test_an_unknown_or_malformed_token_is_unknown(links: ShortLinks, token: str) -> None:
    with pytest.raises(UnknownShortLinkError):
        links.key_for(token, LinkMethod.GET)


def test_the_stored_link_expires_at_its_whole_second(repositories: Repositories, links: ShortLinks) -> None:
    token = token_of(links.url(KEY, LinkMethod.GET, timedelta(seconds=90.5)))

    stored = repositories.short_links.get(token)

    assert stored is not None
    assert (stored.key, stored.method, stored.expires_at.microsecond) == (KEY, LinkMethod.GET, 0)


def test_without_the_public_api_url_no_link_is_given(repositories: Repositories, clock: FixedClock) -> None:
    links = ShortLinks(repositories.short_links, "", clock)

    with pytest.raises(MissingPublicApiUrlError):
        links.url(KEY, LinkMethod.PUT, timedelta(hours=1))
