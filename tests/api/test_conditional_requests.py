"""Conditional GETs: every 200 to a GET under /api carries a weak ETag of its body, and a GET that names it is 304."""

import pytest

from csms.composition import Services
from csms.domain.models import IdToken, IdTokenStatus
from tests.api.conftest import OperatorApi

LIST = "/api/id-tokens"


def if_none_match(tag: str) -> list[tuple[str, str]]:
    return [("if-none-match", tag)]


@pytest.mark.parametrize("path", [LIST, "/api/chargers", "/api/invoices/export.csv", "/api/me", "/api/health"])
def test_a_get_answer_carries_a_weak_etag_and_must_be_revalidated(api: OperatorApi, path: str) -> None:
    response = api.get(path)

    assert response.status == 200
    assert response.headers["ETag"].startswith('W/"')
    assert response.headers["Cache-Control"] == "no-cache"


def test_the_same_body_has_the_same_etag_and_another_body_another(api: OperatorApi, services: Services) -> None:
    first, again = api.get(LIST), api.get(LIST)
    services.id_token_administration.register(IdToken("TAG-1", IdTokenStatus.ACCEPTED))
    changed = api.get(LIST)

    assert first.headers["ETag"] == again.headers["ETag"]
    assert changed.headers["ETag"] != first.headers["ETag"]


def test_a_get_naming_the_current_etag_is_304_without_a_body(api: OperatorApi) -> None:
    tag = api.get(LIST).headers["ETag"]

    response = api.request("GET", LIST, headers=if_none_match(tag))

    assert response.status == 304
    assert response.text == ""
    assert response.headers["ETag"] == tag
    assert response.headers["Cache-Control"] == "no-cache"


@pytest.mark.parametrize(
    "header",
    [
        "{tag}",
        "{strong}",  # If-None-Match compares weakly
        'W/"other", {tag}',
        '"other",{tag}',
        "*",
    ],
)
def test_if_none_match_forms(api: OperatorApi, header: str) -> None:
    tag = api.get(LIST).headers["ETag"]

    response = api.request("GET", LIST, headers=if_none_match(header.format(tag=tag, strong=tag.removeprefix("W/"))))

    assert response.status == 304


def test_a_stale_etag_gets_the_new_body(api: OperatorApi, services: Services) -> None:
    stale = api.get(LIST).headers["ETag"]
    services.id_token_administration.register(IdToken("TAG-1", IdTokenStatus.ACCEPTED))

    response = api.request("GET", LIST, headers=if_none_match(stale))

    assert response.status == 200
    assert [item["idToken"] for item in response.body["items"]] == ["TAG-1"]
    assert response.headers["ETag"] != stale


def test_the_etag_is_of_the_body_sent(api: OperatorApi) -> None:
    """Another serialization of the same JSON would be another ETag: it must hash what goes out."""
    first = api.get(LIST)
    response = api.request("GET", LIST, headers=if_none_match(first.headers["ETag"]))

    assert response.status == 304
    assert api.get(LIST).text == first.text


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [("PUT", "/api/id-tokens/TAG-1", {"status": "Accepted"}), ("POST", "/api/billing/runs", None)],
)
def test_other_methods_have_no_etag(api: OperatorApi, method: str, path: str, body: object) -> None:
    response = api.request(method, path, body)

    assert response.status == 200
    assert "ETag" not in response.headers


def test_errors_have_no_etag(api: OperatorApi) -> None:
    for response in (api.get("/api/id-tokens/none"), api.get(LIST, limit=0)):
        assert response.status in (404, 422)
        assert "ETag" not in response.headers
