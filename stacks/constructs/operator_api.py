"""The operator API: an HTTP API protected by Cognito (machine-to-machine client credentials)."""

from collections.abc import Mapping

from aws_cdk import Duration, Stack
from aws_cdk import aws_apigatewayv2 as apigwv2
from aws_cdk import aws_apigatewayv2_authorizers as authorizers
from aws_cdk import aws_apigatewayv2_integrations as integrations
from aws_cdk import aws_cognito as cognito
from aws_cdk import aws_logs as logs
from constructs import Construct

from csms import constants
from csms.function_catalogue import OPERATOR_API
from csms.tables import TABLES
from stacks.constructs.access_logs import HTTP_FIELDS, JsonAccessLogs
from stacks.constructs.data import Data
from stacks.constructs.ocpp_gateway import OcppGateway
from stacks.constructs.runtime import FunctionRuntime
from stacks.nag import acknowledge

OPERATOR_SCOPE = constants.OPERATOR_SCOPE
RESOURCE_SERVER_ID, OPERATOR_SCOPE_NAME = OPERATOR_SCOPE.split("/")


class OperatorApi(Construct):
    """`ANY /api/{proxy+}` needs a Cognito access token with scope `csms/operator`;
    `GET` and `HEAD /api/health` are public."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        runtime: FunctionRuntime,
        data: Data,
        gateway: OcppGateway,
        environment: Mapping[str, str],
    ) -> None:
        super().__init__(scope, construct_id)
        self.user_pool = cognito.UserPool(
            self,
            "UserPool",
            self_sign_up_enabled=False,
            sign_in_aliases=cognito.SignInAliases(email=True),
            mfa=cognito.Mfa.REQUIRED,
            mfa_second_factor=cognito.MfaSecondFactor(sms=False, otp=True),
            password_policy=cognito.PasswordPolicy(
                min_length=12,
                require_lowercase=True,
                require_uppercase=True,
                require_digits=True,
                require_symbols=True,
            ),
            account_recovery=cognito.AccountRecovery.EMAIL_ONLY,
            # The cheapest plan with all it uses: client credentials, a resource server, the Cognito
            # domain, TOTP MFA and the password policy (the README's fixed monthly costs).
            feature_plan=cognito.FeaturePlan.LITE,
        )
        acknowledge(
            self.user_pool,
            "AwsSolutions-COG8",
            "The Plus plan adds threat protection, which judges user sign-ins and passwords; the pool has "
            "no users, only app clients that use the client credentials grant, which it does not cover.",
        )
        operator_scope = cognito.ResourceServerScope(
            scope_name=OPERATOR_SCOPE_NAME, scope_description="Operate the CSMS"
        )
        resource_server = self.user_pool.add_resource_server(
            "ResourceServer", identifier=RESOURCE_SERVER_ID, scopes=[operator_scope]
        )
        self.client = self.user_pool.add_client(
            "OperatorClient",
            generate_secret=True,
            o_auth=cognito.OAuthSettings(
                flows=cognito.OAuthFlows(client_credentials=True),
                scopes=[cognito.OAuthScope.resource_server(resource_server, operator_scope)],
            ),
            access_token_validity=Duration.hours(1),
        )
        stack = Stack.of(self)
        self.domain = self.user_pool.add_domain(
            "Domain",
            # Unique per account and region, as Cognito requires.
            cognito_domain=cognito.CognitoDomainOptions(domain_prefix=f"{stack.stack_name.lower()}-{stack.account}"),
        )
        self.token_url = f"{self.domain.base_url()}/oauth2/token"

        self.function = runtime.function(
            self,
            "Handler",
            OPERATOR_API,
            environment={**environment, constants.ENV_WEBSOCKET_MANAGEMENT_ENDPOINT: gateway.management_endpoint},
        )
        data.grant_read_write(self.function, TABLES)
        gateway.grant_manage_connections(self.function)

        self.api = apigwv2.HttpApi(self, "HttpApi", description="CSMS operator API", create_default_stage=False)
        self.stage = apigwv2.HttpStage(
            self,
            "Stage",
            http_api=self.api,
            auto_deploy=True,
            access_log_settings=JsonAccessLogs(
                logs.LogGroup(self, "AccessLogs", retention=logs.RetentionDays.ONE_MONTH), HTTP_FIELDS
            ),
            throttle=apigwv2.ThrottleSettings(rate_limit=100, burst_limit=200),
        )
        integration = integrations.HttpLambdaIntegration(
            "Handler", runtime.invoked(self.function), payload_format_version=apigwv2.PayloadFormatVersion.VERSION_2_0
        )
        self.api.add_routes(
            path="/api/{proxy+}",
            methods=[apigwv2.HttpMethod.ANY],
            integration=integration,
            authorizer=authorizers.HttpUserPoolAuthorizer(
                "Authorizer", self.user_pool, user_pool_clients=[self.client]
            ),
            authorization_scopes=[OPERATOR_SCOPE],
        )
        for route in self.api.add_routes(
            path="/api/health", methods=[apigwv2.HttpMethod.GET, apigwv2.HttpMethod.HEAD], integration=integration
        ):
            acknowledge(
                route,
                "AwsSolutions-APIG4",
                "Health check for load balancers and uptime probes; it reveals nothing but liveness.",
            )
        self.url = f"{self.stage.url}api/"
