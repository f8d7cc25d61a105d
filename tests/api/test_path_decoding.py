"""Identifiers in API paths are percent-decoded by the rules a charge point's id is decoded by at connect."""

import pytest

from tests.api.conftest import OperatorApi

PASSWORD = {"password": "correct-horse-battery"}
BAD_ENCODING = {"statusCode": 400, "message": "Invalid percent-encoding in the path: '%' must start %XX of UTF-8"}


def test_an_encoded_id_is_the_decoded_one(api: OperatorApi) -> None:
    assert api.request("PUT", "/api/chargers/CP%2001", PASSWORD).body["id"] == "CP 01"
    assert api.get("/api/chargers/CP%2001").body["id"] == "CP 01"
    assert api.get("/api/chargers/%43P%20%30%31").body["id"] == "CP 01"
    assert (
        api.request("PUT", "/api/id-tokens/%C3%A9tiquette", {"status": "Accepted"}).body["idToken"] == "\u00e9tiquette"
    )


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param("CP%zz", id="percent-without-hex-digits"),
        pytest.param("CP%2", id="percent-with-one-hex-digit"),
        pytest.param("CP%", id="percent-at-the-end"),
        pytest.param("CP%FF", id="not-utf8"),
        pytest.param("CP%C3", id="utf8-cut-short"),
    ],
)
def test_a_malformed_encoding_is_400_on_every_path(api: OperatorApi, raw: str) -> None:
    requests = [
        ("PUT", f"/api/chargers/{raw}", PASSWORD),
        ("GET", f"/api/chargers/{raw}", None),
        ("GET", f"/api/chargers/{raw}/local-list", None),
        ("DELETE", f"/api/chargers/{raw}", None),
        ("PUT", f"/api/id-tokens/{raw}", {"status": "Accepted"}),
        ("GET", f"/api/transactions/{raw}", None),
        ("GET", f"/api/tariffs/{raw}", None),
        ("GET", f"/api/commands/{raw}", None),
    ]
    for method, path, body in requests:
        response = api.request(method, path, body)

        assert (response.status, response.body) == (400, BAD_ENCODING), (method, path)
    assert api.get("/api/chargers").body["items"] == []


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param("CP%2F1", id="slash-after-decoding"),
        pytest.param("CP%0A1", id="control-character"),
        pytest.param("%41" * 49, id="49-characters-after-decoding"),
    ],
)
def test_an_id_that_decodes_to_no_charge_point_id_is_refused_and_found_nowhere(api: OperatorApi, raw: str) -> None:
    registered = api.request("PUT", f"/api/chargers/{raw}", PASSWORD)

    assert registered.status == 400
    assert "1 to 48 printable characters" in registered.body["message"]
    assert api.get(f"/api/chargers/{raw}").status == 404
