"""The paging contract every `page` of a port keeps: reading on with `next_token` until it is None
yields each matching item once, every page but the last is full, and a token no listing returned
raises `InvalidPageTokenError`."""

from collections.abc import Callable
from typing import Any, TypeVar

from csms.domain.pagination import Page, encode_page_token

T = TypeVar("T")

# Tokens no listing of either implementation returns: not base64 JSON, not an object, no position.
FOREIGN_TOKENS = ["garbage", encode_page_token({}), "WzEsMl0=", encode_page_token({"offset": "2", "part": "0"})]


def every_page(read: Callable[[int, str | None], Page[T]], limit: int) -> list[list[T]]:
    """The pages `read(limit, token)` returns, from the first to the one without a token."""
    pages: list[list[T]] = []
    token = None
    while True:
        page = read(limit, token)
        pages.append(page.items)
        token = page.next_token
        if token is None:
            return pages


def assert_pages_hold_each_once(
    read: Callable[[int, str | None], Page[T]], expected: list[T], key: Callable[[T], Any]
) -> None:
    """At page sizes 1, 2 and more than all: each expected item once across the pages, every page but
    the last full."""
    for limit in (1, 2, len(expected) + 1):
        pages = every_page(read, limit)
        assert all(len(page) == limit for page in pages[:-1]), (limit, pages)
        assert len(pages[-1]) <= limit
        assert sorted((item for page in pages for item in page), key=key) == sorted(expected, key=key)
