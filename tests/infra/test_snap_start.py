"""SnapStart (CDK context `snapStart`): off by default; on, for the functions whose cold start someone
waits on, each invoked through the alias of its published version (SnapStart applies to no other)."""

from typing import Any

import pytest

from csms.function_catalogue import FUNCTIONS, LambdaFunction, Trigger
from tests.infra.conftest import Synthesis, synthesize
from tests.infra.queries import function_id, of_type

pytestmark = pytest.mark.infra

WAITED_ON = [function for function in FUNCTIONS if function.snap_start]


def _with_snap_start(resources: dict[str, Any]) -> set[str]:
    return {
        function["Properties"]["Handler"].removesuffix(".handler")
        for function in of_type(resources, "AWS::Lambda::Function").values()
        if function["Properties"].get("SnapStart") == {"ApplyOn": "PublishedVersions"}
    }


def _invoked_arns(resources: dict[str, Any]) -> list[str]:
    """What API Gateway invokes: every integration's and authorizer's URI, as template text."""
    integrations = of_type(resources, "AWS::ApiGatewayV2::Integration").values()
    authorizers = of_type(resources, "AWS::ApiGatewayV2::Authorizer").values()
    return [str(i["Properties"]["IntegrationUri"]) for i in integrations] + [
        str(a["Properties"]["AuthorizerUri"]) for a in authorizers if "AuthorizerUri" in a["Properties"]
    ]


@pytest.fixture(scope="module")
def snap_start(tmp_path_factory: pytest.TempPathFactory) -> Synthesis:
    return synthesize(tmp_path_factory.mktemp("cdk.out"), snapStart="true")


@pytest.fixture(scope="module")
def snap_start_resources(snap_start: Synthesis) -> dict[str, Any]:
    resources: dict[str, Any] = snap_start.template.to_json()["Resources"]
    return resources


def test_the_functions_a_charge_point_or_an_operator_waits_on() -> None:
    assert {function.name for function in WAITED_ON} == {"Authorizer", "Connect", "Message", "OperatorApi"}


def test_snap_start_is_off_by_default(resources: dict[str, Any]) -> None:
    assert _with_snap_start(resources) == set()
    assert of_type(resources, "AWS::Lambda::Alias") == {}
    assert of_type(resources, "AWS::Lambda::Version") == {}


def test_on_it_passes_cdk_nag(snap_start: Synthesis) -> None:
    assert snap_start.error is None


def test_on_it_applies_to_the_published_versions_of_the_functions_waited_on(
    snap_start_resources: dict[str, Any],
) -> None:
    assert _with_snap_start(snap_start_resources) == {function.module for function in WAITED_ON}


@pytest.mark.parametrize("function", WAITED_ON, ids=lambda function: function.name)
def test_on_api_gateway_invokes_the_alias_of_the_published_version(
    snap_start_resources: dict[str, Any], function: LambdaFunction[Trigger]
) -> None:
    resources = snap_start_resources
    logical_id = function_id(resources, function.module)
    (alias_id, alias) = next(
        (i, a)
        for i, a in of_type(resources, "AWS::Lambda::Alias").items()
        if a["Properties"]["FunctionName"] == {"Ref": logical_id}
    )
    version_id = alias["Properties"]["FunctionVersion"]["Fn::GetAtt"][0]
    assert resources[version_id]["Properties"]["FunctionName"] == {"Ref": logical_id}

    invoked = [arn for arn in _invoked_arns(resources) if f"'{alias_id}'" in arn or f"'{logical_id}'" in arn]
    assert invoked
    assert all(f"'{alias_id}'" in arn for arn in invoked)
    permissions = of_type(resources, "AWS::Lambda::Permission").values()
    assert any(p["Properties"]["FunctionName"] == {"Ref": alias_id} for p in permissions)


def test_on_the_other_functions_are_invoked_as_before(snap_start_resources: dict[str, Any]) -> None:
    resources = snap_start_resources
    disconnect = function_id(resources, "ocpp_disconnect")
    assert any(f"'{disconnect}'" in arn for arn in _invoked_arns(resources))
    assert len(of_type(resources, "AWS::Lambda::Alias")) == len(WAITED_ON)
