"""Converting between domain values and DynamoDB attribute values."""

import time
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Any, TypeVar

from csms.timeutil import format_timestamp, parse_timestamp

T = TypeVar("T")


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


def count_all(table: Any, **kwargs: Any) -> int:
    """How many items a paginated Query matches (`Select=COUNT`: none of them is returned)."""
    count = 0
    while True:
        page = table.query(Select="COUNT", **kwargs)
        count += int(page["Count"])
        if "LastEvaluatedKey" not in page:
            return count
        kwargs = {**kwargs, "ExclusiveStartKey": page["LastEvaluatedKey"]}


# BatchGetItem reads at most this many keys per request.
BATCH_GET_LIMIT = 100
BATCH_GET_ATTEMPTS = 5


def get_all(table: Any, keys: list[dict[str, Any]], projection: str | None = None) -> list[dict[str, Any]]:
    """The items of `keys` that exist, in no particular order (BatchGetItem, keys it left unprocessed read again);
    only the attributes `projection` names, when given."""
    client = table.meta.client  # the resource's client: it (de)serializes attribute values like the Table API
    items: list[dict[str, Any]] = []
    for start in range(0, len(keys), BATCH_GET_LIMIT):
        reads: dict[str, Any] = {"Keys": keys[start : start + BATCH_GET_LIMIT]}
        if projection is not None:
            reads["ProjectionExpression"] = projection
        request: dict[str, Any] = {table.name: reads}
        for attempt in range(BATCH_GET_ATTEMPTS):
            if attempt:
                time.sleep(0.05 * 2**attempt)  # unprocessed keys: the table is throttling, back off
            response = client.batch_get_item(RequestItems=request)
            items.extend(response.get("Responses", {}).get(table.name, []))
            request = response.get("UnprocessedKeys") or {}
            if not request:
                break
        else:
            raise RuntimeError(f"BatchGetItem left keys unprocessed after {BATCH_GET_ATTEMPTS} attempts")
    return items


# An item as a DynamoDB stream record shows it (empty: no item), deserialized like the Table API does.
Image = dict[str, Any]


def images(old: Image, new: Image, decode: Callable[[Image], T]) -> tuple[T | None, T | None]:
    """A stream record's old and new image, each decoded like a read item (None: no item)."""
    return (decode(old) if old else None, decode(new) if new else None)
