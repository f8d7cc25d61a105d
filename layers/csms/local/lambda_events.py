"""Builders of the events the Lambda handlers are invoked with, shaped like the real ones.

One function per event kind: the WebSocket API's REQUEST authorizer, `$connect`, `$default`
(MESSAGE) and `$disconnect` events, the HTTP API's payload format 2.0 event, and the events of an
SQS and a DynamoDB stream event source mapping. Plus a small stand-in for the Lambda context
object (Powertools reads its attributes when logging).
"""

from __future__ import annotations

import base64
import secrets
import time
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

Headers = Sequence[tuple[str, str]]
"""HTTP headers as received: (name, value) pairs, original case, duplicates kept."""

DEFAULT_REGION = "us-east-1"
DEFAULT_ACCOUNT_ID = "123456789012"  # moto's default account

# Content types API Gateway HTTP APIs pass as text; anything else arrives base64-encoded.
_TEXT_CONTENT_TYPES = (
    "text/",
    "application/json",
    "application/xml",
    "application/javascript",
    "application/x-www-form-urlencoded",
    "application/problem+json",
)


def now_ms() -> int:
    return time.time_ns() // 1_000_000


@dataclass(frozen=True)
class ApiInfo:
    """What identifies an API Gateway API and stage in its events."""

    api_id: str
    stage: str
    domain_name: str
    region: str = DEFAULT_REGION
    account_id: str = DEFAULT_ACCOUNT_ID

    @property
    def domain_prefix(self) -> str:
        return self.domain_name.split(".", 1)[0]


@dataclass
class ConnectionInfo:
    """What API Gateway remembers about one WebSocket connection, for every later event."""

    connection_id: str
    source_ip: str
    user_agent: str | None
    headers: Headers
    query: Sequence[tuple[str, str]] = ()
    connected_at_ms: int = field(default_factory=now_ms)


def new_id() -> str:
    """An id that looks like API Gateway's connection and message ids (base64 of 11 bytes)."""
    return base64.b64encode(secrets.token_bytes(11)).decode()


def _extended_request_id() -> str:
    return base64.b64encode(secrets.token_bytes(12)).decode().rstrip("=")


def _request_time(epoch_ms: int) -> str:
    """`09/Feb/2024:12:00:00 +0000`, API Gateway's `requestTime` format."""
    return time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(epoch_ms / 1000))


def single_value_headers(headers: Headers) -> dict[str, str]:
    """REST/WebSocket-style `headers`: original case, the last value of a repeated header wins."""
    return dict(headers)


def multi_value_headers(headers: Headers) -> dict[str, list[str]]:
    result: dict[str, list[str]] = {}
    for name, value in headers:
        result.setdefault(name, []).append(value)
    return result


def _query_parameters(query: Sequence[tuple[str, str]]) -> tuple[dict[str, str], dict[str, list[str]]]:
    single: dict[str, str] = {}
    multi: dict[str, list[str]] = {}
    for name, value in query:
        single[name] = value
        multi.setdefault(name, []).append(value)
    return single, multi


def _websocket_request_context(
    api: ApiInfo,
    connection: ConnectionInfo,
    *,
    route_key: str,
    event_type: str,
    authorizer: Mapping[str, Any] | None,
) -> dict[str, Any]:
    epoch_ms = now_ms()
    identity: dict[str, Any] = {"sourceIp": connection.source_ip}
    if connection.user_agent is not None:
        identity["userAgent"] = connection.user_agent
    context: dict[str, Any] = {
        "routeKey": route_key,
        "eventType": event_type,
        "extendedRequestId": _extended_request_id(),
        "requestTime": _request_time(epoch_ms),
        "messageDirection": "IN",
        "stage": api.stage,
        "connectedAt": connection.connected_at_ms,
        "requestTimeEpoch": epoch_ms,
        "identity": identity,
        "requestId": _extended_request_id(),
        "domainName": api.domain_name,
        "connectionId": connection.connection_id,
        "apiId": api.api_id,
    }
    if authorizer is not None:
        context["authorizer"] = dict(authorizer)
    return context


def method_arn(api: ApiInfo, route_key: str = "$connect") -> str:
    return f"arn:aws:execute-api:{api.region}:{api.account_id}:{api.api_id}/{api.stage}/{route_key}"


def authorizer_event(api: ApiInfo, connection: ConnectionInfo) -> dict[str, Any]:
    """The REQUEST authorizer event of a WebSocket API's `$connect` route."""
    single_query, multi_query = _query_parameters(connection.query)
    return {
        "type": "REQUEST",
        "methodArn": method_arn(api),
        "headers": single_value_headers(connection.headers),
        "multiValueHeaders": multi_value_headers(connection.headers),
        "queryStringParameters": single_query,
        "multiValueQueryStringParameters": multi_query,
        "stageVariables": {},
        "requestContext": _websocket_request_context(
            api, connection, route_key="$connect", event_type="CONNECT", authorizer=None
        ),
    }


def connect_event(api: ApiInfo, connection: ConnectionInfo, authorizer: Mapping[str, Any] | None) -> dict[str, Any]:
    """The `$connect` route's event (Lambda proxy integration)."""
    event: dict[str, Any] = {
        "headers": single_value_headers(connection.headers),
        "multiValueHeaders": multi_value_headers(connection.headers),
    }
    if connection.query:
        single_query, multi_query = _query_parameters(connection.query)
        event["queryStringParameters"] = single_query
        event["multiValueQueryStringParameters"] = multi_query
    event["requestContext"] = _websocket_request_context(
        api, connection, route_key="$connect", event_type="CONNECT", authorizer=authorizer
    )
    event["isBase64Encoded"] = False
    return event


def message_event(
    api: ApiInfo,
    connection: ConnectionInfo,
    body: str,
    authorizer: Mapping[str, Any] | None,
    *,
    route_key: str = "$default",
    message_id: str | None = None,
) -> dict[str, Any]:
    """A MESSAGE event: one received text frame (message) routed to `route_key`."""
    context = _websocket_request_context(
        api, connection, route_key=route_key, event_type="MESSAGE", authorizer=authorizer
    )
    context["messageId"] = message_id or new_id()
    return {"requestContext": context, "body": body, "isBase64Encoded": False}


def disconnect_event(
    api: ApiInfo,
    connection: ConnectionInfo,
    status_code: int,
    reason: str,
    authorizer: Mapping[str, Any] | None,
) -> dict[str, Any]:
    """The `$disconnect` route's event. API Gateway sends these few placeholder headers."""
    headers = [
        ("Host", api.domain_name),
        ("x-api-key", ""),
        ("X-Forwarded-For", ""),
        ("x-restapi", ""),
    ]
    context = _websocket_request_context(
        api, connection, route_key="$disconnect", event_type="DISCONNECT", authorizer=authorizer
    )
    context["disconnectStatusCode"] = status_code
    context["disconnectReason"] = reason
    return {
        "headers": single_value_headers(headers),
        "multiValueHeaders": multi_value_headers(headers),
        "requestContext": context,
        "isBase64Encoded": False,
    }


def _is_text(content_type: str | None) -> bool:
    if not content_type:
        return True
    media_type = content_type.split(";", 1)[0].strip().lower()
    return media_type.startswith(_TEXT_CONTENT_TYPES) or media_type.endswith(("+json", "+xml"))


def http_api_event(
    api: ApiInfo,
    *,
    method: str,
    raw_path: str,
    raw_query: str,
    query: Sequence[tuple[str, str]],
    headers: Headers,
    body: bytes,
    source_ip: str,
    jwt_claims: Mapping[str, Any] | None = None,
    jwt_scopes: Sequence[str] | None = None,
    route_key: str = "$default",
    path_parameters: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """An HTTP API payload format 2.0 event.

    Headers are lower-cased and repeated ones joined with commas; cookies move to `cookies`;
    repeated query parameters are joined with commas. `jwt_claims` stands for what a JWT
    authorizer would put in `requestContext.authorizer.jwt` (None: a route without authorizer).
    """
    lowered: dict[str, str] = {}
    cookies: list[str] = []
    for name, value in headers:
        key = name.lower()
        if key == "cookie":
            cookies.extend(part.strip() for part in value.split(";") if part.strip())
            continue
        lowered[key] = f"{lowered[key]},{value}" if key in lowered else value
    query_parameters: dict[str, str] = {}
    for name, value in query:
        query_parameters[name] = f"{query_parameters[name]},{value}" if name in query_parameters else value

    epoch_ms = now_ms()
    request_context: dict[str, Any] = {
        "accountId": api.account_id,
        "apiId": api.api_id,
        "domainName": api.domain_name,
        "domainPrefix": api.domain_prefix,
        "http": {
            "method": method,
            "path": raw_path,
            "protocol": "HTTP/1.1",
            "sourceIp": source_ip,
            "userAgent": lowered.get("user-agent", ""),
        },
        "requestId": _extended_request_id(),
        "routeKey": route_key,
        "stage": api.stage,
        "time": _request_time(epoch_ms),
        "timeEpoch": epoch_ms,
    }
    if jwt_claims is not None:
        request_context["authorizer"] = {
            "jwt": {"claims": dict(jwt_claims), "scopes": list(jwt_scopes) if jwt_scopes else None}
        }

    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": route_key,
        "rawPath": raw_path,
        "rawQueryString": raw_query,
    }
    if cookies:
        event["cookies"] = cookies
    event["headers"] = lowered
    if query_parameters:
        event["queryStringParameters"] = query_parameters
    if path_parameters:
        event["pathParameters"] = dict(path_parameters)
    event["requestContext"] = request_context
    if body:
        if _is_text(lowered.get("content-type")):
            try:
                event["body"] = body.decode()
                event["isBase64Encoded"] = False
            except UnicodeDecodeError:
                event["body"] = base64.b64encode(body).decode()
                event["isBase64Encoded"] = True
        else:
            event["body"] = base64.b64encode(body).decode()
            event["isBase64Encoded"] = True
    else:
        event["isBase64Encoded"] = False
    return event


def sqs_event(queue_arn: str, message: Mapping[str, Any], region: str = DEFAULT_REGION) -> dict[str, Any]:
    """An SQS event source mapping's event with one record, from a `ReceiveMessage` message."""
    attributes = dict(message.get("Attributes") or {})
    return {
        "Records": [
            {
                "messageId": message["MessageId"],
                "receiptHandle": message["ReceiptHandle"],
                "body": message["Body"],
                "attributes": attributes,
                "messageAttributes": dict(message.get("MessageAttributes") or {}),
                "md5OfBody": message["MD5OfBody"],
                "eventSource": "aws:sqs",
                "eventSourceARN": queue_arn,
                "awsRegion": region,
            }
        ]
    }


@dataclass
class FakeLambdaContext:
    """Enough of the Lambda context object for Powertools' logger and for handlers."""

    function_name: str
    timeout_seconds: float = 29.0
    region: str = DEFAULT_REGION
    account_id: str = DEFAULT_ACCOUNT_ID
    function_version: str = "$LATEST"
    memory_limit_in_mb: int = 512
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    _deadline: float = field(default=0.0, repr=False)

    def __post_init__(self) -> None:
        self._deadline = time.monotonic() + self.timeout_seconds

    @property
    def invoked_function_arn(self) -> str:
        return f"arn:aws:lambda:{self.region}:{self.account_id}:function:{self.function_name}"

    @property
    def log_group_name(self) -> str:
        return f"/aws/lambda/{self.function_name}"

    @property
    def log_stream_name(self) -> str:
        return f"{time.strftime('%Y/%m/%d')}/[{self.function_version}]local"

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.monotonic()) * 1000))


def lambda_context(function_name: str, timeout_seconds: float = 29.0) -> FakeLambdaContext:
    """A fresh context per invocation (new request id, new deadline)."""
    return FakeLambdaContext(function_name=function_name, timeout_seconds=timeout_seconds)


def dynamodb_stream_event(
    stream_arn: str, records: Sequence[Mapping[str, Any]], region: str = DEFAULT_REGION
) -> dict[str, Any]:
    """A DynamoDB event source mapping's event, from `GetRecords` records of the stream `stream_arn`.

    As Lambda hands them over: with `eventSourceARN`, and `ApproximateCreationDateTime` in epoch seconds.
    """
    converted = []
    for record in records:
        dynamodb = dict(record["dynamodb"])
        created = dynamodb.get("ApproximateCreationDateTime")
        if isinstance(created, datetime):
            dynamodb["ApproximateCreationDateTime"] = int(created.timestamp())
        converted.append(
            {**record, "dynamodb": dynamodb, "eventSourceARN": stream_arn, "awsRegion": record.get("awsRegion", region)}
        )
    return {"Records": converted}
