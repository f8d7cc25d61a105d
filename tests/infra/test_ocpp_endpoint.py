"""The CloudFront distribution in front of the WebSocket API."""

from typing import Any

import pytest
from aws_cdk.assertions import Match, Template

from csms import constants
from csms.gateway_path import AUTHORIZATION_COPY_HEADER
from stacks.constructs.ocpp_endpoint import PATH_REWRITE_FUNCTION
from tests.infra.conftest import Synthesis, synthesize
from tests.infra.queries import api_id, of_type

pytestmark = pytest.mark.infra

CACHING_DISABLED_POLICY_ID = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"


@pytest.fixture(scope="module")
def distribution(resources: dict[str, Any]) -> dict[str, Any]:
    (distribution,) = [
        r for i, r in of_type(resources, "AWS::CloudFront::Distribution").items() if i.startswith("OcppEndpoint")
    ]
    config: dict[str, Any] = distribution["Properties"]["DistributionConfig"]
    return config


def test_viewer_request_function(resources: dict[str, Any], distribution: dict[str, Any]) -> None:
    (association,) = distribution["DefaultCacheBehavior"]["FunctionAssociations"]
    assert association["EventType"] == "viewer-request"
    function = resources[association["FunctionARN"]["Fn::GetAtt"][0]]["Properties"]
    assert function["FunctionConfig"]["Runtime"] == "cloudfront-js-2.0"
    assert function["FunctionCode"] == PATH_REWRITE_FUNCTION.read_text()


def test_caching_disabled(distribution: dict[str, Any]) -> None:
    behavior = distribution["DefaultCacheBehavior"]
    assert behavior["CachePolicyId"] == CACHING_DISABLED_POLICY_ID
    assert behavior["ViewerProtocolPolicy"] == "https-only"


def test_origin_is_the_websocket_stage(resources: dict[str, Any], distribution: dict[str, Any]) -> None:
    (origin,) = distribution["Origins"]
    assert origin["OriginPath"] == "/ocpp"
    assert {"Ref": api_id(resources, "WEBSOCKET")} in origin["DomainName"]["Fn::Join"][1]
    assert origin["CustomOriginConfig"]["OriginProtocolPolicy"] == "https-only"
    (header,) = origin["OriginCustomHeaders"]
    assert header["HeaderName"] == constants.ORIGIN_VERIFY_HEADER
    assert "{{resolve:secretsmanager:" in str(header["HeaderValue"])


def test_origin_request_policy(resources: dict[str, Any], distribution: dict[str, Any]) -> None:
    policy_id = distribution["DefaultCacheBehavior"]["OriginRequestPolicyId"]["Ref"]
    config = resources[policy_id]["Properties"]["OriginRequestPolicyConfig"]
    headers = {h.lower() for h in config["HeadersConfig"]["Headers"]}
    assert headers >= {
        "sec-websocket-key",
        "sec-websocket-version",
        "sec-websocket-protocol",
        "sec-websocket-extensions",
        constants.CHARGE_POINT_ID_HEADER,
        AUTHORIZATION_COPY_HEADER,
    }
    # CloudFront refuses these in an origin request policy, or they must not reach the origin.
    assert not headers & {"authorization", "host", constants.ORIGIN_VERIFY_HEADER}
    assert config["QueryStringsConfig"]["QueryStringBehavior"] == "all"


def test_access_logs(resources: dict[str, Any], distribution: dict[str, Any]) -> None:
    bucket_id = distribution["Logging"]["Bucket"]["Fn::GetAtt"][0]
    assert resources[bucket_id]["Type"] == "AWS::S3::Bucket"


def test_default_domain(template: Template) -> None:
    template.has_output(
        "OcppUrl",
        {"Value": {"Fn::Join": ["", ["wss://", {"Fn::GetAtt": [_distribution_id(template), "DomainName"]}, "/ocpp/"]]}},
    )


def _distribution_id(template: Template) -> str:
    (logical_id,) = [
        i for i in template.find_resources("AWS::CloudFront::Distribution") if i.startswith("OcppEndpoint")
    ]
    return logical_id


@pytest.fixture(scope="module")
def custom_domain(tmp_path_factory: pytest.TempPathFactory) -> Synthesis:
    return synthesize(
        tmp_path_factory.mktemp("cdk.out"),
        domainName="ocpp.example.com",
        certificateArn="arn:aws:acm:us-east-1:123456789012:certificate/abc",
    )


def test_custom_domain(custom_domain: Synthesis) -> None:
    assert custom_domain.error is None
    template = custom_domain.template
    template.has_resource_properties(
        "AWS::CloudFront::Distribution",
        {
            "DistributionConfig": {
                "Aliases": ["ocpp.example.com"],
                "ViewerCertificate": {
                    "AcmCertificateArn": "arn:aws:acm:us-east-1:123456789012:certificate/abc",
                    "MinimumProtocolVersion": "TLSv1.2_2021",
                    "SslSupportMethod": "sni-only",
                },
            }
        },
    )
    template.has_output("OcppUrl", {"Value": "wss://ocpp.example.com/ocpp/"})
    template.has_output("OcppDistributionDomainName", {"Value": {"Fn::GetAtt": [Match.any_value(), "DomainName"]}})
