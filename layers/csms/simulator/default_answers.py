"""The answer a charger gives to a call it has no behaviour for: the smallest payload its response
schema accepts, preferring an `Accepted` status, so that every action the CSMS can send is answered
validly instead of with the `ocpp` library's NotImplemented CALLERROR."""

from __future__ import annotations

import functools
import json
from importlib import resources
from typing import Any

_SCHEMA_PACKAGES = {"1.6": "ocpp.v16", "2.0.1": "ocpp.v201"}


@functools.cache
def _response_schema(version: str, action: str) -> dict[str, Any] | None:
    schema_file = resources.files(_SCHEMA_PACKAGES[version]).joinpath("schemas", f"{action}Response.json")
    if not schema_file.is_file():
        return None
    schema: dict[str, Any] = json.loads(schema_file.read_text())
    return schema


def default_answer(version: str, action: str) -> dict[str, Any] | None:
    """The camelCase payload, or None when `action` has no response schema in `version`."""
    schema = _response_schema(version, action)
    if schema is None:
        return None
    answer: dict[str, Any] = _minimal(schema, schema)
    return answer


def _minimal(node: dict[str, Any], root: dict[str, Any]) -> Any:
    if "$ref" in node:
        reference = node["$ref"].removeprefix("#/")
        target = root
        for part in reference.split("/"):
            target = target[part]
        return _minimal(target, root)
    if "enum" in node:
        return "Accepted" if "Accepted" in node["enum"] else node["enum"][0]
    kind = node.get("type")
    if kind == "object":
        properties = node.get("properties", {})
        return {name: _minimal(properties[name], root) for name in node.get("required", [])}
    if kind == "array":
        return [_minimal(node["items"], root) for _ in range(node.get("minItems", 0))]
    if kind == "integer":
        return node.get("minimum", 0)
    if kind == "number":
        return float(node.get("minimum", 0))
    if kind == "boolean":
        return False
    if node.get("format") == "date-time":
        return "1970-01-01T00:00:00Z"
    return "x" * node.get("minLength", 0)
