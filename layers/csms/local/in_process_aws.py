"""The runtime's AWS requests, answered in this process instead of over HTTP.

botocore lets a `before-call` handler answer a call before it is made into an HTTP request, and a
`before-send` handler answer the request instead of sending it; moto's own stubber is one of the
latter. botocore keeps the first answer, so `InProcessAws` answers at `before-call` what it answers
as a call, and takes the stubber's place at `before-send`, for every boto3 client made in this
process (the handlers' included: their code is the code that runs on AWS), passing on to the stubber
what it does not answer itself. Its `before-call` handler is registered last, after any other (a
request counter's, say). While enabled it answers:

* calls to the local WebSocket API's management endpoint (`PostToConnection`, ...): handed to the
  gateway's management API on its event loop, as a call, with no HTTP hop; botocore reads the
  answer as it reads one sent over HTTP (`botocore_reading`);
* DynamoDB and DynamoDB Streams calls: by the `DynamoDbService` given to `use_dynamodb` (moto's
  handlers for them, one call at a time, in a process of its own or in this one): the request as
  botocore serialized it, the answer as botocore parses it, without the HTTP emulation in between,
  which cost several times moto's own work. Each call that adds records to a table's stream sets
  `stream_written(table)`, and each write that succeeded is passed to `on_write` (an observer, such
  as a benchmark's write counter; the data directory's journal is the service's own);
* Step Functions' SendTaskSuccess, SendTaskFailure and SendTaskHeartbeat: by moto's stubber, except that
  while another execution is only starting (moto looks for the token in every running execution, and one
  whose worker has not started has none to look in: an AttributeError) the token is refused as
  `InvalidToken`, as Step Functions refuses one it does not know yet, which the callers retry;
* requests to the FleetFiles endpoint (`route_s3`, `csms.local.s3_files`): by moto's S3, as if sent to
  `s3.amazonaws.com` (path-style, so the bucket and key stay in the path), with no HTTP hop;
* anything else: by moto's stubber.

Requests answered here are not signed (a `choose-signer` handler, also registered for every
session): nothing checks the signature, and signing cost about a tenth of a call. S3 requests and presigned URLs
are signed.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Coroutine
from typing import Any, Protocol
from urllib.parse import urlsplit

from botocore import UNSIGNED
from botocore.awsrequest import AWSPreparedRequest, AWSResponse
from botocore.handlers import BUILTIN_HANDLERS, REGISTER_LAST
from botocore.model import OperationModel
from moto.core.botocore_stubber import MockRawResponse
from moto.core.models import botocore_stubber

from csms.local.botocore_reading import read_answer
from csms.local.dynamodb_service import SERVICES, ServiceAnswer, succeeded_write, wire_request

_MANAGEMENT_SERVICE = "apigatewaymanagementapi"
_TASK_TOKEN_TARGETS = frozenset(
    f"AWSStepFunctions.{operation}" for operation in ("SendTaskSuccess", "SendTaskFailure", "SendTaskHeartbeat")
)

ManagementAnswer = tuple[int, list[tuple[str, str]], bytes]
ManagementCall = Callable[[str, str, bytes], Coroutine[Any, Any, ManagementAnswer]]
"""`(method, path, body) -> (status, headers, body)` of the management API, run on its event loop."""
WriteListener = Callable[[str, bytes], None]
"""`(operation, request body)` of a DynamoDB write that succeeded."""


class DynamoDb(Protocol):
    """What answers DynamoDB calls: a `DynamoDbService`, or a `DynamoDbProcess` running one."""

    def answer(self, service: str, operation: str, request: dict[str, Any], region: str) -> ServiceAnswer: ...


# Where moto's S3 answers a path-style request (`route_s3`).
_MOTO_S3_ENDPOINT = "https://s3.amazonaws.com"
# A management API call not answered in this time (the gateway's loop stopped under it) is
# answered as for a connection that is gone; a stuck client is cut off well before (`front_door`).
MANAGEMENT_CALL_TIMEOUT_SECONDS = 10.0


class InProcessAws:
    def __init__(self) -> None:
        self.enabled = False
        self._dynamodb: DynamoDb | None = None
        self._streams_written: dict[str, threading.Event] = {}
        self._management: tuple[str, ManagementCall, asyncio.AbstractEventLoop] | None = None
        self._on_write: WriteListener | None = None
        self._s3_endpoint: str | None = None

    def route_s3(self, endpoint: str) -> None:
        """Answer requests under `endpoint` (scheme, authority and path prefix) with moto's S3."""
        self._s3_endpoint = endpoint.rstrip("/")

    def route_management_api(self, endpoint: str, call: ManagementCall, loop: asyncio.AbstractEventLoop) -> None:
        """Answer requests to `endpoint` (scheme and authority) with `call`, run on `loop`."""
        self._management = (_authority(endpoint), call, loop)

    def use_dynamodb(self, dynamodb: DynamoDb | None) -> None:
        self._dynamodb = dynamodb

    def record_writes(self, on_write: WriteListener | None) -> None:
        self._on_write = on_write

    def stream_written(self, table_name: str) -> threading.Event:
        """Set when a call adds records to the stream of `table_name` (its reader clears it before reading)."""
        return self._streams_written.setdefault(table_name, threading.Event())

    def reset(self) -> None:
        self.enabled = False
        self._dynamodb = None
        self._management = None
        self._on_write = None
        self._s3_endpoint = None

    def __call__(self, request: AWSPreparedRequest, **kwargs: Any) -> AWSResponse | None:
        if not self.enabled:
            return botocore_stubber(request=request, **kwargs)
        s3_endpoint = self._s3_endpoint
        if s3_endpoint is not None and request.url.startswith(s3_endpoint + "/"):
            request.url = moto_s3_url(request.url.removeprefix(s3_endpoint))
            request.headers["Host"] = urlsplit(request.url).netloc  # moto reads a bucket from the host
            return botocore_stubber("before-send", request)
        if _header(request, "X-Amz-Target") in _TASK_TOKEN_TARGETS:
            return self._task_token(request)
        return botocore_stubber("before-send", request)

    def before_call(
        self, model: OperationModel, params: dict[str, Any], context: dict[str, Any], **_: Any
    ) -> tuple[AWSResponse, dict[str, Any]] | None:
        """`before-call`: a call to the local management API answered by the gateway; a DynamoDB or DynamoDB
        Streams call by the DynamoDB service."""
        if not self.enabled:
            return None
        service_id = model.service_model.service_id.hyphenize()
        management = self._management
        if service_id == _MANAGEMENT_SERVICE and management is not None and _authority(params["url"]) == management[0]:
            http = self._call_management_api(params["method"], params["url"], params["body"], *management[1:])
            return http, read_answer(http, model)
        dynamodb = self._dynamodb
        if service_id not in SERVICES or dynamodb is None:
            return None
        status, headers, body, streams_written = dynamodb.answer(
            service_id, model.name, wire_request(params), context["client_region"]
        )
        for table_name in streams_written:
            self.stream_written(table_name).set()
        on_write = self._on_write
        if on_write is not None and succeeded_write(service_id, model.name, status):
            on_write(model.name, params["body"])
        http = AWSResponse(params["url"], status, headers, MockRawResponse(body))  # type: ignore[arg-type]
        return http, read_answer(http, model)

    def choose_signer(self, signing_name: str = "", **_: Any) -> object:
        """`choose-signer`: no signature while enabled, except for S3 (moto takes an unsigned request for an
        anonymous one, refused on a private object; and a charger is given a presigned URL as on AWS);
        botocore's choice otherwise."""
        return UNSIGNED if self.enabled and signing_name != "s3" else None

    @staticmethod
    def _task_token(request: AWSPreparedRequest) -> AWSResponse | None:
        try:
            return botocore_stubber("before-send", request)
        except AttributeError:  # an execution whose worker has not started yet
            headers = {"x-amzn-ErrorType": "InvalidToken", "Content-Type": "application/x-amz-json-1.0"}
            body = b'{"__type": "InvalidToken", "message": "An execution is starting: try again"}'
            return AWSResponse(request.url, 400, headers, MockRawResponse(body))  # type: ignore[arg-type]

    @staticmethod
    def _call_management_api(
        method: str, url: str, body: bytes | str, call: ManagementCall, loop: asyncio.AbstractEventLoop
    ) -> AWSResponse:
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            raise RuntimeError("the management API was called from the gateway's own event loop")
        content = body.encode() if isinstance(body, str) else bytes(body)
        future = asyncio.run_coroutine_threadsafe(call(method, urlsplit(url).path, content), loop)
        try:
            status, headers, body = future.result(MANAGEMENT_CALL_TIMEOUT_SECONDS)
        except TimeoutError:
            future.cancel()
            status, headers = 410, [("x-amzn-ErrorType", "GoneException"), ("Content-Type", "application/json")]
            body = b'{"message": "The gateway did not answer in time"}'

        return AWSResponse(url, status, dict(headers), MockRawResponse(body))  # type: ignore[arg-type]


def moto_s3_url(path_and_query: str) -> str:
    """The URL moto's S3 answers for a path-style `/{bucket}/{key}?{query}`."""
    return _MOTO_S3_ENDPOINT + path_and_query


def _authority(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def _header(request: AWSPreparedRequest, name: str) -> str:
    value = request.headers.get(name, "")
    return value.decode() if isinstance(value, bytes) else str(value)


def _install() -> InProcessAws:
    """One dispatcher for the process, in the place of moto's stubber in every botocore session made from now on."""
    dispatcher = InProcessAws()
    position = next(index for index, registration in enumerate(BUILTIN_HANDLERS) if registration[1] is botocore_stubber)
    BUILTIN_HANDLERS[position] = ("before-send", dispatcher)
    BUILTIN_HANDLERS.insert(0, ("choose-signer", dispatcher.choose_signer))  # ahead of botocore's own
    BUILTIN_HANDLERS.append(("before-call", dispatcher.before_call, REGISTER_LAST))
    return dispatcher


IN_PROCESS_AWS = _install()
