"""The console on AWS: a private bucket behind CloudFront, the operator API on the same origin,
and the config.json the deployment writes beside the build."""

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from aws_cdk.assertions import Template

from stacks.constructs.console import ROUTES_FUNCTION, ConsoleNotBuilt
from tests.infra.conftest import Synthesis, synthesize
from tests.infra.queries import api_id, of_type

pytestmark = pytest.mark.infra

# Managed CloudFront policies, by id.
CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
ALL_VIEWER_EXCEPT_HOST_HEADER = "b689b0a8-53d0-40ab-baf2-68738e2966ac"

# uri -> what the bucket is asked for
ROUTES = {
    "/": "/index.html",
    "/index.html": "/index.html",
    "/config.json": "/config.json",
    "/favicon.svg": "/favicon.svg",
    "/assets/index-abc123.js": "/assets/index-abc123.js",
    "/assets/fonts/a.woff2": "/assets/fonts/a.woff2",
    "/chargers": "/index.html",
    "/chargers/CP.1": "/index.html",
    "/chargers/CP-1/sessions/42": "/index.html",
    "/sessions?status=active": "/index.html",
}


@pytest.fixture(scope="module")
def distribution(resources: dict[str, Any]) -> dict[str, Any]:
    (config,) = [
        r["Properties"]["DistributionConfig"]
        for i, r in of_type(resources, "AWS::CloudFront::Distribution").items()
        if i.startswith("ConsoleDistribution")
    ]
    return config


@pytest.fixture(scope="module")
def deployments(resources: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The two BucketDeployments, by construct id (Assets, Pages)."""
    return {
        logical_id.removeprefix("Console").split("CustomResource")[0]: resource
        for logical_id, resource in of_type(resources, "Custom::CDKBucketDeployment").items()
    }


def test_bucket_is_private_and_read_by_the_distribution_only(
    template: Template, resources: dict[str, Any], distribution: dict[str, Any]
) -> None:
    (bucket_id,) = [i for i in of_type(resources, "AWS::S3::Bucket") if i.startswith("ConsoleFiles")]
    assert resources[bucket_id]["Properties"]["PublicAccessBlockConfiguration"] == {
        "BlockPublicAcls": True,
        "BlockPublicPolicy": True,
        "IgnorePublicAcls": True,
        "RestrictPublicBuckets": True,
    }
    (s3_origin,) = [o for o in distribution["Origins"] if "S3OriginConfig" in o]
    assert s3_origin["DomainName"] == {"Fn::GetAtt": [bucket_id, "RegionalDomainName"]}
    assert "OriginAccessControlId" in s3_origin
    (policy,) = [
        r["Properties"]["PolicyDocument"]["Statement"]
        for r in of_type(resources, "AWS::S3::BucketPolicy").values()
        if r["Properties"]["Bucket"] == {"Ref": bucket_id}
    ]
    readers = [s for s in policy if s["Effect"] == "Allow"]
    assert [s["Principal"] for s in readers] == [{"Service": "cloudfront.amazonaws.com"}]
    assert readers[0]["Action"] == "s3:GetObject"
    assert "ConsoleDistribution" in json.dumps(readers[0]["Condition"])


def test_api_is_served_on_the_console_origin_uncached_with_the_token(
    resources: dict[str, Any], distribution: dict[str, Any]
) -> None:
    (api,) = distribution["CacheBehaviors"]
    assert api["PathPattern"] == "/api/*"
    assert api["CachePolicyId"] == CACHING_DISABLED
    # With caching off, the all-viewer policy forwards Authorization (and If-None-Match); not Host.
    assert api["OriginRequestPolicyId"] == ALL_VIEWER_EXCEPT_HOST_HEADER
    assert set(api["AllowedMethods"]) == {"GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE"}
    (origin,) = [o for o in distribution["Origins"] if o["Id"] == api["TargetOriginId"]]
    assert origin["CustomOriginConfig"]["OriginProtocolPolicy"] == "https-only"
    assert {"Ref": api_id(resources, "HTTP")} in origin["DomainName"]["Fn::Join"][1]
    assert "OriginPath" not in origin  # the HTTP API's $default stage


def test_files_are_https_only_and_routes_go_through_the_function(
    resources: dict[str, Any], distribution: dict[str, Any]
) -> None:
    default = distribution["DefaultCacheBehavior"]
    assert default["ViewerProtocolPolicy"] == "redirect-to-https"
    (association,) = default["FunctionAssociations"]
    assert association["EventType"] == "viewer-request"
    function_id = association["FunctionARN"]["Fn::GetAtt"][0]
    assert resources[function_id]["Properties"]["FunctionCode"] == ROUTES_FUNCTION.read_text()
    assert distribution["DefaultRootObject"] == "index.html"
    assert distribution["Logging"]["Prefix"] == "console/"


@pytest.mark.parametrize(("uri", "expected"), ROUTES.items())
def test_routes_function(routed: dict[str, str], uri: str, expected: str) -> None:
    assert routed[uri] == expected


@pytest.fixture(scope="module")
def routed() -> dict[str, str]:
    """The function file run as CloudFront runs it, on every uri of ROUTES."""
    node = shutil.which("node")
    assert node, "node is required (the CDK needs it too)"
    runner = (
        "const source = require('fs').readFileSync(process.argv[1], 'utf8');"
        "const handler = new Function(source + '\\nreturn handler;')();"
        "const uris = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
        "process.stdout.write(JSON.stringify(uris.map((uri) => handler({ request: { uri: uri.split('?')[0] } }).uri)));"
    )
    completed = subprocess.run(  # noqa: S603 - fixed arguments
        [node, "-e", runner, str(ROUTES_FUNCTION)],
        input=json.dumps(list(ROUTES)),
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    )
    return dict(zip(ROUTES, json.loads(completed.stdout), strict=True))


def test_bundles_are_cached_for_good_and_pages_revalidated(deployments: dict[str, dict[str, Any]]) -> None:
    assets, pages = deployments["Assets"], deployments["Pages"]
    assert assets["Properties"]["Include"] == ["assets/*"]
    assert assets["Properties"]["Exclude"] == ["*"]
    assert assets["Properties"]["SystemMetadata"] == {"cache-control": "public, max-age=31536000, immutable"}
    assert pages["Properties"]["Exclude"] == ["assets/*"]
    assert pages["Properties"]["SystemMetadata"] == {"cache-control": "no-cache"}
    # Each prunes only its own files; index.html goes up after the bundles it names.
    assert assets["Properties"]["Prune"] is True
    assert pages["Properties"]["Prune"] is True
    assert any(d.startswith("ConsoleAssetsCustomResource") for d in pages["DependsOn"])


def test_config_json_names_the_console_client_and_its_hosted_ui(
    synthesis: Synthesis, resources: dict[str, Any], deployments: dict[str, dict[str, Any]]
) -> None:
    """CONTRACTS, "Console (part E) as served": `{"auth": "cognito", "apiUrl", "cognitoDomain",
    "clientId", "redirectUri", "scopes", "ocppUrl"}`, with the deploy-time values CloudFormation fills in."""
    properties = deployments["Pages"]["Properties"]
    key = properties["SourceObjectKeys"][1].removesuffix(".zip")
    raw = (synthesis.outdir / f"asset.{key}" / "config.json").read_text()
    for marker, value in properties["SourceMarkers"][1].items():  # each a JSON string once deployed
        raw = raw.replace(marker, json.dumps(value))
    config = json.loads(raw)
    distribution = {"Fn::GetAtt": [next(i for i in resources if i.startswith("ConsoleDistribution0")), "DomainName"]}
    (client_id,) = [i for i in of_type(resources, "AWS::Cognito::UserPoolClient") if "ConsoleClient" in i]
    (domain_id,) = of_type(resources, "AWS::Cognito::UserPoolDomain")
    assert config["auth"] == "cognito"
    assert config["apiUrl"] == {"Fn::Join": ["", ['"https://', distribution, '/api"']]}
    assert config["redirectUri"] == {"Fn::Join": ["", ['"https://', distribution, '/"']]}
    assert config["clientId"] == {"Fn::Join": ["", ['"', {"Ref": client_id}, '"']]}
    assert config["cognitoDomain"]["Fn::Join"][1][:2] == ['"https://', {"Ref": domain_id}]
    assert config["scopes"][:3] == ["openid", "email", "profile"]
    assert "/operator" in json.dumps(config["scopes"][3])
    ocpp_distribution = next(i for i in resources if i.startswith("OcppEndpointDistribution"))
    assert config["ocppUrl"] == {
        "Fn::Join": ["", ['"wss://', {"Fn::GetAtt": [ocpp_distribution, "DomainName"]}, '/ocpp/"']]
    }


def test_synthesis_without_the_console_build_says_how_to_build_it(tmp_path: Path) -> None:
    empty = tmp_path / "dist"
    empty.mkdir()
    with pytest.raises(ConsoleNotBuilt, match="npm ci && npm run build"):
        synthesize(tmp_path / "cdk.out", consoleDist=str(empty))
