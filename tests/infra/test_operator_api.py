"""The operator HTTP API and its Cognito user pool."""

import json
from typing import Any

import pytest
from aws_cdk.assertions import Match, Template

from csms.tables import CHARGE_POINTS, CHARGE_POINTS_BY_SITE_INDEX, SITES
from tests.infra.queries import actions_on, api_id, function_id, of_type, role_statements, routes, table_id

pytestmark = pytest.mark.infra


@pytest.fixture(scope="module")
def http_routes(resources: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return routes(resources, api_id(resources, "HTTP"))


def test_routes(http_routes: dict[str, dict[str, Any]]) -> None:
    assert set(http_routes) == {
        "ANY /api/{proxy+}",
        "GET /api/health",
        "HEAD /api/health",
        "GET /api/docs",
        "GET /api/openapi.json",
        "GET /api/files/{token}",
        "HEAD /api/files/{token}",
        "PUT /api/files/{token}",
    }


def test_proxy_route_needs_a_jwt_with_the_operator_scope(
    resources: dict[str, Any], http_routes: dict[str, Any]
) -> None:
    proxy = http_routes["ANY /api/{proxy+}"]
    assert proxy["AuthorizationType"] == "JWT"
    assert proxy["AuthorizationScopes"] == ["csms/operator"]
    authorizer = resources[proxy["AuthorizerId"]["Ref"]]["Properties"]
    assert authorizer["AuthorizerType"] == "JWT"
    assert "cognito-idp" in str(authorizer["JwtConfiguration"]["Issuer"])


@pytest.mark.parametrize(
    "route",
    [
        "GET /api/health",
        "HEAD /api/health",
        "GET /api/docs",
        "GET /api/openapi.json",
        "GET /api/files/{token}",
        "HEAD /api/files/{token}",
        "PUT /api/files/{token}",
    ],
)
def test_health_the_documentation_and_file_links_are_public(http_routes: dict[str, dict[str, Any]], route: str) -> None:
    public = http_routes[route]
    assert public["AuthorizationType"] == "NONE"
    assert "AuthorizerId" not in public


def test_integration_payload_v2(template: Template, resources: dict[str, Any]) -> None:
    template.has_resource_properties(
        "AWS::ApiGatewayV2::Integration",
        {
            "ApiId": {"Ref": api_id(resources, "HTTP")},
            "IntegrationType": "AWS_PROXY",
            "PayloadFormatVersion": "2.0",
            "IntegrationUri": {"Fn::GetAtt": [function_id(resources, "operator_api"), "Arn"]},
        },
    )


def test_stage_access_logs(template: Template, resources: dict[str, Any]) -> None:
    template.has_resource_properties(
        "AWS::ApiGatewayV2::Stage",
        {
            "ApiId": {"Ref": api_id(resources, "HTTP")},
            "StageName": "$default",
            "AccessLogSettings": {"DestinationArn": Match.any_value(), "Format": Match.any_value()},
        },
    )


def test_user_pool(template: Template) -> None:
    template.has_resource_properties(
        "AWS::Cognito::UserPool",
        {"AdminCreateUserConfig": {"AllowAdminCreateUserOnly": True}, "MfaConfiguration": "ON"},
    )
    template.has_resource_properties("AWS::Cognito::UserPoolResourceServer", {"Identifier": "csms"})
    template.resource_count_is("AWS::Cognito::UserPoolDomain", 1)


def test_user_pool_is_on_the_cheapest_feature_plan_that_has_what_it_uses(template: Template) -> None:
    """Lite has OAuth client credentials, resource servers, the Cognito domain, TOTP MFA and the password
    policy; threat protection (Plus) would judge user sign-ins, and the pool has no users."""
    template.has_resource_properties(
        "AWS::Cognito::UserPool", {"UserPoolTier": "LITE", "UserPoolAddOns": Match.absent()}
    )


def test_machine_to_machine_client(template: Template, resources: dict[str, Any]) -> None:
    (resource_server_id,) = of_type(resources, "AWS::Cognito::UserPoolResourceServer")
    template.has_resource_properties(
        "AWS::Cognito::UserPoolClient",
        {
            "AllowedOAuthFlows": ["client_credentials"],
            "AllowedOAuthScopes": [{"Fn::Join": ["", [{"Ref": resource_server_id}, "/operator"]]}],
            "GenerateSecret": True,
        },
    )


def test_role_groups(template: Template) -> None:
    """CONTRACTS: the roles are Cognito groups of exactly these names; admins take precedence."""
    groups = {
        g["Properties"]["GroupName"]: g["Properties"]
        for g in template.find_resources("AWS::Cognito::UserPoolGroup").values()
    }
    assert set(groups) == {"viewers", "operators", "admins"}
    assert groups["admins"]["Precedence"] < groups["operators"]["Precedence"] < groups["viewers"]["Precedence"]


def test_console_client_signs_people_in_with_the_authorization_code_and_pkce(
    template: Template, resources: dict[str, Any]
) -> None:
    (client_id,) = [i for i in of_type(resources, "AWS::Cognito::UserPoolClient") if "ConsoleClient" in i]
    client = resources[client_id]["Properties"]
    # A public client (no secret) may only use the code grant with PKCE.
    assert client["AllowedOAuthFlows"] == ["code"]
    assert client["GenerateSecret"] is False
    assert client["SupportedIdentityProviders"] == ["COGNITO"]
    (resource_server_id,) = of_type(resources, "AWS::Cognito::UserPoolResourceServer")
    assert client["AllowedOAuthScopes"] == [
        "openid",
        "email",
        "profile",
        {"Fn::Join": ["", [{"Ref": resource_server_id}, "/operator"]]},
    ]
    console_url = {
        "Fn::Join": ["", ["https://", {"Fn::GetAtt": [_console_distribution(resources), "DomainName"]}, "/"]]
    }
    assert client["CallbackURLs"] == [console_url]
    assert client["LogoutURLs"] == [console_url]
    template.resource_count_is("AWS::Cognito::UserPoolDomain", 1)  # the hosted UI is the existing domain's


def test_authorizer_accepts_the_machine_and_the_console_clients(
    resources: dict[str, Any], http_routes: dict[str, Any]
) -> None:
    authorizer = resources[http_routes["ANY /api/{proxy+}"]["AuthorizerId"]["Ref"]]["Properties"]
    clients = sorted(of_type(resources, "AWS::Cognito::UserPoolClient"))
    assert sorted(a["Ref"] for a in authorizer["JwtConfiguration"]["Audience"]) == clients
    assert len(clients) == 2


def test_operator_api_administers_the_users_of_its_pool_only(resources: dict[str, Any]) -> None:
    function = function_id(resources, "operator_api")
    (pool_id,) = of_type(resources, "AWS::Cognito::UserPool")
    assert resources[function]["Properties"]["Environment"]["Variables"]["USER_POOL_ID"] == {"Ref": pool_id}
    cognito = [s for s in role_statements(resources, function) if "cognito-idp" in json.dumps(s["Action"])]
    assert [s["Resource"] for s in cognito] == [{"Fn::GetAtt": [pool_id, "Arn"]}]
    assert set(cognito[0]["Action"]) == {
        "cognito-idp:AdminAddUserToGroup",
        "cognito-idp:AdminCreateUser",
        "cognito-idp:AdminDeleteUser",
        "cognito-idp:AdminGetUser",
        "cognito-idp:AdminListGroupsForUser",
        "cognito-idp:AdminRemoveUserFromGroup",
        "cognito-idp:ListUsers",
        "cognito-idp:ListUsersInGroup",
    }


def _console_distribution(resources: dict[str, Any]) -> str:
    (logical_id,) = [
        i for i in of_type(resources, "AWS::CloudFront::Distribution") if i.startswith("ConsoleDistribution")
    ]
    return logical_id


def test_operator_api_manages_sites_and_finds_the_chargers_of_a_site(resources: dict[str, Any]) -> None:
    statements = role_statements(resources, function_id(resources, "operator_api"))
    site_actions = {"dynamodb:GetItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:Scan"}

    assert site_actions <= actions_on(statements, table_id(resources, SITES))
    charge_points = table_id(resources, CHARGE_POINTS)
    assert any(
        "dynamodb:Query" in statement["Action"]
        and f"'{charge_points}'" in repr(statement["Resource"])
        and f"/index/{CHARGE_POINTS_BY_SITE_INDEX}" in repr(statement["Resource"])
        for statement in statements
    )
