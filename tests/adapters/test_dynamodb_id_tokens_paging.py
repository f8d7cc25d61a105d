"""Paging and deleting id tokens, and numbering local lists, on moto."""

from datetime import UTC, datetime

import pytest

from csms.domain.models import IdToken, IdTokenStatus
from csms.services import Repositories

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def test_id_tokens_come_in_pages_that_together_hold_each_once(repositories: Repositories) -> None:
    # Given five tokens
    id_tokens = repositories.id_tokens
    for n in range(5):
        id_tokens.put(IdToken(f"TAG-{n}", IdTokenStatus.ACCEPTED))

    # When they are read two at a time
    pages, token = [], None
    while True:
        page = id_tokens.page(2, token)
        pages.append([t.id_token for t in page.items])
        token = page.next_token
        if token is None:
            break

    # Then three pages hold all five, once each
    assert [len(page) for page in pages] == [2, 2, 1]
    assert sorted(t for page in pages for t in page) == [f"TAG-{n}" for n in range(5)]


def test_deleting_an_id_token_says_whether_there_was_one(repositories: Repositories) -> None:
    repositories.id_tokens.put(IdToken("TAG-1", IdTokenStatus.ACCEPTED))

    assert repositories.id_tokens.delete("TAG-1") is True
    assert repositories.id_tokens.delete("TAG-1") is False
    assert repositories.id_tokens.get("TAG-1") is None


def test_local_list_versions_count_up_per_charge_point(repositories: Repositories) -> None:
    charge_points = repositories.charge_points
    charge_points.register("CP-1", None, T0)
    charge_points.register("CP-2", None, T0)

    assert [charge_points.next_local_list_version("CP-1") for _ in range(3)] == [1, 2, 3]
    assert charge_points.next_local_list_version("CP-2") == 1
    charge_point = charge_points.get("CP-1")
    assert charge_point is not None
    assert charge_point.local_list_version == 3


def test_no_local_list_version_for_an_unregistered_charge_point(repositories: Repositories) -> None:
    with pytest.raises(LookupError):
        repositories.charge_points.next_local_list_version("CP-UNKNOWN")

    assert repositories.charge_points.get("CP-UNKNOWN") is None  # no profile was made up
