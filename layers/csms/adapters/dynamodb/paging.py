"""Pages of DynamoDB Queries and Scans, and the page tokens that continue them.

A token holds the LastEvaluatedKey to go on from and names its listing: the table, index, key
condition, filters and order it reads (`csms.domain.pagination`). Before a key from a token
reaches DynamoDB it must have exactly the attributes, and types, of the table's (and index's)
key schema: a token of another listing or a forged key is an `InvalidPageTokenError`, never
a request DynamoDB (or moto) fails on.
"""

import json
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from boto3.dynamodb.conditions import ConditionBase, ConditionExpressionBuilder
from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.exceptions import ClientError

from csms.domain.pagination import InvalidPageTokenError, Page, collect_page, listing_position, listing_token
from csms.tables import AttributeType, TableSpec

# Request parameters that say where a page starts and how long it is, not which listing it is.
_PAGE_PARAMETERS = frozenset({"Limit", "ExclusiveStartKey"})


def read_page(
    operation: Any, table: TableSpec, limit: int, next_token: str | None, **request: Any
) -> Page[dict[str, Any]]:
    """Up to `limit` items of a Query or Scan (`table.query`, `table.scan`) and the token of the rest.

    DynamoDB applies `Limit` before a FilterExpression, so this reads on until `limit` items
    matched or the table ends.
    """
    return read_page_across(operation, table, [request], limit, next_token)


def read_page_across(
    operation: Any, table: TableSpec, requests: Sequence[dict[str, Any]], limit: int, next_token: str | None
) -> Page[dict[str, Any]]:
    """Like `read_page`, over several Queries of one index read one after another (one per partition, say).

    The token names the request the next page goes on with (`part`, its index) and, unless that
    request starts afresh, its LastEvaluatedKey, so a page may end in one partition or between two.
    """
    listing = describe_listing(operation, requests)
    key_schema = table.page_key(requests[0].get("IndexName"))

    def fetch(count: int, token: str | None) -> Page[dict[str, Any]]:
        part, start_key = _position(token, listing, key_schema, len(requests)) if token is not None else (0, None)
        request = {**requests[part], "Limit": count}
        if start_key is not None:
            request["ExclusiveStartKey"] = start_key
        response = read(operation, request, token)
        key = response.get("LastEvaluatedKey")
        if key:
            following: str | None = listing_token({"part": part, "key": serialized_key(key)}, listing)
        else:
            following = listing_token({"part": part + 1}, listing) if part + 1 < len(requests) else None
        return Page(response.get("Items", []), following)

    return collect_page(fetch, limit, next_token)


def describe_listing(operation: Any, requests: Sequence[Mapping[str, Any]]) -> str:
    """What a listing reads (table, operation and each request but its page parameters), as a stable text."""
    described = [
        {name: _plain(value) for name, value in sorted(request.items()) if name not in _PAGE_PARAMETERS}
        for request in requests
    ]
    return json.dumps([operation.__self__.name, operation.__name__, described], default=str, sort_keys=True)


def read(operation: Any, request: dict[str, Any], token: str | None) -> dict[str, Any]:
    """One Query or Scan; DynamoDB refusing the start key of a token is the token's fault."""
    try:
        response: dict[str, Any] = operation(**request)
    except ClientError as error:
        if token is not None and error.response["Error"]["Code"] == "ValidationException":
            raise InvalidPageTokenError(token) from error
        raise
    return response


def serialized_key(key: Mapping[str, Any]) -> dict[str, Any]:
    """A LastEvaluatedKey with its DynamoDB types, as a token keeps it ({"S": "CP-1"}, {"N": "7"})."""
    serializer = TypeSerializer()
    return {name: serializer.serialize(value) for name, value in key.items()}


def start_key(typed: Any, key_schema: Mapping[str, AttributeType], token: str) -> dict[str, Any]:
    """The ExclusiveStartKey a token's key stands for, if it has exactly the attributes and types of `key_schema`."""
    if not isinstance(typed, dict) or set(typed) != set(key_schema):
        raise InvalidPageTokenError(token)
    for name, attribute_type in key_schema.items():
        value = typed[name]
        if not isinstance(value, dict) or set(value) != {attribute_type} or not _valid(attribute_type, value):
            raise InvalidPageTokenError(token)
    deserializer = TypeDeserializer()
    return {name: deserializer.deserialize(value) for name, value in typed.items()}


def _valid(attribute_type: AttributeType, value: dict[str, Any]) -> bool:
    raw = value[attribute_type]
    if not isinstance(raw, str) or not raw:
        return False
    if attribute_type == "N":
        try:
            return Decimal(raw).is_finite()
        except InvalidOperation:
            return False
    return True


def _position(
    token: str, listing: str, key_schema: Mapping[str, AttributeType], parts: int
) -> tuple[int, dict[str, Any] | None]:
    position = listing_position(token, listing)
    part = position.get("part")
    if type(part) is not int or not 0 <= part < parts or not set(position) <= {"part", "key"}:
        raise InvalidPageTokenError(token)
    return part, start_key(position["key"], key_schema, token) if "key" in position else None


def _plain(value: Any) -> Any:
    """A request parameter as text: conditions as the expressions DynamoDB receives."""
    if isinstance(value, ConditionBase):
        built = ConditionExpressionBuilder().build_expression(value)
        return [built.condition_expression, built.attribute_name_placeholders, built.attribute_value_placeholders]
    return value
