"""The public OCPP endpoint: CloudFront in front of the WebSocket API.

API Gateway refuses any path after the stage, while OCPP-J appends the charge point id to the
URL. A CloudFront Function moves the id into a header and sends `/` to the stage.

With viewer mTLS (context `viewerMtls`), CloudFront asks charge points for a client certificate in mode
`optional` (password chargers connect as before), checks a presented one against a trust store holding the
CSMS root, and forwards `CloudFront-Viewer-Cert-Present`/`-Pem` to the origin, where the authorizer trusts
them only with the origin-verify secret and checks the certificate against the inventory.
"""

from pathlib import Path

from aws_cdk import Duration, Stack
from aws_cdk import aws_certificatemanager as acm
from aws_cdk import aws_cloudfront as cloudfront
from aws_cdk import aws_cloudfront_origins as origins
from aws_cdk import aws_s3 as s3
from constructs import Construct

from csms import constants
from csms.gateway_path import AUTHORIZATION_COPY_HEADER
from csms.viewer_certificate import FORWARDED_HEADERS as VIEWER_CERTIFICATE_HEADERS
from stacks.config import CustomDomain, ViewerMtls
from stacks.constructs.ocpp_gateway import OcppGateway
from stacks.nag import acknowledge

PATH_REWRITE_FUNCTION = Path(__file__).resolve().parent.parent / "cloudfront" / "ocpp_path_rewrite.js"

# Forwarded to the origin; `Authorization` cannot be (CloudFront answers 400), so the function
# copies it into AUTHORIZATION_COPY_HEADER. Host is not forwarded: execute-api needs its own.
FORWARDED_HEADERS = (
    "Sec-WebSocket-Key",
    "Sec-WebSocket-Version",
    "Sec-WebSocket-Protocol",
    "Sec-WebSocket-Extensions",
    constants.CHARGE_POINT_ID_HEADER,
    AUTHORIZATION_COPY_HEADER,
)


class OcppEndpoint(Construct):
    """CloudFront distribution; `url` is `wss://<domain>/ocpp/` (charge points append their id)."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        gateway: OcppGateway,
        origin_verify_value: str,
        custom_domain: CustomDomain | None = None,
        viewer_mtls: ViewerMtls | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        stack = Stack.of(self)
        origin = origins.HttpOrigin(
            f"{gateway.api.api_id}.execute-api.{stack.region}.{stack.url_suffix}",
            origin_path=f"/{gateway.stage.stage_name}",
            protocol_policy=cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
            origin_ssl_protocols=[cloudfront.OriginSslPolicy.TLS_V1_2],
            custom_headers={constants.ORIGIN_VERIFY_HEADER: origin_verify_value},
        )
        path_rewrite = cloudfront.Function(
            self,
            "PathRewrite",
            comment="Moves the charge point id of /ocpp/{id} into a header; 404 for other paths",
            code=cloudfront.FunctionCode.from_file(file_path=str(PATH_REWRITE_FUNCTION)),
            runtime=cloudfront.FunctionRuntime.JS_2_0,
        )
        origin_request_policy = cloudfront.OriginRequestPolicy(
            self,
            "OriginRequestPolicy",
            comment="OCPP WebSocket handshake headers, charge point id and query strings",
            header_behavior=cloudfront.OriginRequestHeaderBehavior.allow_list(
                *FORWARDED_HEADERS, *(VIEWER_CERTIFICATE_HEADERS if viewer_mtls else ())
            ),
            query_string_behavior=cloudfront.OriginRequestQueryStringBehavior.all(),
            cookie_behavior=cloudfront.OriginRequestCookieBehavior.none(),
        )
        # Also the console's (`Console`): one bucket of CloudFront access logs.
        self.log_bucket = self._log_bucket()
        self.distribution = cloudfront.Distribution(
            self,
            "Distribution",
            comment="OCPP-J WebSocket endpoint",
            default_behavior=cloudfront.BehaviorOptions(
                origin=origin,
                viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
                cache_policy=cloudfront.CachePolicy.CACHING_DISABLED,
                compress=False,
                origin_request_policy=origin_request_policy,
                function_associations=[
                    cloudfront.FunctionAssociation(
                        function=path_rewrite, event_type=cloudfront.FunctionEventType.VIEWER_REQUEST
                    )
                ],
            ),
            domain_names=[custom_domain.domain_name] if custom_domain else None,
            certificate=(
                acm.Certificate.from_certificate_arn(self, "Certificate", custom_domain.certificate_arn)
                if custom_domain
                else None
            ),
            # Only a custom certificate lets the policy be chosen.
            minimum_protocol_version=cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021 if custom_domain else None,
            enable_logging=True,
            log_bucket=self.log_bucket,
            log_file_prefix="ocpp-endpoint/",
        )
        domain = custom_domain.domain_name if custom_domain else self.distribution.domain_name
        self.url = f"wss://{domain}{constants.OCPP_PATH_PREFIX}"
        self._acknowledge(custom_domain=custom_domain is not None)
        if viewer_mtls is not None:
            self._require_client_certificates_optionally(viewer_mtls)

    def _require_client_certificates_optionally(self, viewer_mtls: ViewerMtls) -> None:
        """Viewer mTLS, mode optional, with a trust store of the CSMS root (L1 only: an escape hatch)."""
        self.trust_store = cloudfront.CfnTrustStore(
            self,
            "TrustStore",
            name=f"{Stack.of(self).stack_name}-charging-stations",
            ca_certificates_bundle_source=cloudfront.CfnTrustStore.CaCertificatesBundleSourceProperty(
                ca_certificates_bundle_s3_location=cloudfront.CfnTrustStore.CaCertificatesBundleS3LocationProperty(
                    bucket=viewer_mtls.trust_store_bucket, key=viewer_mtls.trust_store_key, region=Stack.of(self).region
                )
            ),
        )
        distribution = self.distribution.node.default_child
        assert isinstance(distribution, cloudfront.CfnDistribution)
        distribution.add_property_override(
            "DistributionConfig.ViewerMtlsConfig",
            {"Mode": "optional", "TrustStoreConfig": {"TrustStoreId": self.trust_store.attr_id}},
        )

    def _log_bucket(self) -> s3.Bucket:
        """CloudFront standard logs: the only record of charge points' (and console users') own IP addresses."""
        bucket = s3.Bucket(
            self,
            "Logs",
            encryption=s3.BucketEncryption.S3_MANAGED,
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            # CloudFront standard logging writes with an ACL.
            object_ownership=s3.ObjectOwnership.OBJECT_WRITER,
            enforce_ssl=True,
            lifecycle_rules=[s3.LifecycleRule(expiration=Duration.days(30))],
        )
        acknowledge(
            bucket,
            "AwsSolutions-S1",
            "This bucket only receives CloudFront access logs; logging its own accesses would need "
            "yet another log bucket.",
        )
        return bucket

    def _acknowledge(self, *, custom_domain: bool) -> None:
        acknowledge(
            self.distribution,
            "AwsSolutions-CFR1",
            "Charge points are installed wherever the operator serves; a geo restriction would be a "
            "per-deployment business decision, not a default.",
        )
        acknowledge(
            self.distribution,
            "AwsSolutions-CFR2",
            "Only /ocpp/{id} reaches the origin (the edge function answers 404 otherwise) and the "
            "$connect authorizer refuses unknown charge points; a WAF web ACL (from USD 5 a month) "
            "can be attached per deployment when needed.",
        )
        if not custom_domain:
            acknowledge(
                self.distribution,
                "AwsSolutions-CFR4",
                "Without the domainName/certificateArn context the distribution uses the default "
                "*.cloudfront.net certificate, whose TLS policy CloudFront fixes; deploy with a custom "
                "domain to enforce TLSv1.2_2021.",
            )
