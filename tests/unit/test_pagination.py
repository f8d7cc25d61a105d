"""Pages of in-memory and filtered listings, and their opaque tokens."""

import pytest

from csms.domain.pagination import (
    InvalidPageTokenError,
    Page,
    collect_page,
    decode_page_token,
    encode_page_token,
    listing_token,
    page_of,
)

LISTING = "numbers"


def all_pages(items: list[int], limit: int) -> list[list[int]]:
    pages, token = [], None
    while True:
        page = page_of(items, limit, token, LISTING)
        pages.append(page.items)
        token = page.next_token
        if token is None:
            return pages


def test_an_in_memory_list_is_paged_in_order_until_the_last_page() -> None:
    assert all_pages(list(range(5)), 2) == [[0, 1], [2, 3], [4]]
    assert all_pages(list(range(4)), 2) == [[0, 1], [2, 3]]
    assert all_pages([], 2) == [[]]


def test_a_token_round_trips_and_stays_opaque() -> None:
    token = encode_page_token({"offset": 2})

    assert "offset" not in token
    assert decode_page_token(token) == {"offset": 2}


@pytest.mark.parametrize(
    "token",
    [
        "not base64!",
        "WzFd",
        "",
        encode_page_token({"offset": 2}),  # names no listing
        listing_token({"offset": -1}, LISTING),
        listing_token({"offset": "2"}, LISTING),
        listing_token({"offset": True}, LISTING),
        listing_token({"offset": 2}, "other numbers"),
    ],
)
def test_a_token_no_listing_returned_is_refused(token: str) -> None:
    with pytest.raises(InvalidPageTokenError):
        page_of([1, 2, 3], 2, token, LISTING)


def test_a_token_continues_only_the_listing_that_returned_it() -> None:
    token = page_of([1, 2, 3], 2, None, LISTING).next_token
    assert token is not None

    assert page_of([1, 2, 3], 2, token, LISTING).items == [3]
    with pytest.raises(InvalidPageTokenError):
        page_of([1, 2, 3], 2, token, "evens")


def test_collect_page_reads_a_filtered_source_until_the_page_is_full() -> None:
    # Given a source of 0..9 that keeps only even numbers, read in chunks as asked
    asked: list[int] = []

    def evens(count: int, token: str | None) -> Page[int]:
        asked.append(count)
        start = int(token or 0)
        chunk = list(range(start, min(start + count, 10)))
        end = start + len(chunk)
        return Page([n for n in chunk if n % 2 == 0], str(end) if end < 10 else None)

    # When a page of three is collected, then the rest
    first = collect_page(evens, 3, None)
    rest = collect_page(evens, 3, first.next_token)

    # Then no item is read past: the second page starts right after the first
    assert (first.items, rest.items, rest.next_token) == ([0, 2, 4], [6, 8], None)
    assert asked[:3] == [3, 1, 1]


def test_a_filtered_listing_of_its_own_tells_its_tokens_from_its_sources() -> None:
    # Given a source listing and a listing of its even items only
    def source(count: int, token: str | None) -> Page[int]:
        return page_of(list(range(10)), count, token, "numbers")

    def evens(count: int, token: str | None) -> Page[int]:
        page = source(count, token)
        return Page([n for n in page.items if n % 2 == 0], page.next_token)

    first = collect_page(evens, 2, None, "evens")
    assert first.next_token is not None

    # Then its tokens continue it, and the source's tokens are refused there
    assert collect_page(evens, 2, first.next_token, "evens").items == [4, 6]
    with pytest.raises(InvalidPageTokenError):
        collect_page(evens, 2, source(2, None).next_token, "evens")
