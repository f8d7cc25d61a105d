"""Converting between domain values and DynamoDB attribute values."""

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.exceptions import ClientError

from csms.domain.pagination import InvalidPageTokenError, Page, collect_page, decode_page_token, encode_page_token
from csms.timeutil import format_timestamp, parse_timestamp


def item(**attributes: Any) -> dict[str, Any]:
    """A DynamoDB item from keyword attributes: None dropped, datetimes as RFC 3339 strings."""
    return {name: encode(value) for name, value in attributes.items() if value is not None}


def encode(value: Any) -> Any:
    if isinstance(value, datetime):
        return format_timestamp(value)
    if isinstance(value, float):
        return Decimal(str(value))
    return value


def json_value(value: Any) -> Any:
    """A parsed JSON value as DynamoDB accepts it (numbers as Decimal)."""
    if isinstance(value, dict):
        return {key: json_value(inner) for key, inner in value.items()}
    if isinstance(value, list):
        return [json_value(inner) for inner in value]
    return encode(value)


def from_json_value(value: Any) -> Any:
    """The inverse of `json_value`: DynamoDB numbers back as int or float."""
    if isinstance(value, dict):
        return {key: from_json_value(inner) for key, inner in value.items()}
    if isinstance(value, list):
        return [from_json_value(inner) for inner in value]
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def timestamp(value: Any) -> datetime | None:
    return parse_timestamp(value) if value else None


def integer(value: Any) -> int | None:
    return int(value) if value is not None else None


def decimal(value: Any) -> Decimal | None:
    return Decimal(value) if value is not None else None


def query_all(table: Any, **kwargs: Any) -> list[dict[str, Any]]:
    """Every item of a paginated Query."""
    return read_all(table.query, **kwargs)


def scan_all(table: Any, **kwargs: Any) -> list[dict[str, Any]]:
    """Every item of a paginated Scan."""
    return read_all(table.scan, **kwargs)


def read_all(operation: Any, **kwargs: Any) -> list[dict[str, Any]]:
    """Every item of a paginated Query or Scan (`table.query`, `table.scan`)."""
    items: list[dict[str, Any]] = []
    while True:
        page = operation(**kwargs)
        items.extend(page.get("Items", []))
        if "LastEvaluatedKey" not in page:
            return items
        kwargs = {**kwargs, "ExclusiveStartKey": page["LastEvaluatedKey"]}


def read_page(operation: Any, limit: int, next_token: str | None, **kwargs: Any) -> Page[dict[str, Any]]:
    """Up to `limit` items of a Query or Scan (`table.query`, `table.scan`) and the token of the rest.

    DynamoDB applies `Limit` before a FilterExpression, so this reads on until `limit` items
    matched or the table ends. The token carries the opaque LastEvaluatedKey.
    """
    return read_page_across(operation, [kwargs], limit, next_token)


def read_page_across(
    operation: Any, requests: Sequence[dict[str, Any]], limit: int, next_token: str | None
) -> Page[dict[str, Any]]:
    """Like `read_page`, over several Queries read one after another (one per partition, say).

    The token names the request the next page goes on with (`part`, its index) and, unless that
    request starts afresh, its LastEvaluatedKey, so a page may end in one partition or between two.
    """

    def fetch(count: int, token: str | None) -> Page[dict[str, Any]]:
        part, start_key = _position(token, len(requests)) if token is not None else (0, None)
        request = {**requests[part], "Limit": count}
        if start_key is not None:
            request["ExclusiveStartKey"] = start_key
        response = _read(operation, request, token)
        key = response.get("LastEvaluatedKey")
        if key:
            following: str | None = encode_page_token({"part": part, "key": _serialized(key)})
        else:
            following = encode_page_token({"part": part + 1}) if part + 1 < len(requests) else None
        return Page(response.get("Items", []), following)

    return collect_page(fetch, limit, next_token)


def _read(operation: Any, request: dict[str, Any], token: str | None) -> dict[str, Any]:
    try:
        response: dict[str, Any] = operation(**request)
    except ClientError as error:
        if token is not None and error.response["Error"]["Code"] == "ValidationException":
            raise InvalidPageTokenError(token) from error  # the key of another listing
        raise
    return response


def _serialized(key: dict[str, Any]) -> dict[str, Any]:
    serializer = TypeSerializer()
    return {name: serializer.serialize(value) for name, value in key.items()}


def _position(token: str, parts: int) -> tuple[int, dict[str, Any] | None]:
    position = decode_page_token(token)
    part = position.get("part")
    if type(part) is not int or not 0 <= part < parts:
        raise InvalidPageTokenError(token)
    return part, _deserialized(position["key"], token) if "key" in position else None


def _deserialized(key: Any, token: str) -> dict[str, Any]:
    if not isinstance(key, dict) or not key:
        raise InvalidPageTokenError(token)
    deserializer = TypeDeserializer()
    try:
        return {name: deserializer.deserialize(value) for name, value in key.items()}
    except (TypeError, ValueError, AttributeError) as error:
        raise InvalidPageTokenError(token) from error
