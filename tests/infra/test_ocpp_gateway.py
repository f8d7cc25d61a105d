"""The OCPP WebSocket API."""

from typing import Any

import pytest
from aws_cdk.assertions import Match, Template

from csms import constants
from tests.infra.queries import api_id, function_id, of_type, routes

pytestmark = pytest.mark.infra


@pytest.fixture(scope="module")
def websocket_routes(resources: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return routes(resources, api_id(resources, "WEBSOCKET"))


def test_three_routes(websocket_routes: dict[str, dict[str, Any]]) -> None:
    assert set(websocket_routes) == {"$connect", "$disconnect", "$default"}


def test_connect_has_request_authorizer(resources: dict[str, Any], websocket_routes: dict[str, Any]) -> None:
    connect = websocket_routes["$connect"]
    assert connect["AuthorizationType"] == "CUSTOM"
    authorizer = resources[connect["AuthorizerId"]["Ref"]]["Properties"]
    assert authorizer["AuthorizerType"] == "REQUEST"
    assert authorizer["IdentitySource"] == [
        f"route.request.header.{constants.CHARGE_POINT_ID_HEADER}",
        f"route.request.header.{constants.ORIGIN_VERIFY_HEADER}",
    ]
    assert function_id(resources, "ocpp_authorizer") in str(authorizer["AuthorizerUri"])


def test_other_routes_have_no_authorizer(websocket_routes: dict[str, dict[str, Any]]) -> None:
    for route_key in ("$disconnect", "$default"):
        assert websocket_routes[route_key]["AuthorizationType"] == "NONE"


def test_connect_returns_the_integration_response(resources: dict[str, Any], websocket_routes: dict[str, Any]) -> None:
    """The Sec-WebSocket-Protocol header of the $connect function must reach the client."""
    (connect_id,) = [
        i
        for i, r in of_type(resources, "AWS::ApiGatewayV2::Route").items()
        if r["Properties"]["RouteKey"] == "$connect"
    ]
    (response,) = of_type(resources, "AWS::ApiGatewayV2::RouteResponse").values()
    assert response["Properties"]["RouteId"] == {"Ref": connect_id}
    assert response["Properties"]["RouteResponseKey"] == "$default"
    assert websocket_routes["$connect"]["RouteResponseSelectionExpression"] == "$default"


@pytest.mark.parametrize(
    ("route_key", "module"),
    [("$connect", "ocpp_connect"), ("$disconnect", "ocpp_disconnect"), ("$default", "ocpp_message")],
)
def test_route_integrations(
    resources: dict[str, Any], websocket_routes: dict[str, Any], route_key: str, module: str
) -> None:
    integration_id = websocket_routes[route_key]["Target"]["Fn::Join"][1][1]["Ref"]
    integration = resources[integration_id]["Properties"]
    assert integration["IntegrationType"] == "AWS_PROXY"
    assert function_id(resources, module) in str(integration["IntegrationUri"])


def test_stage(template: Template, resources: dict[str, Any]) -> None:
    template.has_resource_properties(
        "AWS::ApiGatewayV2::Stage",
        {
            "ApiId": {"Ref": api_id(resources, "WEBSOCKET")},
            "StageName": "ocpp",
            "AutoDeploy": True,
            "AccessLogSettings": {
                "DestinationArn": Match.any_value(),
                "Format": Match.string_like_regexp("connectionId"),
            },
            "DefaultRouteSettings": {
                "ThrottlingBurstLimit": Match.any_value(),
                "ThrottlingRateLimit": Match.any_value(),
            },
        },
    )


def test_account_logging_role(template: Template) -> None:
    """WebSocket access logs need API Gateway's account-level CloudWatch role."""
    template.resource_count_is("AWS::ApiGateway::Account", 1)
