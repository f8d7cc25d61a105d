"""Roles enforced by the operator API: viewers read, operators also command, admins also manage.

Requests go through the handler with the claims API Gateway's JWT authorizer would pass on.
"""

import pytest

from tests.api.conftest import OPERATOR_CLAIMS, OperatorApi, person_claims

VIEWER = OperatorApi(person_claims("vera", "[viewers]"))
OPERATOR = OperatorApi(person_claims("otto", "[viewers operators]"))
ADMIN = OperatorApi(person_claims("ada", "[admins]"))
MACHINE = OperatorApi(OPERATOR_CLAIMS)
NO_ROLE = OperatorApi(person_claims("nora", "[]"))
FOREIGN_GROUPS = OperatorApi(person_claims("fred", "[Admins staff]"))

START = ("POST", "/api/chargers/CP-1/start", {"idToken": "TAG-1"})
RUN_BILLING = ("POST", "/api/billing/runs", None)
REGISTER_CHARGER = ("PUT", "/api/chargers/CP-1", {"password": "a-long-password"})
DELETE_TOKEN = ("DELETE", "/api/id-tokens/TAG-1", None)
PUT_TARIFF = ("PUT", "/api/tariffs/standard", {"currency": "EUR", "pricePerKwh": "0.30"})
PUT_SITE = ("PUT", "/api/sites/depot", {"name": "Depot", "gridLimitAmps": 63})
SET_SITE_LIMIT = ("PUT", "/api/sites/depot/limit", {"limitAmps": 20, "validUntil": "2099-01-01T00:00:00Z"})


@pytest.mark.usefixtures("aws")
@pytest.mark.parametrize("caller", [VIEWER, OPERATOR, ADMIN, MACHINE], ids=["viewer", "operator", "admin", "machine"])
def test_every_role_reads(caller: OperatorApi) -> None:
    for path in ("/api/chargers", "/api/transactions", "/api/invoices", "/api/openapi.json"):
        assert caller.get(path).status == 200, path


@pytest.mark.usefixtures("aws")
@pytest.mark.parametrize(
    ("request_", "needed"),
    [
        (START, "operators or admins"),
        (RUN_BILLING, "operators or admins"),
        (REGISTER_CHARGER, "admins"),
        (DELETE_TOKEN, "admins"),
        (PUT_TARIFF, "admins"),
        (PUT_SITE, "admins"),
        (SET_SITE_LIMIT, "operators or admins"),
    ],
)
def test_a_viewer_changes_nothing(request_: tuple[str, str, object], needed: str) -> None:
    method, path, body = request_

    response = VIEWER.request(method, path, body)

    assert response.status == 403
    assert response.body == {
        "statusCode": 403,
        "message": f"Forbidden: role viewers may not {method} {path}; it needs role {needed}",
    }


@pytest.mark.usefixtures("aws")
def test_an_operator_sends_commands_and_runs_billing_but_manages_nothing() -> None:
    assert OPERATOR.request(*START).status == 404  # past the role check: the charger is unknown
    assert OPERATOR.request(*RUN_BILLING).status == 200
    for request_ in (REGISTER_CHARGER, DELETE_TOKEN, PUT_TARIFF, PUT_SITE):
        assert OPERATOR.request(*request_).status == 403, request_
    assert OPERATOR.request(*SET_SITE_LIMIT).status == 404  # past the role check: no such site


@pytest.mark.usefixtures("aws")
@pytest.mark.parametrize("caller", [ADMIN, MACHINE], ids=["admin", "machine"])
def test_an_administrator_manages_chargers_tokens_and_tariffs(caller: OperatorApi) -> None:
    assert caller.request(*PUT_TARIFF).status == 200
    assert caller.request(*REGISTER_CHARGER).status == 200
    assert caller.request(*DELETE_TOKEN).status == 404  # past the role check: no such token
    assert caller.request(*START).status == 409  # past the role check: never connected


@pytest.mark.usefixtures("aws")
@pytest.mark.parametrize("caller", [NO_ROLE, FOREIGN_GROUPS], ids=["no-groups", "foreign-groups"])
def test_without_a_role_only_health_me_and_the_documentation_answer(caller: OperatorApi) -> None:
    for path in ("/api/chargers", "/api/chargers/CP-1", "/api/nowhere"):
        response = caller.get(path)
        assert response.status == 403, path
        assert response.body["message"].startswith("Forbidden: no role"), response.body

    for path in ("/api/health", "/api/me", "/api/openapi.json", "/api/docs"):
        assert caller.get(path).status == 200, path


@pytest.mark.usefixtures("aws")
def test_the_role_is_checked_before_the_request_is_validated() -> None:
    # A request the caller may not make is refused as such, whatever is wrong with it.
    assert VIEWER.request("POST", "/api/chargers/CP-1/start", {"nonsense": True}).status == 403
    assert NO_ROLE.get("/api/chargers", limit=0).status == 403
    # One it may make is validated.
    assert OPERATOR.request("POST", "/api/chargers/CP-1/start", {"nonsense": True}).status == 422


@pytest.mark.usefixtures("aws")
def test_an_unknown_route_is_not_found_for_a_reader_and_forbidden_below() -> None:
    assert VIEWER.get("/api/nowhere").status == 404
    assert VIEWER.request("POST", "/api/nowhere").status == 403  # what is not classified needs admins
    assert ADMIN.request("POST", "/api/nowhere").status == 404


@pytest.mark.usefixtures("aws")
@pytest.mark.parametrize(
    ("caller", "expected"),
    [
        (VIEWER, {"username": "vera", "role": "viewers", "canOperate": False, "canAdminister": False}),
        (OPERATOR, {"username": "otto", "role": "operators", "canOperate": True, "canAdminister": False}),
        (ADMIN, {"username": "ada", "role": "admins", "canOperate": True, "canAdminister": True}),
        (MACHINE, {"username": "test-operator", "role": "admins", "canOperate": True, "canAdminister": True}),
        (NO_ROLE, {"username": "nora", "role": None, "canOperate": False, "canAdminister": False}),
    ],
    ids=["viewer", "operator", "admin", "machine", "no-role"],
)
def test_me_says_who_is_signed_in_and_what_they_may_do(caller: OperatorApi, expected: dict[str, object]) -> None:
    response = caller.get("/api/me")

    assert response.status == 200
    assert response.body == expected
