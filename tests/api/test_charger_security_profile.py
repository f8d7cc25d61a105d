"""PUT /api/chargers/{id} `securityProfile`: shown on GET (never set: 2 with a password, 1 without), kept until
changed, and only 1, 2 or 3."""

from typing import Any

import pytest

from tests.api.conftest import OperatorApi
from tests.api.test_sites import PASSWORD


def put_charger(api: OperatorApi, body: dict[str, Any]) -> Any:
    return api.request("PUT", "/api/chargers/CP-1", {"password": PASSWORD, **body})


def test_a_charger_s_security_profile_is_2_with_a_password_until_set(api: OperatorApi) -> None:
    assert put_charger(api, {}).body["securityProfile"] == 2

    assert put_charger(api, {"securityProfile": 3}).body["securityProfile"] == 3
    assert api.get("/api/chargers/CP-1").body["securityProfile"] == 3
    assert put_charger(api, {"tariffId": None}).body["securityProfile"] == 3
    assert api.get("/api/chargers").body["items"][0]["securityProfile"] == 3


@pytest.mark.parametrize("profile", [0, 4, "3", None])
def test_a_security_profile_is_1_2_or_3(api: OperatorApi, profile: object) -> None:
    put_charger(api, {})

    response = put_charger(api, {"securityProfile": profile})

    if profile is None:  # null: unchanged
        assert (response.status, response.body["securityProfile"]) == (200, 2)
    else:
        assert (response.status, response.body["reasons"]) == (422, ["body.securityProfile: Input should be 1, 2 or 3"])
