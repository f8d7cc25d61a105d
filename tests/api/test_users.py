"""/api/users through the handler, on moto's Cognito: admins invite users, change their role, remove them."""

from typing import Any

import boto3
import pytest

from csms import constants
from csms.adapters.cognito_users import create_user_pool
from csms.composition import get_services
from csms.settings import get_settings
from tests.api.conftest import OperatorApi, person_claims

Cognito = tuple[Any, str]  # the client, the pool id


@pytest.fixture
def cognito(aws: None, monkeypatch: pytest.MonkeyPatch) -> Cognito:
    """moto's Cognito with the user pool the operator API's USER_POOL_ID names."""
    client = boto3.client("cognito-idp")
    pool_id = create_user_pool(client, "operators")
    monkeypatch.setenv(constants.ENV_USER_POOL_ID, pool_id)
    get_settings.cache_clear()
    get_services.cache_clear()
    return client, pool_id


def groups_of(cognito: Cognito, username: str) -> set[str]:
    client, pool_id = cognito
    groups = client.admin_list_groups_for_user(UserPoolId=pool_id, Username=username)["Groups"]
    return {group["GroupName"] for group in groups}


def test_an_admin_invites_a_user_and_sees_it_listed(api: OperatorApi, cognito: Cognito) -> None:
    response = api.request("PUT", "/api/users/alice@example.com", {"role": "operators"})

    assert response.status == 200
    alice = response.body
    assert {key: value for key, value in alice.items() if key != "username"} == {
        "email": "alice@example.com",
        "role": "operators",
        "enabled": True,
        "status": "FORCE_CHANGE_PASSWORD",
    }
    assert groups_of(cognito, alice["username"]) == {"operators"}
    assert api.get("/api/users").body == {"items": [alice], "nextToken": None}


def test_a_role_change_moves_the_user_to_exactly_that_group(api: OperatorApi, cognito: Cognito) -> None:
    created = api.request("PUT", "/api/users/bob@example.com", {"role": "admins"}).body

    by_address = api.request("PUT", "/api/users/bob@example.com", {"role": "viewers"})
    by_username = api.request("PUT", f"/api/users/{created['username']}", {"role": "operators"})

    assert (by_address.status, by_address.body["role"]) == (200, "viewers")
    assert by_username.body == {**created, "role": "operators"}
    assert groups_of(cognito, created["username"]) == {"operators"}


def test_a_username_that_is_no_email_address_is_refused_as_the_user_pool_does(
    api: OperatorApi, cognito: Cognito
) -> None:
    response = api.request("PUT", "/api/users/alice", {"email": "alice@example.com", "role": "viewers"})

    assert response.status == 400
    assert response.body["message"].startswith("Cognito refused user alice:")


def test_users_are_paged(api: OperatorApi, cognito: Cognito) -> None:
    for name in ("u1", "u2", "u3"):
        api.request("PUT", f"/api/users/{name}@example.com", {"role": "viewers"})

    pages = api.pages("/api/users", limit=2)

    assert sorted(user["email"] for page in pages for user in page) == [f"u{n}@example.com" for n in (1, 2, 3)]
    assert api.get("/api/users", limit=61).status == 422  # Cognito lists at most 60 a call
    assert api.get("/api/users", nextToken="garbage").status == 400


def test_a_deleted_user_is_gone(api: OperatorApi, cognito: Cognito) -> None:
    api.request("PUT", "/api/users/carol@example.com", {"role": "viewers"})

    assert api.request("DELETE", "/api/users/carol@example.com").status == 204
    assert api.request("DELETE", "/api/users/carol@example.com").status == 404
    assert api.get("/api/users").body["items"] == []


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"email": "not-an-address", "role": "viewers"}, 400),
        ({"email": "dave@example.com", "role": "owners"}, 422),
        ({"email": "dave@example.com"}, 422),
    ],
)
def test_what_cannot_make_a_user_is_refused(
    api: OperatorApi, cognito: Cognito, body: dict[str, str], status: int
) -> None:
    response = api.request("PUT", "/api/users/dave@example.com", body)

    assert response.status == status, response.body
    assert api.get("/api/users").body["items"] == []


@pytest.mark.parametrize("groups", ["[operators]", "[viewers]"])
def test_only_admins_manage_users(cognito: Cognito, groups: str) -> None:
    caller = OperatorApi(person_claims("mallory", groups))

    assert caller.get("/api/users").status == 403
    assert caller.request("PUT", "/api/users/mallory@example.com", {"role": "admins"}).status == 403
    assert caller.request("DELETE", "/api/users/alice@example.com").status == 403
