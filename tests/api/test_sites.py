"""/api/sites through the handler: a site and its schedule, the live limit, pages, deletion only without chargers,
chargers joining a site, and 422 with every reason (nothing stored) for values that cannot be right."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from csms.composition import Services
from tests.api.conftest import OperatorApi
from tests.hostile_json import HOSTILE_NUMBERS, NESTED_5000

SITE = {
    "name": "Office car park",
    "gridLimitAmps": 125,
    "timeZone": "Europe/Berlin",
    "limitSchedule": [
        {"start": "17:00", "end": "21:00", "limitAmps": 63},
        {"start": "22:00", "end": "06:00", "limitAmps": "80.5", "days": ["Friday", "Saturday"]},
    ],
}
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
SOON = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
PASSWORD = "correct-horse-battery"


def put_site(api: OperatorApi, site_id: str = "depot", body: dict[str, Any] | None = None) -> dict[str, Any]:
    response = api.request("PUT", f"/api/sites/{site_id}", body or SITE)
    assert response.status == 200, response.text
    return dict(response.body)


def test_a_site_is_stored_with_its_defaults_and_shown_with_the_limit_in_force(api: OperatorApi) -> None:
    put = put_site(api)

    shown = api.get("/api/sites/depot")

    assert shown.status == 200
    assert shown.body == put
    assert {name: value for name, value in put.items() if name not in {"limitInForce", "updatedAt"}} == {
        "siteId": "depot",
        "name": "Office car park",
        "gridLimitAmps": 125,
        "phases": 3,
        "voltage": 230,
        "minChargingCurrentAmps": 6,
        "timeZone": "Europe/Berlin",
        "limitSchedule": [
            {"start": "17:00:00", "end": "21:00:00", "limitAmps": 63, "days": list(DAYS)},
            {"start": "22:00:00", "end": "06:00:00", "limitAmps": 80.5, "days": ["Friday", "Saturday"]},
        ],
        "localList": {"enabled": False},
        "provisioning": None,
        "liveLimit": None,
    }
    assert put["limitInForce"]["source"] in {"configured", "schedule"}


def test_a_live_limit_overrides_until_it_is_ended(api: OperatorApi) -> None:
    put_site(api)

    limited = api.request("PUT", "/api/sites/depot/limit", {"limitAmps": "20.5", "validUntil": SOON})

    assert limited.status == 200, limited.text
    assert limited.body["liveLimit"] == {"limitAmps": 20.5, "validUntil": limited.body["liveLimit"]["validUntil"]}
    assert limited.body["limitInForce"]["amps"] == 20.5
    assert limited.body["limitInForce"]["source"] == "live"
    assert api.request("DELETE", "/api/sites/depot/limit").status == 204
    assert api.get("/api/sites/depot").body["liveLimit"] is None
    assert api.get("/api/sites/depot").body["limitInForce"]["source"] != "live"


def test_a_site_that_does_not_exist(api: OperatorApi) -> None:
    assert api.get("/api/sites/nope").status == 404
    assert api.get(f"/api/sites/{'x' * 3000}").status == 404
    assert api.request("DELETE", "/api/sites/nope").status == 404
    assert api.request("PUT", "/api/sites/nope/limit", {"limitAmps": 20, "validUntil": SOON}).status == 404
    assert api.request("DELETE", "/api/sites/nope/limit").status == 404


def test_sites_come_in_pages(api: OperatorApi) -> None:
    for site_id in ("S-3", "S-1", "S-2"):
        put_site(api, site_id)

    pages = api.pages("/api/sites", limit=2)

    assert sorted(site["siteId"] for page in pages for site in page) == ["S-1", "S-2", "S-3"]


def test_a_charger_joins_an_existing_site_and_shows_it(api: OperatorApi) -> None:
    refused = api.request("PUT", "/api/chargers/CP-1", {"password": PASSWORD, "siteId": "depot"})
    assert (refused.status, refused.body["reasons"]) == (
        422,
        ["siteId: no site depot: create it first (PUT /api/sites/depot)"],
    )
    assert api.get("/api/chargers/CP-1").status == 404
    put_site(api)

    joined = api.request(
        "PUT", "/api/chargers/CP-1", {"password": PASSWORD, "siteId": "depot", "maxCurrentAmps": "16", "phases": 1}
    )

    assert joined.status == 200, joined.text
    shown = api.get("/api/chargers/CP-1").body
    assert (shown["siteId"], shown["maxCurrentAmps"], shown["phases"]) == ("depot", 16, 1)
    listed = api.get("/api/chargers").body["items"][0]
    assert (listed["siteId"], listed["maxCurrentAmps"], listed["phases"]) == ("depot", 16, 1)


def test_a_site_with_chargers_is_deleted_only_once_they_left(api: OperatorApi) -> None:
    put_site(api)
    api.request("PUT", "/api/chargers/CP-1", {"password": PASSWORD, "siteId": "depot"})

    refused = api.request("DELETE", "/api/sites/depot")

    assert refused.status == 409
    assert "CP-1" in refused.body["message"]
    assert api.request("PUT", "/api/chargers/CP-1", {"siteId": None}).body["siteId"] is None
    assert api.request("DELETE", "/api/sites/depot").status == 204
    assert api.get("/api/sites/depot").status == 404


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"gridLimitAmps": 5}, "gridLimitAmps: 5 A is below minChargingCurrentAmps (6 A)"),
        ({"gridLimitAmps": -16}, "gridLimitAmps: above 0 and at most 10000 A"),
        ({"gridLimitAmps": 1e300}, "gridLimitAmps: above 0 and at most 10000 A"),
        ({"gridLimitAmps": "1e3"}, "body.gridLimitAmps: Value error, a number, or a string holding one"),
        ({"gridLimitAmps": "NaN"}, "body.gridLimitAmps: Value error, a number, or a string holding one"),
        ({"gridLimitAmps": 16.25}, "gridLimitAmps: at most one decimal"),
        ({"timeZone": "Europe/Atlantis"}, "timeZone: an IANA time zone such as Europe/Berlin or UTC"),
        ({"phases": 2}, "body.phases: Input should be 1 or 3"),
        (
            {"limitSchedule": [{"start": "17:00", "end": "21:00", "limitAmps": 4}]},
            "limitSchedule[0].limitAmps: 4 A is below minChargingCurrentAmps (6 A)",
        ),
        (
            {
                "limitSchedule": [
                    {"start": "17:00", "end": "21:00", "limitAmps": 40},
                    {"start": "20:00", "end": "02:00", "limitAmps": 40},
                ]
            },
            "limitSchedule[1] overlaps limitSchedule[0]: periods must not overlap",
        ),
        ({"limitSchedule": [{"start": "25:00", "end": "21:00", "limitAmps": 40}]}, "body.limitSchedule.0.start"),
        ({"limitSchedule": [{"start": "17:00", "end": "21:00", "limitAmps": 40, "days": ["Caturday"]}]}, "days"),
    ],
)
def test_values_that_cannot_be_right_are_refused_with_reasons_and_not_stored(
    api: OperatorApi, services: Services, changes: dict[str, Any], reason: str
) -> None:
    response = api.request("PUT", "/api/sites/depot", {**SITE, **changes})

    assert response.status == 422, response.text
    assert response.body["message"] == "Invalid request"
    assert any(found.startswith(reason) or reason in found for found in response.body["reasons"]), response.body
    assert services.repositories.sites.get("depot") is None


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ({"limitAmps": 4, "validUntil": SOON}, "limitAmps: 4 A is below minChargingCurrentAmps (6 A)"),
        ({"limitAmps": 126, "validUntil": SOON}, "limitAmps: 126 A is above gridLimitAmps (125 A)"),
        ({"limitAmps": 20, "validUntil": "2020-01-01T00:00:00Z"}, "validUntil: a time in the future"),
        ({"limitAmps": 20}, "body.validUntil: Field required"),
    ],
)
def test_a_live_limit_that_cannot_be_right_is_refused(api: OperatorApi, body: dict[str, Any], reason: str) -> None:
    put_site(api)

    response = api.request("PUT", "/api/sites/depot/limit", body)

    assert response.status == 422
    [found] = response.body["reasons"]
    assert found.startswith(reason)
    assert api.get("/api/sites/depot").body["liveLimit"] is None


def test_a_chargers_wiring_that_cannot_be_right_is_refused(api: OperatorApi) -> None:
    response = api.request("PUT", "/api/chargers/CP-1", {"password": PASSWORD, "maxCurrentAmps": 0, "phases": 3})

    assert (response.status, response.body["reasons"]) == (422, ["maxCurrentAmps: above 0 and at most 10000 A"])
    assert api.get("/api/chargers/CP-1").status == 404


@pytest.mark.parametrize("number", [*HOSTILE_NUMBERS, "1" * 5000, "-0", "1e309"])
def test_hostile_json_numbers_are_refused_with_reasons(api: OperatorApi, services: Services, number: str) -> None:
    response = api.request("PUT", "/api/sites/depot", raw_body=f'{{"name": "Depot", "gridLimitAmps": {number}}}')

    assert response.status == 422, response.text
    assert response.body["reasons"]
    assert services.repositories.sites.get("depot") is None


@pytest.mark.parametrize("body", [NESTED_5000, '{"name": "Depot", "gridLimitAmps": 1' + "0" * 5000 + "}"])
def test_a_body_beyond_what_json_can_read_here_is_422_not_500(api: OperatorApi, body: str) -> None:
    response = api.request("PUT", "/api/sites/depot", raw_body=body)

    assert response.status == 422, response.text
    assert response.body["reasons"]
