"""Converting between domain values and DynamoDB attribute values."""

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
    return _paginate(table.query, kwargs)


def scan_all(table: Any, **kwargs: Any) -> list[dict[str, Any]]:
    """Every item of a paginated Scan."""
    return _paginate(table.scan, kwargs)


def _paginate(operation: Any, kwargs: dict[str, Any]) -> list[dict[str, Any]]:
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
    matched or the table ends. The token is the opaque LastEvaluatedKey.
    """

    def fetch(count: int, token: str | None) -> Page[dict[str, Any]]:
        request = {**kwargs, "Limit": count}
        if token is not None:
            request["ExclusiveStartKey"] = _start_key(token)
        try:
            response = operation(**request)
        except ClientError as error:
            if token is not None and error.response["Error"]["Code"] == "ValidationException":
                raise InvalidPageTokenError(token) from error  # the key of another listing
            raise
        return Page(response.get("Items", []), _page_token(response.get("LastEvaluatedKey")))

    return collect_page(fetch, limit, next_token)


def _page_token(key: dict[str, Any] | None) -> str | None:
    if key is None:
        return None
    serializer = TypeSerializer()
    return encode_page_token({"key": {name: serializer.serialize(value) for name, value in key.items()}})


def _start_key(token: str) -> dict[str, Any]:
    key = decode_page_token(token).get("key")
    if not isinstance(key, dict) or not key:
        raise InvalidPageTokenError(token)
    deserializer = TypeDeserializer()
    try:
        return {name: deserializer.deserialize(value) for name, value in key.items()}
    except (TypeError, ValueError, AttributeError) as error:
        raise InvalidPageTokenError(token) from error
