"""The caller's role from the JWT claims API Gateway passes on: every form a claim can take, and odd ones."""

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from csms.api.caller import Caller, caller_from_claims, caller_of
from csms.users.roles import ROLES_LOWEST_FIRST, Role

ROLE_NAMES = [role.value for role in ROLES_LOWEST_FIRST]
# Cognito group names have no whitespace; some look like roles without being one.
OTHER_GROUPS = st.sampled_from(
    ["Admins", "admin", "viewers2", "ops", "[admins", "admins]", '"admins"', "csms/operator"]
)
GROUP_NAMES = st.one_of(st.sampled_from(ROLE_NAMES), OTHER_GROUPS)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)


def expected_role(groups: list[str]) -> Role | None:
    roles = [role for role in ROLES_LOWEST_FIRST if role.value in groups]
    return roles[-1] if roles else None


def human(groups: Any) -> dict[str, Any]:
    return {"sub": "1234", "username": "alice", "cognito:groups": groups, "token_use": "access"}


@given(st.lists(GROUP_NAMES, max_size=6))
def test_the_highest_role_listed_counts_in_every_form_of_the_groups_claim(groups: list[str]) -> None:
    api_gateway_form = f"[{' '.join(groups)}]"

    for claim in (groups, api_gateway_form):
        assert caller_from_claims(human(claim)) == Caller("alice", expected_role(groups))


@pytest.mark.parametrize(
    ("claim", "role"),
    [
        ("[admins viewers]", Role.ADMINS),
        ("[viewers]", Role.VIEWERS),
        ("operators", Role.OPERATORS),  # one group, without brackets
        ("  [viewers   operators]  ", Role.OPERATORS),
        (["viewers", "operators"], Role.OPERATORS),
        ("[]", None),
        ("", None),
        ([], None),
        ("[Admins ADMINS admin]", None),  # group names are exact
        ('["admins"]', None),  # a list's JSON text is not a form API Gateway uses
        ("[admins,viewers]", None),
        (None, None),
        (7, None),
        ({"admins": True}, None),
        ([["admins"]], None),
        ([1, None, "viewers"], Role.VIEWERS),  # the strings of a list count, nothing else
    ],
)
def test_groups_claim_forms(claim: Any, role: Role | None) -> None:
    assert caller_from_claims(human(claim)).role == role


@given(
    st.dictionaries(
        st.sampled_from(["username", "cognito:username", "cognito:groups", "scope", "client_id"]), JSON_VALUES
    )
)
def test_any_claim_values_give_a_caller_never_an_error(claims: dict[str, Any]) -> None:
    caller = caller_from_claims(claims)

    assert caller.role is None or caller.role in ROLES_LOWEST_FIRST
    assert caller.username is None or isinstance(caller.username, str)


def test_the_machine_to_machine_client_is_an_administrator() -> None:
    claims = {"sub": "client", "client_id": "abc123", "scope": "csms/operator", "token_use": "access"}

    assert caller_from_claims(claims) == Caller("abc123", Role.ADMINS)


@pytest.mark.parametrize("scope", ["csms/operator", "openid csms/operator", ["csms/operator"]])
def test_the_operator_scope_is_found_among_others(scope: Any) -> None:
    assert caller_from_claims({"client_id": "abc", "scope": scope}).role is Role.ADMINS


@pytest.mark.parametrize(
    "claims",
    [
        # A person's token with the operator scope is still a person's: the groups decide.
        {"username": "bob", "scope": "csms/operator", "client_id": "web"},
        {"cognito:username": "bob", "scope": "csms/operator"},
        # A username claim of the wrong type is still a username claim.
        {"username": 5, "scope": "csms/operator"},
        {"username": None, "scope": "csms/operator"},
        # Not the scope itself.
        {"client_id": "abc", "scope": "csms/operators"},
        {"client_id": "abc", "scope": "csms/operator/x csms"},
        {"client_id": "abc", "scope": 1},
        {"client_id": "abc"},
        {},
    ],
)
def test_other_tokens_get_no_role_from_the_scope(claims: dict[str, Any]) -> None:
    assert caller_from_claims(claims).role is None


def test_a_persons_username_comes_from_the_access_or_the_id_token_claim() -> None:
    assert caller_from_claims({"username": "alice"}).username == "alice"
    assert caller_from_claims({"cognito:username": "carol"}).username == "carol"
    assert caller_from_claims({"username": ["alice"]}).username is None


@pytest.mark.parametrize(
    "event",
    [
        {},
        {"requestContext": {}},
        {"requestContext": {"authorizer": None}},
        {"requestContext": {"authorizer": {"jwt": "x"}}},
        {"requestContext": {"authorizer": {"jwt": {"claims": ["admins"]}}}},
        {"requestContext": {"authorizer": {"lambda": {"cognito:groups": "[admins]"}}}},
    ],
)
def test_an_event_without_jwt_claims_has_an_anonymous_caller(event: dict[str, Any]) -> None:
    assert caller_of(event) == Caller(None, None)


def test_an_event_with_jwt_claims() -> None:
    event = {"requestContext": {"authorizer": {"jwt": {"claims": human("[operators]"), "scopes": None}}}}

    assert caller_of(event) == Caller("alice", Role.OPERATORS)
