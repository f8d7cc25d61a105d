"""PUT /api/chargers/{id} `sitePhase`: the site phase a 1-phase charger is wired to, shown, cleared with null, and
refused on a 3-phase charger."""

from typing import Any

import pytest

from tests.api.conftest import OperatorApi
from tests.api.test_sites import PASSWORD, put_site


def put_charger(api: OperatorApi, body: dict[str, Any]) -> Any:
    return api.request("PUT", "/api/chargers/CP-1", {"password": PASSWORD, **body})


def test_a_1_phase_chargers_site_phase_is_kept_until_cleared(api: OperatorApi) -> None:
    put_site(api)

    wired = put_charger(api, {"siteId": "depot", "phases": 1, "sitePhase": 2})

    assert wired.status == 200, wired.text
    assert api.get("/api/chargers/CP-1").body["sitePhase"] == 2
    assert put_charger(api, {"maxCurrentAmps": 16}).body["sitePhase"] == 2
    assert put_charger(api, {"sitePhase": None}).body["sitePhase"] is None
    assert api.get("/api/chargers").body["items"][0]["sitePhase"] is None


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ({"sitePhase": 2}, "sitePhase: only a 1-phase charger (phases 1) is wired to one site phase"),
        ({"phases": 3, "sitePhase": 1}, "sitePhase: only a 1-phase charger (phases 1) is wired to one site phase"),
        ({"phases": 1, "sitePhase": 4}, "body.sitePhase: Input should be 1, 2 or 3"),
        ({"phases": 1, "sitePhase": "2"}, "body.sitePhase: Input should be 1, 2 or 3"),
    ],
)
def test_a_site_phase_only_a_1_phase_charger_has(api: OperatorApi, body: dict[str, Any], reason: str) -> None:
    response = put_charger(api, body)

    assert (response.status, response.body["reasons"]) == (422, [reason])
    assert api.get("/api/chargers/CP-1").status == 404


def test_a_charger_wired_to_a_site_phase_becomes_3_phase_only_once_it_is_cleared(api: OperatorApi) -> None:
    put_charger(api, {"phases": 1, "sitePhase": 3})

    refused = put_charger(api, {"phases": 3})
    changed = put_charger(api, {"phases": 3, "sitePhase": None})

    assert refused.status == 422
    assert (changed.status, changed.body["phases"], changed.body["sitePhase"]) == (200, 3, None)
