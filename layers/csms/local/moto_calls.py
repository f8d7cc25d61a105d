"""A JSON-protocol AWS call answered by moto's handler for the service, as a call, with no HTTP in between.

Through botocore's and moto's HTTP emulation a call goes: botocore builds, and hands on, an HTTP
request; moto matches its URL against every service's patterns, rebuilds it as a werkzeug request
and reads the region, the account and the parameters back out of it; then botocore reads moto's
HTTP answer. For a GetItem that took 0.9 ms of CPU, against 5 µs in moto's DynamoDB itself, and
the runtime makes several such calls for every OCPP message.

`answer` starts from what botocore has at `before-call`, the operation and the serialized request,
and ends with what botocore would have made of moto's answer (`botocore_reading`): the same request
body, parsed by moto's own parser, goes to the same handler method, whose answer (status, headers,
body) botocore's own parser reads.
What is left out changes nothing moto answers: the request's URL routing (the service is known),
its signature (the runtime's requests are unsigned: `in_process_aws`), moto's request recorder
(off), and its note of the account as seen by IAM.
"""

from __future__ import annotations

from typing import Any

from botocore.awsrequest import AWSResponse
from botocore.model import OperationModel
from moto.core.botocore_stubber import MockRawResponse
from moto.core.exceptions import HTTPException
from moto.core.parse import PROTOCOL_PARSERS, RequestDict
from moto.core.responses import BaseResponse
from moto.core.utils import get_service_model
from moto.utilities.utils import get_partition
from werkzeug.datastructures import Headers, MultiDict

from csms.local.botocore_reading import read_answer


def answer(
    handler_class: type[BaseResponse], operation: OperationModel, request: dict[str, Any], region: str
) -> tuple[AWSResponse, dict[str, Any]]:
    """`(http response, parsed response)` of the call botocore serialized as `request`, for `before-call`."""
    status, headers, body = _moto_answer(handler_class(), operation, request, region)
    http = AWSResponse(request["url"], status, headers, MockRawResponse(body))  # type: ignore[arg-type]
    return http, read_answer(http, operation)


def _moto_answer(
    handler: BaseResponse, operation: OperationModel, request: dict[str, Any], region: str
) -> tuple[int, dict[str, str], str | bytes]:
    """What moto's `BaseResponse.dispatch` answers, set up from the serialized request (`setup_class`'s part)."""
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
            moto_operation = get_service_model(handler.boto3_service_name).operation_model(operation.name)
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
        return handler.call_action()
    except HTTPException as error:
        return error.code or 500, dict(error.get_headers()), error.get_body()
