"""The OCPP WebSocket API (API Gateway) and its four functions."""

from collections.abc import Mapping
from typing import cast

from aws_cdk import RemovalPolicy, Stack
from aws_cdk import aws_apigateway as apigateway
from aws_cdk import aws_apigatewayv2 as apigwv2
from aws_cdk import aws_apigatewayv2_authorizers as authorizers
from aws_cdk import aws_apigatewayv2_integrations as integrations
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct

from csms import constants
from csms.function_catalogue import OCPP_AUTHORIZER, OCPP_CONNECT, OCPP_DISCONNECT, OCPP_MESSAGE
from csms.tables import (
    CALLS,
    CERTIFICATES,
    CHARGE_POINTS,
    CONNECTIONS,
    ID_TOKENS,
    IDEMPOTENCY,
    METER_VALUES,
    RESERVATIONS,
    SECURITY_EVENTS,
    TARIFFS,
    TRANSACTIONS,
)
from stacks.constructs.access_logs import WEBSOCKET_FIELDS, JsonAccessLogs
from stacks.constructs.data import Data
from stacks.constructs.runtime import FunctionRuntime
from stacks.nag import acknowledge

STAGE_NAME = "ocpp"

# Both headers are set on every request that passed the CloudFront Function, and API Gateway
# answers 401 without invoking the authorizer when an identity source is missing: requests
# that bypass CloudFront are refused for free. `Authorization` is deliberately not one of
# them: charge points without Basic auth (security profile 0, or unknown ones when accepted)
# must still reach the authorizer, which decides.
AUTHORIZER_IDENTITY_SOURCES = [
    f"route.request.header.{constants.CHARGE_POINT_ID_HEADER}",
    f"route.request.header.{constants.ORIGIN_VERIFY_HEADER}",
]


class OcppGateway(Construct):
    """WebSocket API: `$connect` (REQUEST authorizer), `$disconnect` and `$default`."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        runtime: FunctionRuntime,
        data: Data,
        environment: Mapping[str, str],
        origin_verify_secret: str,
    ) -> None:
        super().__init__(scope, construct_id)
        self.api = apigwv2.WebSocketApi(
            self, "WebSocketApi", description="OCPP-J endpoint for charge points (behind CloudFront)"
        )
        self.stage = apigwv2.WebSocketStage(
            self,
            "Stage",
            web_socket_api=self.api,
            stage_name=STAGE_NAME,
            auto_deploy=True,
            access_log_settings=JsonAccessLogs(
                logs.LogGroup(self, "AccessLogs", retention=logs.RetentionDays.ONE_MONTH), WEBSOCKET_FIELDS
            ),
            throttle=apigwv2.ThrottleSettings(rate_limit=1000, burst_limit=2000),
        )
        self.stage.node.add_dependency(self._cloudwatch_logs_role())
        # https://{api-id}.execute-api.{region}.amazonaws.com/{stage}
        self.management_endpoint = self.stage.callback_url

        self.authorizer_function = runtime.function(
            self,
            "Authorizer",
            OCPP_AUTHORIZER,
            environment={**environment, constants.ENV_ORIGIN_VERIFY_SECRET: origin_verify_secret},
        )
        # A client certificate is checked against the CA's inventory (`csms.pki.client_certificates`).
        data.grant_read(self.authorizer_function, [CHARGE_POINTS, CERTIFICATES])
        # Repeated wrong passwords: counted (Idempotency) and reported (`csms.domain.wrong_passwords`).
        data.grant_read_write(self.authorizer_function, [IDEMPOTENCY, SECURITY_EVENTS])

        self.connect_function = runtime.function(
            self,
            "Connect",
            OCPP_CONNECT,
            # It closes the connection a reconnecting charge point replaces.
            environment={**environment, constants.ENV_WEBSOCKET_MANAGEMENT_ENDPOINT: self.management_endpoint},
        )
        data.grant_read_write(self.connect_function, [CHARGE_POINTS, CONNECTIONS])
        # Whether the certificate a connection was admitted with is still not revoked.
        data.grant_read(self.connect_function, [CERTIFICATES])
        self.grant_manage_connections(self.connect_function)

        self.disconnect_function = runtime.function(self, "Disconnect", OCPP_DISCONNECT, environment=environment)
        data.grant_read_write(self.disconnect_function, [CHARGE_POINTS, CONNECTIONS])

        self.message_function = runtime.function(
            self,
            "Message",
            OCPP_MESSAGE,
            environment={**environment, constants.ENV_WEBSOCKET_MANAGEMENT_ENDPOINT: self.management_endpoint},
        )
        data.grant_read(self.message_function, [CONNECTIONS, ID_TOKENS, TARIFFS])
        data.grant_read_write(
            self.message_function,
            [CHARGE_POINTS, TRANSACTIONS, METER_VALUES, IDEMPOTENCY, CALLS, RESERVATIONS, SECURITY_EVENTS],
        )
        self.grant_manage_connections(self.message_function)

        self.api.add_route(
            OCPP_CONNECT.trigger.route_key,
            integration=integrations.WebSocketLambdaIntegration("Connect", runtime.invoked(self.connect_function)),
            authorizer=authorizers.WebSocketLambdaAuthorizer(
                "Authorizer", runtime.invoked(self.authorizer_function), identity_source=AUTHORIZER_IDENTITY_SOURCES
            ),
            # The $connect function answers with the negotiated Sec-WebSocket-Protocol header.
            return_response=True,
        )
        unauthorized_routes = {
            OCPP_DISCONNECT.trigger.route_key: integrations.WebSocketLambdaIntegration(
                "Disconnect", runtime.invoked(self.disconnect_function)
            ),
            # OCPP frames are JSON arrays and CALLRESULT/CALLERROR carry no action: no route
            # selection is possible, everything goes to $default.
            OCPP_MESSAGE.trigger.route_key: integrations.WebSocketLambdaIntegration(
                "Message", runtime.invoked(self.message_function)
            ),
        }
        for route_key, integration in unauthorized_routes.items():
            route = self.api.add_route(route_key, integration=integration)
            acknowledge(
                route,
                "AwsSolutions-APIG4",
                f"WebSocket authorizers run only on $connect; {route_key} events belong to a connection "
                "that the $connect authorizer already admitted.",
            )

    def grant_manage_connections(self, function: lambda_.Function) -> None:
        """PostToConnection / GetConnection / DeleteConnection on this stage's connections."""
        stack = Stack.of(self)
        connections_arn = stack.format_arn(
            service="execute-api",
            resource=self.api.api_id,
            resource_name=f"{STAGE_NAME}/*/@connections/*",
        )
        function.add_to_role_policy(
            iam.PolicyStatement(actions=["execute-api:ManageConnections"], resources=[connections_arn])
        )
        api_logical_id = stack.resolve(cast(apigwv2.CfnApi, self.api.node.default_child).logical_id)
        finding = (
            "arn:<AWS::Partition>:execute-api:<AWS::Region>:<AWS::AccountId>:"
            f"<{api_logical_id}>/{STAGE_NAME}/*/@connections/*"
        )
        if function.role is None:
            raise ValueError(f"{function.node.path} has no execution role")
        acknowledge(
            function.role,
            f"AwsSolutions-IAM5[Resource::{finding}]",
            "Connection ids are only known at run time; the grant is limited to this API's stage and "
            "to the @connections management API.",
        )

    def _cloudwatch_logs_role(self) -> apigateway.CfnAccount:
        """API Gateway's account-wide role for writing logs, which WebSocket access logging requires.

        It is one setting per account and region: deploying sets it to this role, which is retained
        when the stack is deleted so that the setting never points to a deleted role.
        """
        role = iam.Role(
            self,
            "ApiGatewayCloudWatchRole",
            assumed_by=iam.ServicePrincipal("apigateway.amazonaws.com"),
            managed_policies=[
                iam.ManagedPolicy.from_aws_managed_policy_name("service-role/AmazonAPIGatewayPushToCloudWatchLogs")
            ],
        )
        role.apply_removal_policy(RemovalPolicy.RETAIN)
        acknowledge(
            role,
            "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/"
            "AmazonAPIGatewayPushToCloudWatchLogs]",
            "AWS's own policy for API Gateway's account-wide logging role; it serves every API of the "
            "account and region, so it cannot be scoped to this stack's log groups.",
        )
        return apigateway.CfnAccount(self, "ApiGatewayAccount", cloud_watch_role_arn=role.role_arn)
