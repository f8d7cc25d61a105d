"""Limits the official schemas set on request fields, read from the schemas rather than copied: a URL the CSMS
gives a charger must fit its field (GetLog `log.remoteLocation`, firmware `location`: 512 characters)."""

from functools import cache
from typing import Any

from csms.wire.ocpp_library import request_schema
from csms.wire.versions import OcppVersion


@cache
def max_length(version: OcppVersion, action: str, *path: str) -> int | None:
    """The `maxLength` of the string at `path` (property names) in `action`'s request; None: no limit."""
    schema = request_schema(action, version)
    node = schema
    for name in path:
        node = _resolved(schema, node)["properties"][name]
    limit = _resolved(schema, node).get("maxLength")
    return None if limit is None else int(limit)


def _resolved(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    """`node`, or the definition its `$ref` (`#/definitions/<name>`) names."""
    reference = node.get("$ref")
    if reference is None:
        return node
    resolved: dict[str, Any] = schema["definitions"][reference.removeprefix("#/definitions/")]
    return resolved
