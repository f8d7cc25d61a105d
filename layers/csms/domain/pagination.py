"""Pages of a listing and the opaque tokens that continue it.

A token holds where the next page starts and names the listing it continues (a digest of what
the listing reads: its source, filters and order), so a token passed to another listing is
refused instead of read as a position there.
"""

import base64
import binascii
import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class InvalidPageTokenError(ValueError):
    """A `nextToken` that no listing returned."""


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T] = field(default_factory=list)
    next_token: str | None = None  # None: this is the last page


def encode_page_token(position: dict[str, Any]) -> str:
    """An opaque token for where the next page starts (JSON, base64url)."""
    return base64.urlsafe_b64encode(json.dumps(position, separators=(",", ":")).encode()).decode()


def decode_page_token(token: str) -> dict[str, Any]:
    try:
        position = json.loads(base64.urlsafe_b64decode(token.encode()))
    except (binascii.Error, UnicodeError, ValueError) as error:
        raise InvalidPageTokenError(token) from error
    if not isinstance(position, dict):
        raise InvalidPageTokenError(token)
    return position


_LISTING_FIELD = "of"


def listing_token(position: dict[str, Any], listing: str) -> str:
    """A token for `position` in the listing described by `listing`."""
    return encode_page_token({**position, _LISTING_FIELD: _digest(listing)})


def listing_position(token: str, listing: str) -> dict[str, Any]:
    """The position a token of `listing` holds; raises `InvalidPageTokenError` for any other token."""
    position = decode_page_token(token)
    if position.pop(_LISTING_FIELD, None) != _digest(listing):
        raise InvalidPageTokenError(token)
    return position


def _digest(listing: str) -> str:
    return hashlib.sha256(listing.encode()).hexdigest()[:16]


def page_of(items: Sequence[T], limit: int, next_token: str | None, listing: str) -> Page[T]:
    """A page of a list filtered or sorted in memory; its token holds the next offset."""
    offset = listing_position(next_token, listing).get("offset") if next_token is not None else 0
    if type(offset) is not int or offset < 0:
        raise InvalidPageTokenError(str(next_token))
    end = offset + limit
    return Page(list(items[offset:end]), listing_token({"offset": end}, listing) if end < len(items) else None)


def collect_page(
    fetch: Callable[[int, str | None], Page[T]], limit: int, next_token: str | None, listing: str | None = None
) -> Page[T]:
    """Up to `limit` items from a source that may return fewer than asked for (a filtered one).

    `fetch(n, token)` returns at most `n` items; asking for only as many as are still missing means
    no item is ever read past, so the source's token is where the next page starts. A page that
    ends exactly at `limit` may still carry a token, and the page after it is then empty.

    With `listing`, tokens name it and wrap the source's: a token of the source's own listing (the
    same reads, unfiltered) is then refused here.
    """
    items: list[T] = []
    token = _source_token(next_token, listing) if next_token is not None and listing is not None else next_token
    while True:
        page = fetch(limit - len(items), token)
        items.extend(page.items)
        token = page.next_token
        if token is None or len(items) >= limit:
            return Page(items, listing_token({"source": token}, listing) if token and listing else token)


def _source_token(token: str, listing: str) -> str:
    source = listing_position(token, listing).get("source")
    if not isinstance(source, str):
        raise InvalidPageTokenError(token)
    return source
