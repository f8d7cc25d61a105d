"""A JSON-protocol AWS call answered by moto's handler for the service, as a call, with no HTTP in between.

Through botocore's and moto's HTTP emulation a call goes: botocore builds, and hands on, an HTTP
request; moto matches its URL against every service's patterns, rebuilds it as a werkzeug request
and reads the region, the account and the parameters back out of it; then botocore reads moto's
HTTP answer. For a GetItem that took 0.9 ms of CPU, against 5 µs in moto's DynamoDB itself, and
the runtime makes several such calls for every OCPP message.

`answer` starts from what botocore has at `before-call`, the operation's name and the serialized
request, and ends with moto's answer as it would go over HTTP (status, headers, body), which the
caller hands to botocore's own parser (`botocore_reading`): the same request body, parsed by moto's
own parser, goes to the same handler method. Only plain data goes in and out, so the call can be
answered in another process (`dynamodb_process`).
What is left out changes nothing moto answers: the request's URL routing (the service is known),
its signature (the runtime's requests are unsigned: `in_process_aws`), moto's request recorder
(off), and its note of the account as seen by IAM.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from moto.core.exceptions import HTTPException
from moto.core.parse import PROTOCOL_PARSERS, RequestDict
from moto.core.responses import BaseResponse
from moto.core.utils import get_service_model
from moto.utilities.utils import get_partition
from werkzeug.datastructures import Headers, MultiDict


class WireAnswer(NamedTuple):
    """An answer as it would come over HTTP."""

    status: int
    headers: dict[str, str]
    body: str | bytes


def answer(handler_class: type[BaseResponse], operation: str, request: dict[str, Any], region: str) -> WireAnswer:
    """What moto's `BaseResponse.dispatch` answers to the call botocore serialized as `request` (its `method`,
    `url`, `url_path`, `headers` and `body`), set up from that request (`setup_class`'s part)."""
    handler = handler_class()
    body: bytes = request["body"] if isinstance(request["body"], bytes) else request["body"].encode()
    headers = Headers(dict(request["headers"]))  # werkzeug's, as moto reads them: names in any case
    handler.headers = headers
    handler.querystring = {}
    handler.uri_match = {}
    handler.method = request["method"]
    handler.uri = request["url"]
    handler.path = request["url_path"]
    handler.raw_body = body
    handler.body = body.decode()
    handler.response_headers = {"server": "amazon.com"}
    handler.region = region
    handler.partition = get_partition(region)
    handler.current_account = handler.get_current_account()
    try:
        if handler.automated_parameter_parsing:
            moto_operation = get_service_model(handler.boto3_service_name).operation_model(operation)
            parser = PROTOCOL_PARSERS["json"](moto_operation, map_type=handler.PROTOCOL_PARSER_MAP_TYPE)
            request_dict = RequestDict(
                method=handler.method,
                values=MultiDict(),
                headers=headers,
                body=body,
                url_path=handler.path,
                url_params={},
            )
            handler.params = parser.parse(request_dict)
        status, answer_headers, answer_body = handler.call_action()
    except HTTPException as error:
        return WireAnswer(error.code or 500, dict(error.get_headers()), error.get_body())
    return WireAnswer(status, dict(answer_headers), answer_body)
