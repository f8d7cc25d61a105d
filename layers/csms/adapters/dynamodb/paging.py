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
    operation: Any, table: TableSpec, limit: int, next_token: str | None, filtered_by: str = "", **request: Any
) -> Page[dict[str, Any]]:
    """Up to `limit` items of a Query or Scan (`table.query`, `table.scan`) and the token of the rest.

    DynamoDB applies `Limit` before a FilterExpression, so this reads on until `limit` items
    matched or the table ends. `filtered_by` describes a filter the caller applies to the items
    after reading them: it is part of the listing its tokens continue.
    """
    return read_page_across(operation, table, [request], limit, next_token, filtered_by)


def read_page_across(
    operation: Any,
    table: TableSpec,
    requests: Sequence[dict[str, Any]],
    limit: int,
    next_token: str | None,
    filtered_by: str = "",
) -> Page[dict[str, Any]]:
    """Like `read_page`, over several Queries of one index read one after another (one per partition, say).

    The token names the request the next page goes on with (`part`, its index) and, unless that
    request starts afresh, its LastEvaluatedKey, so a page may end in one partition or between two.
    """
    listing = describe_listing(operation, requests, filtered_by)
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


def read_page_merged(
    operation: Any,
    table: TableSpec,
    requests: Sequence[dict[str, Any]],
    limit: int,
    next_token: str | None,
    order_by: str | None = None,
) -> Page[dict[str, Any]]:
    """Up to `limit` items of several Queries of one table or index (one per partition or key range),
    merged in the order of `order_by` (by default the sort key they are read by).

    Every request reads the same index (or the table) in the same direction (`ScanIndexForward`),
    and each returns its items in the order of `order_by`, so together they come as one Query
    would give them. The token holds, per request, the key of the last item taken from it (or
    that it starts afresh, or is done). A page that ends exactly at the last item may still carry
    a token.
    """
    listing = describe_listing(operation, requests)
    index_name = requests[0].get("IndexName")
    key_schema = table.page_key(index_name)
    order = order_by or _sort_key(table, index_name)
    descending = requests[0].get("ScanIndexForward") is False
    streams = [
        _Stream(operation, request, start, next_token)
        for request, start in zip(
            requests, _merged_positions(next_token, listing, key_schema, len(requests)), strict=True
        )
    ]
    items: list[dict[str, Any]] = []
    while len(items) < limit:
        heads = [(stream, stream.head(limit - len(items))) for stream in streams]
        present = [(stream, head) for stream, head in heads if head is not None]
        if not present:
            return Page(items, None)
        pick = max if descending else min
        stream, _ = pick(present, key=lambda candidate: candidate[1][order])
        items.append(stream.take())
    positions = [stream.position(key_schema) for stream in streams]
    if all(position == _DONE for position in positions):
        return Page(items, None)
    return Page(items, listing_token({"at": positions}, listing))


def _sort_key(table: TableSpec, index_name: str | None) -> str:
    sort_key = table.sort_key if index_name is None else next(i.sort_key for i in table.indexes if i.name == index_name)
    assert sort_key is not None, "a merged listing needs an order"
    return sort_key.name


# The position of a Query of a merged listing read to its end.
_DONE: dict[str, Any] = {"done": True}


class _Stream:
    """The items of one Query of a merged listing, read as they are needed."""

    def __init__(self, operation: Any, request: dict[str, Any], start: dict[str, Any] | None, token: str | None):
        self._operation, self._request, self._token = operation, request, token
        self._origin = start  # where this page started reading it
        self._start = start  # ExclusiveStartKey of the next read; `_DONE` once read to the end
        self._buffer: list[dict[str, Any]] = []
        self._last: dict[str, Any] | None = None

    def head(self, wanted: int) -> dict[str, Any] | None:
        while not self._buffer and self._start is not _DONE:
            request = {**self._request, "Limit": wanted}
            if self._start is not None:
                request["ExclusiveStartKey"] = self._start
            response = read(self._operation, request, self._token)
            self._buffer = list(response.get("Items", []))
            self._start = response.get("LastEvaluatedKey") or _DONE
        return self._buffer[0] if self._buffer else None

    def take(self) -> dict[str, Any]:
        self._last = self._buffer.pop(0)
        return self._last

    def position(self, key_schema: Mapping[str, AttributeType]) -> dict[str, Any]:
        if not self._buffer and self._start is _DONE:
            return {"done": True}
        resume = {name: self._last[name] for name in key_schema} if self._last is not None else self._origin
        return {"key": serialized_key(resume)} if resume is not None else {}


def _merged_positions(
    token: str | None, listing: str, key_schema: Mapping[str, AttributeType], parts: int
) -> list[dict[str, Any] | None]:
    """Per request of a merged listing: its ExclusiveStartKey, None to start afresh, `_DONE` when read to the end."""
    if token is None:
        return [None] * parts
    at = listing_position(token, listing).get("at")
    if not isinstance(at, list) or len(at) != parts:
        raise InvalidPageTokenError(token)
    starts: list[dict[str, Any] | None] = []
    for position in at:
        if position == {"done": True}:
            starts.append(_DONE)
        elif position == {}:
            starts.append(None)
        elif isinstance(position, dict) and set(position) == {"key"}:
            starts.append(start_key(position["key"], key_schema, token))
        else:
            raise InvalidPageTokenError(token)
    return starts


def describe_listing(operation: Any, requests: Sequence[Mapping[str, Any]], filtered_by: str = "") -> str:
    """What a listing reads (table, operation, each request but its page parameters, and a filter
    applied after reading), as a stable text."""
    described = [
        {name: _plain(value) for name, value in sorted(request.items()) if name not in _PAGE_PARAMETERS}
        for request in requests
    ]
    return json.dumps(
        [operation.__self__.name, operation.__name__, described, filtered_by], default=str, sort_keys=True
    )


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
