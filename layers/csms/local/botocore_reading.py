"""What botocore makes of an HTTP answer to a call, for a `before-call` handler that answers the call itself.

botocore's endpoint reads an answer in these steps (`Endpoint._do_get_response`): the protocol's
parser reads the status, headers and body against the operation's output shape, or, for an error,
reads the error and then its modelled fields (a transaction's cancellation reasons, the item of a
failed condition) against the error's shape. The client raises the error from what is read.
"""

from __future__ import annotations

from typing import Any

from botocore.awsrequest import AWSResponse
from botocore.endpoint import convert_to_response_dict
from botocore.model import OperationModel
from botocore.parsers import ResponseParserFactory

_PARSERS = ResponseParserFactory()


def read_answer(http: AWSResponse, operation: OperationModel) -> dict[str, Any]:
    """The parsed response botocore would hand to the client for `http`, sent once (no retry)."""
    parser = _PARSERS.create_parser(operation.metadata["protocol"])
    response = convert_to_response_dict(http, operation)
    parsed: dict[str, Any] = parser.parse(response, operation.output_shape)  # type: ignore[arg-type]  # None: no output
    if http.status_code >= 300:
        code = parsed.get("Error", {}).get("Code")
        error_shape = operation.service_model.shape_for_error_code(code) if code else None
        if error_shape is not None:
            parsed.update(parser.parse(response, error_shape))
    parsed.setdefault("ResponseMetadata", {})["RetryAttempts"] = 0
    return parsed
