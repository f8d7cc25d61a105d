"""CloudFront viewer mTLS (context viewerMtls): off by default; when on, mode optional with a trust store of the
CSMS root from S3, and the client-certificate headers forwarded to the origin, which carries the origin secret."""

from typing import Any

import aws_cdk as cdk
import pytest

from csms import constants
from stacks.config import CsmsConfig, ViewerMtls
from tests.infra.conftest import Synthesis, synthesize

CERTIFICATE_HEADERS = {"CloudFront-Viewer-Cert-Present", "CloudFront-Viewer-Cert-Pem"}


@pytest.fixture(scope="module")
def mtls(tmp_path_factory: pytest.TempPathFactory) -> Synthesis:
    return synthesize(
        tmp_path_factory.mktemp("cdk.out.mtls"),
        viewerMtls="true",
        viewerMtlsTrustStoreBucket="operator-pki",
        viewerMtlsTrustStoreKey="csms-root.pem",
    )


def of_type(resources: dict[str, Any], type_name: str) -> list[dict[str, Any]]:
    return [resource["Properties"] for resource in resources.values() if resource["Type"] == type_name]


def ocpp_distribution(resources: dict[str, Any]) -> dict[str, Any]:
    [distribution] = [
        d["DistributionConfig"]
        for d in of_type(resources, "AWS::CloudFront::Distribution")
        if d["DistributionConfig"].get("Comment") == "OCPP-J WebSocket endpoint"
    ]
    return distribution


def forwarded_headers(resources: dict[str, Any]) -> set[str]:
    [policy] = [
        p["OriginRequestPolicyConfig"]
        for p in of_type(resources, "AWS::CloudFront::OriginRequestPolicy")
        if "OCPP" in p["OriginRequestPolicyConfig"].get("Comment", "")
    ]
    return set(policy["HeadersConfig"]["Headers"])


def test_viewer_mtls_is_off_by_default(resources: dict[str, Any]) -> None:
    assert "ViewerMtlsConfig" not in ocpp_distribution(resources)
    assert of_type(resources, "AWS::CloudFront::TrustStore") == []
    assert not forwarded_headers(resources) & CERTIFICATE_HEADERS


def test_with_viewer_mtls_certificates_are_asked_for_optionally_and_checked_against_the_csms_root(
    mtls: Synthesis,
) -> None:
    assert mtls.error is None
    resources = mtls.template.to_json()["Resources"]
    [trust_store] = of_type(resources, "AWS::CloudFront::TrustStore")
    trust_store_id = next(k for k, r in resources.items() if r["Type"] == "AWS::CloudFront::TrustStore")
    location = trust_store["CaCertificatesBundleSource"]["CaCertificatesBundleS3Location"]
    distribution = ocpp_distribution(resources)

    assert (location["Bucket"], location["Key"]) == ("operator-pki", "csms-root.pem")
    assert distribution["ViewerMtlsConfig"] == {
        "Mode": "optional",
        "TrustStoreConfig": {"TrustStoreId": {"Fn::GetAtt": [trust_store_id, "Id"]}},
    }
    assert forwarded_headers(resources) >= CERTIFICATE_HEADERS
    # The headers reach the origin only with the origin secret, which the authorizer requires before reading them.
    [origin] = distribution["Origins"]
    assert [h["HeaderName"] for h in origin["OriginCustomHeaders"]] == [constants.ORIGIN_VERIFY_HEADER]


def test_viewer_mtls_needs_the_trust_store_object() -> None:
    assert CsmsConfig.from_context(cdk.App(context={"viewerMtls": "false"}).node).viewer_mtls is None
    with pytest.raises(ValueError, match="viewerMtlsTrustStoreBucket"):
        CsmsConfig.from_context(cdk.App(context={"viewerMtls": "true"}).node)
    on = {"viewerMtls": True, "viewerMtlsTrustStoreBucket": "b", "viewerMtlsTrustStoreKey": "k"}
    assert CsmsConfig.from_context(cdk.App(context=on).node).viewer_mtls == ViewerMtls("b", "k")
