"""The operator console on AWS: its build in a private S3 bucket behind CloudFront.

The distribution serves the console's files from the bucket (origin access control: nothing else
reads it) and the operator API under `/api/*` from the HTTP API, on the same origin: the console
calls `/api` as it does on `csms local`, with no CORS preflight before each poll. `config.json`,
which tells the console how to sign in, is written at deploy time beside the build.
"""

from pathlib import Path
from typing import Any, cast

from aws_cdk import DefaultStackSynthesizer, Duration, Stack
from aws_cdk import aws_cloudfront as cloudfront
from aws_cdk import aws_cloudfront_origins as origins
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_s3_deployment as s3_deployment
from constructs import Construct

from stacks.constructs.operator_api import OperatorApi
from stacks.nag import acknowledge

ROUTES_FUNCTION = Path(__file__).resolve().parent.parent / "cloudfront" / "console_routes.js"
API_PATH_PATTERN = "/api/*"
# Read by the console from its own origin, as `csms local` serves it (`csms.local.console_files`).
CONFIG_FILE = "config.json"
# Vite names every file under assets/ after a hash of its content: cached for good. index.html
# and config.json change with each deploy: revalidated every time.
ASSETS = "assets/*"
IMMUTABLE = [s3_deployment.CacheControl.from_string("public, max-age=31536000, immutable")]
REVALIDATED = [s3_deployment.CacheControl.no_cache()]


class ConsoleNotBuilt(FileNotFoundError):
    """The console's build is missing: synthesis needs it (the stack uploads it)."""


class Console(Construct):
    """`url` is `https://<distribution>/`; `publish` adds the API behind it and uploads the build."""

    def __init__(self, scope: Construct, construct_id: str, *, log_bucket: s3.IBucket) -> None:
        super().__init__(scope, construct_id)
        self.bucket = s3.Bucket(
            self,
            "Files",
            encryption=s3.BucketEncryption.S3_MANAGED,
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            enforce_ssl=True,
        )
        acknowledge(
            self.bucket,
            "AwsSolutions-S1",
            "Only CloudFront reads this bucket (origin access control) and it logs every request for "
            "the console; the bucket holds the console's build, written by the deployment only.",
        )
        routes = cloudfront.Function(
            self,
            "Routes",
            comment="Console routes of the single-page application get /index.html",
            code=cloudfront.FunctionCode.from_file(file_path=str(ROUTES_FUNCTION)),
            runtime=cloudfront.FunctionRuntime.JS_2_0,
        )
        self.distribution = cloudfront.Distribution(
            self,
            "Distribution",
            comment="CSMS operator console and its API",
            default_root_object="index.html",
            default_behavior=cloudfront.BehaviorOptions(
                origin=origins.S3BucketOrigin.with_origin_access_control(self.bucket),
                viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
                cache_policy=cloudfront.CachePolicy.CACHING_OPTIMIZED,
                response_headers_policy=cloudfront.ResponseHeadersPolicy.SECURITY_HEADERS,
                function_associations=[
                    cloudfront.FunctionAssociation(
                        function=routes, event_type=cloudfront.FunctionEventType.VIEWER_REQUEST
                    )
                ],
            ),
            enable_logging=True,
            log_bucket=log_bucket,
            log_file_prefix="console/",
        )
        self.domain_name = self.distribution.distribution_domain_name
        self.url = f"https://{self.domain_name}/"
        self._acknowledge()

    def publish(self, *, site: Path, api: OperatorApi, ocpp_url: str) -> None:
        """Serve `api` under /api and upload `site` (the console's build) with its `config.json`.

        `ocpp_url` is where charge points connect (another host than the console's), shown to whoever
        registers a charger.
        """
        if not (site / "index.html").is_file():
            raise ConsoleNotBuilt(
                f"The console's build is missing ({site}/index.html): the stack uploads it. Build it "
                "with `npm ci && npm run build` in console/ (`./dev synth` and `./dev check` do), or "
                "point the context key consoleDist at a build."
            )
        stack = Stack.of(self)
        self.distribution.add_behavior(
            API_PATH_PATTERN,
            origins.HttpOrigin(
                f"{api.api.api_id}.execute-api.{stack.region}.{stack.url_suffix}",
                protocol_policy=cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
                origin_ssl_protocols=[cloudfront.OriginSslPolicy.TLS_V1_2],
                # The operator API answers within its integration's 29 s.
                read_timeout=Duration.seconds(30),
            ),
            viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
            allowed_methods=cloudfront.AllowedMethods.ALLOW_ALL,
            # With caching off, an origin request policy may forward Authorization; execute-api
            # needs its own Host.
            cache_policy=cloudfront.CachePolicy.CACHING_DISABLED,
            origin_request_policy=cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
            compress=True,
        )
        build = s3_deployment.Source.asset(str(site))
        assets = s3_deployment.BucketDeployment(
            self,
            "Assets",
            destination_bucket=self.bucket,
            sources=[build],
            include=[ASSETS],
            exclude=["*"],
            cache_control=IMMUTABLE,
        )
        pages = s3_deployment.BucketDeployment(
            self,
            "Pages",
            destination_bucket=self.bucket,
            sources=[build, s3_deployment.Source.json_data(CONFIG_FILE, self.config(api, ocpp_url))],
            exclude=[ASSETS],
            cache_control=REVALIDATED,
        )
        # A new index.html never names bundles that are not there yet.
        pages.node.add_dependency(assets)
        _acknowledge_deployment(assets, self.bucket)

    def config(self, api: OperatorApi, ocpp_url: str) -> dict[str, Any]:
        """`config.json`: how the console signs in (CONTRACTS: the console as served), deploy-time values."""
        return {
            "auth": "cognito",
            "apiUrl": f"https://{self.domain_name}/api",
            "cognitoDomain": api.domain.base_url(),
            "clientId": api.console_client.user_pool_client_id,
            "redirectUri": self.url,
            "scopes": [scope.scope_name for scope in api.console_scopes],
            "ocppUrl": ocpp_url,
        }

    def _acknowledge(self) -> None:
        acknowledge(
            self.distribution,
            "AwsSolutions-CFR1",
            "Operators work wherever the charging network is; a geo restriction would be a "
            "per-deployment business decision, not a default.",
        )
        acknowledge(
            self.distribution,
            "AwsSolutions-CFR2",
            "The console's files are public by nature (the sign-in is Cognito's) and every API call "
            "needs a Cognito token, checked by API Gateway; a WAF web ACL (from USD 5 a month) can be "
            "attached per deployment when needed.",
        )
        acknowledge(
            self.distribution,
            "AwsSolutions-CFR4",
            "The distribution uses the default *.cloudfront.net certificate, whose TLS policy CloudFront "
            "fixes; a custom domain for the console would enforce TLSv1.2_2021.",
        )


def _acknowledge_deployment(deployment: s3_deployment.BucketDeployment, bucket: s3.Bucket) -> None:
    """The deployment's function (one for the stack, shared by every BucketDeployment) runs at deploy
    time only; its policy is CDK's, scoped to the asset bucket and the console's bucket."""
    role = deployment.handler_role
    stack = Stack.of(bucket)
    bucket_id = stack.resolve(cast(s3.CfnBucket, bucket.node.default_child).logical_id)
    asset_bucket = f"cdk-{DefaultStackSynthesizer.DEFAULT_QUALIFIER}-assets-<AWS::AccountId>-<AWS::Region>"
    acknowledge(
        role,
        "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]",
        "CDK's BucketDeployment function, run at deploy time only: the managed policy lets it write its own logs.",
    )
    for finding in (
        "Action::s3:GetBucket*",
        "Action::s3:GetObject*",
        "Action::s3:List*",
        "Action::s3:Abort*",
        "Action::s3:DeleteObject*",
        f"Resource::arn:<AWS::Partition>:s3:::{asset_bucket}/*",
        f"Resource::<{bucket_id}.Arn>/*",
    ):
        acknowledge(
            role,
            f"AwsSolutions-IAM5[{finding}]",
            "CDK's BucketDeployment function copies the console's build from the CDK asset bucket into "
            "the console's bucket and prunes what the new build no longer has; its grant is CDK's "
            "read of the asset and read-write of the console's bucket.",
        )
