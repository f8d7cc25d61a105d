"""/api/id-tokens through the handler: pages, detail, deletion."""

import pytest

from tests.api.conftest import OperatorApi


def test_id_tokens_come_in_pages_holding_each_once(api: OperatorApi) -> None:
    for n in range(5):
        assert api.request("PUT", f"/api/id-tokens/TAG-{n}", {"status": "Accepted"}).status == 200

    pages = api.pages("/api/id-tokens", limit=2)

    assert [len(page) for page in pages] == [2, 2, 1]
    assert sorted(token["idToken"] for page in pages for token in page) == [f"TAG-{n}" for n in range(5)]


def test_a_deleted_id_token_is_gone(api: OperatorApi) -> None:
    api.request("PUT", "/api/id-tokens/TAG-1", {"status": "Blocked", "type": "ISO14443"})
    assert api.get("/api/id-tokens/TAG-1").body["status"] == "Blocked"

    response = api.request("DELETE", "/api/id-tokens/TAG-1")

    assert (response.status, response.text) == (204, "")
    assert api.get("/api/id-tokens/TAG-1").body == {"statusCode": 404, "message": "No id token TAG-1"}
    assert api.request("DELETE", "/api/id-tokens/TAG-1").status == 404


def test_a_token_type_must_be_an_ocpp_id_token_type(api: OperatorApi) -> None:
    response = api.request("PUT", "/api/id-tokens/TAG-1", {"status": "Accepted", "type": "Barcode"})

    assert response.status == 422
    assert response.body["message"] == "Invalid request"
    assert [reason.split(":")[0] for reason in response.body["reasons"]] == ["body.type"]


def test_a_charging_priority_is_kept_and_shown_and_null_until_set(api: OperatorApi) -> None:
    api.request("PUT", "/api/id-tokens/FLEET-1", {"status": "Accepted", "chargingPriority": -1000})
    api.request("PUT", "/api/id-tokens/TAG-1", {"status": "Accepted", "parentId": "FLEET-1", "chargingPriority": 1000})
    api.request("PUT", "/api/id-tokens/TAG-2", {"status": "Accepted", "parentId": "FLEET-1"})

    shown = {name: api.get(f"/api/id-tokens/{name}").body["chargingPriority"] for name in ("FLEET-1", "TAG-1", "TAG-2")}

    assert shown == {"FLEET-1": -1000, "TAG-1": 1000, "TAG-2": None}


@pytest.mark.parametrize("priority", [1001, -1001, 2.5, "3", True])
def test_a_charging_priority_is_a_whole_number_from_minus_1000_to_1000(api: OperatorApi, priority: object) -> None:
    response = api.request("PUT", "/api/id-tokens/TAG-1", {"status": "Accepted", "chargingPriority": priority})

    assert response.status == 422
    assert [reason.split(":")[0] for reason in response.body["reasons"]] == ["body.chargingPriority"]
    assert api.get("/api/id-tokens/TAG-1").status == 404
