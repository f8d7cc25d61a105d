"""The operator HTTP API and its Cognito user pool."""

from typing import Any

import pytest
from aws_cdk.assertions import Match, Template

from tests.infra.queries import api_id, function_id, of_type, routes

pytestmark = pytest.mark.infra


@pytest.fixture(scope="module")
def http_routes(resources: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return routes(resources, api_id(resources, "HTTP"))


def test_routes(http_routes: dict[str, dict[str, Any]]) -> None:
    assert set(http_routes) == {"ANY /api/{proxy+}", "GET /api/health", "HEAD /api/health"}


def test_proxy_route_needs_a_jwt_with_the_operator_scope(
    resources: dict[str, Any], http_routes: dict[str, Any]
) -> None:
    proxy = http_routes["ANY /api/{proxy+}"]
    assert proxy["AuthorizationType"] == "JWT"
    assert proxy["AuthorizationScopes"] == ["csms/operator"]
    authorizer = resources[proxy["AuthorizerId"]["Ref"]]["Properties"]
    assert authorizer["AuthorizerType"] == "JWT"
    assert "cognito-idp" in str(authorizer["JwtConfiguration"]["Issuer"])


@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_health_route_is_public(http_routes: dict[str, dict[str, Any]], method: str) -> None:
    health = http_routes[f"{method} /api/health"]
    assert health["AuthorizationType"] == "NONE"
    assert "AuthorizerId" not in health


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
