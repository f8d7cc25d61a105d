"""Lookups in a synthesized template (logical ids carry CDK's hash suffix)."""

import re
from typing import Any

from csms.tables import TableSpec

Resources = dict[str, Any]


def of_type(resources: Resources, resource_type: str) -> Resources:
    return {logical_id: r for logical_id, r in resources.items() if r["Type"] == resource_type}


def table_id(resources: Resources, spec: TableSpec) -> str:
    pattern = re.compile(rf"^Data{spec.logical_name}[0-9A-F]{{8}}$")
    (logical_id,) = [i for i in of_type(resources, "AWS::DynamoDB::Table") if pattern.match(i)]
    return logical_id


def function_id(resources: Resources, module: str) -> str:
    (logical_id,) = [
        i
        for i, r in of_type(resources, "AWS::Lambda::Function").items()
        if r["Properties"]["Handler"] == f"{module}.handler"
    ]
    return logical_id


def role_statements(resources: Resources, function_logical_id: str) -> list[dict[str, Any]]:
    """Every statement of every policy attached to the function's role."""
    role = resources[function_logical_id]["Properties"]["Role"]["Fn::GetAtt"][0]
    statements: list[dict[str, Any]] = []
    for policy in of_type(resources, "AWS::IAM::Policy").values():
        if {"Ref": role} in policy["Properties"]["Roles"]:
            statements.extend(policy["Properties"]["PolicyDocument"]["Statement"])
    return statements


def actions_on(statements: list[dict[str, Any]], logical_id: str) -> set[str]:
    """Actions allowed on any resource that references `logical_id` (its ARN or an index ARN)."""
    actions: set[str] = set()
    for statement in statements:
        if f"'{logical_id}'" in repr(statement["Resource"]):
            granted = statement["Action"]
            actions.update([granted] if isinstance(granted, str) else granted)
    return actions


def api_id(resources: Resources, protocol: str) -> str:
    """The API Gateway v2 API of `protocol` (WEBSOCKET or HTTP)."""
    (logical_id,) = [
        i
        for i, r in of_type(resources, "AWS::ApiGatewayV2::Api").items()
        if r["Properties"]["ProtocolType"] == protocol
    ]
    return logical_id


def routes(resources: Resources, api_logical_id: str) -> dict[str, dict[str, Any]]:
    """Route properties by route key."""
    return {
        r["Properties"]["RouteKey"]: r["Properties"]
        for r in of_type(resources, "AWS::ApiGatewayV2::Route").values()
        if r["Properties"]["ApiId"] == {"Ref": api_logical_id}
    }
