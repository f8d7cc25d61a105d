"""The operator API: an HTTP API protected by Cognito, for machines (client credentials) and for
people (the console's authorization code grant with PKCE, on the Cognito hosted UI).

People's roles are the Cognito groups `viewers`, `operators` and `admins` (`csms.users.roles`); the
authorizer only checks the token and its scope, the API enforces the role.
"""

from collections.abc import Mapping

from aws_cdk import Duration, Stack
from aws_cdk import aws_apigatewayv2 as apigwv2
from aws_cdk import aws_apigatewayv2_authorizers as authorizers
from aws_cdk import aws_apigatewayv2_integrations as integrations
from aws_cdk import aws_cognito as cognito
from aws_cdk import aws_iam as iam
from aws_cdk import aws_logs as logs
from constructs import Construct

from csms import constants
from csms.function_catalogue import OPERATOR_API
from csms.tables import TABLES
from csms.users.roles import ROLES_LOWEST_FIRST
from stacks.constructs.access_logs import HTTP_FIELDS, JsonAccessLogs
from stacks.constructs.data import Data
from stacks.constructs.ocpp_gateway import OcppGateway
from stacks.constructs.runtime import FunctionRuntime
from stacks.nag import acknowledge

OPERATOR_SCOPE = constants.OPERATOR_SCOPE
RESOURCE_SERVER_ID, OPERATOR_SCOPE_NAME = OPERATOR_SCOPE.split("/")
# What the users API (`/api/users`, admins only) does on the pool: create, read, delete users and
# put each in exactly one role group.
USER_ADMINISTRATION_ACTIONS = (
    "cognito-idp:AdminAddUserToGroup",
    "cognito-idp:AdminCreateUser",
    "cognito-idp:AdminDeleteUser",
    "cognito-idp:AdminGetUser",
    "cognito-idp:AdminListGroupsForUser",
    "cognito-idp:AdminRemoveUserFromGroup",
    "cognito-idp:ListUsers",
    "cognito-idp:ListUsersInGroup",
)


class OperatorApi(Construct):
    """`ANY /api/{proxy+}` needs a Cognito access token with scope `csms/operator`, of the
    machine-to-machine client or of the console's; `GET` and `HEAD /api/health`, the OpenAPI document,
    Swagger UI and short file links (`/api/files/{token}`) are public (`csms.constants.PUBLIC_API_ROUTES`).

    `console_url` (`https://<console>/`) is where the hosted UI sends people back after signing in
    and out.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        runtime: FunctionRuntime,
        data: Data,
        gateway: OcppGateway,
        environment: Mapping[str, str],
        console_url: str,
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
            "The Plus plan adds threat protection (adaptive authentication, compromised credentials), "
            "at USD 0.02 per monthly active user; the pool's users are a handful of operators, invited "
            "by an admin, with a 12-character password policy and TOTP MFA required.",
        )
        for precedence, role in enumerate(reversed(ROLES_LOWEST_FIRST)):
            cognito.UserPoolGroup(
                self,
                f"Group{role.value.capitalize()}",
                user_pool=self.user_pool,
                group_name=role.value,
                precedence=precedence,
                description=f"Operator console role {role.value}",
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
        # People sign in on the hosted UI; a public client (no secret: it runs in the browser), so
        # the authorization code must come with PKCE, which Cognito requires of a client without secret.
        self.console_scopes = [
            cognito.OAuthScope.OPENID,
            cognito.OAuthScope.EMAIL,
            cognito.OAuthScope.PROFILE,
            cognito.OAuthScope.resource_server(resource_server, operator_scope),
        ]
        self.console_client = self.user_pool.add_client(
            "ConsoleClient",
            generate_secret=False,
            o_auth=cognito.OAuthSettings(
                flows=cognito.OAuthFlows(authorization_code_grant=True),
                scopes=self.console_scopes,
                callback_urls=[console_url],
                logout_urls=[console_url],
            ),
            supported_identity_providers=[cognito.UserPoolClientIdentityProvider.COGNITO],
            prevent_user_existence_errors=True,
            access_token_validity=Duration.hours(1),
            id_token_validity=Duration.hours(1),
            # A working day; then the hosted UI asks again.
            refresh_token_validity=Duration.hours(12),
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
            environment={
                **environment,
                constants.ENV_WEBSOCKET_MANAGEMENT_ENDPOINT: gateway.management_endpoint,
                constants.ENV_USER_POOL_ID: self.user_pool.user_pool_id,
            },
        )
        data.grant_read_write(self.function, TABLES)
        gateway.grant_manage_connections(self.function)
        self.function.add_to_role_policy(
            iam.PolicyStatement(actions=list(USER_ADMINISTRATION_ACTIONS), resources=[self.user_pool.user_pool_arn])
        )

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
                "Authorizer", self.user_pool, user_pool_clients=[self.client, self.console_client]
            ),
            authorization_scopes=[OPERATOR_SCOPE],
        )
        for path, methods in constants.PUBLIC_API_ROUTES.items():
            for route in self.api.add_routes(
                path=path, methods=[apigwv2.HttpMethod(method) for method in methods], integration=integration
            ):
                acknowledge(
                    route,
                    "AwsSolutions-APIG4",
                    "Liveness for load balancers and uptime probes, the API's OpenAPI document and Swagger UI (they "
                    "reveal nothing but liveness and the published description of the API), or a short file link, "
                    "whose random 128-bit token in the path is the capability (one upload or download of one file "
                    "until it expires), as a presigned S3 URL's signature is: chargers have no API token.",
                )
        self.url = f"{self.stage.url}api/"
