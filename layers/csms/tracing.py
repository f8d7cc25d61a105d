"""X-Ray subsegments for every AWS call a function makes, without the X-Ray SDK.

Lambda's active tracing records each invocation as a segment; what happens inside it is for the
function to send, as subsegments parented to that segment. The X-Ray SDK does so, and costs about
a third of a cold start to import (PLATFORM.md). This does what the SDK does for boto3 and no more,
with modules a function imports anyway: botocore's `before-call` starts a subsegment and puts it in
the request's trace header (so a Step Functions execution or a queue message joins the trace), and
`after-call` / `after-call-error` send it, one UDP datagram to the X-Ray daemon Lambda runs, when
the invocation is sampled. A datagram that cannot be sent is dropped: tracing never fails a call.

On Lambda, `AWS_XRAY_DAEMON_ADDRESS` names the daemon and `_X_AMZN_TRACE_ID`, set anew for each
invocation, the trace, the invocation's segment and the sampling decision. `install` registers the
handlers for every botocore session made from then on (the functions make their clients at their
first invocation); it does nothing where no daemon is named (`csms local`, the tests).
"""

import contextlib
import json
import os
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from botocore.handlers import BUILTIN_HANDLERS

DAEMON_ADDRESS = "AWS_XRAY_DAEMON_ADDRESS"
TRACE_HEADER = "_X_AMZN_TRACE_ID"
_DAEMON_HEADER = b'{"format":"json","version":1}\n'
_HTTP_HEADER = "X-Amzn-Trace-Id"
# Kept in botocore's per-call context from `before-parameter-build` to `after-call`.
_CONTEXT_KEY = "csms_xray_subsegment"
_TABLE_KEY = "csms_xray_table"
_THROTTLING_CODES = frozenset(
    {"ThrottlingException", "Throttling", "ProvisionedThroughputExceededException", "TooManyRequestsException"}
)


@dataclass(frozen=True)
class TraceHeader:
    """`Root=1-...;Parent=...;Sampled=1` as Lambda sets it for the invocation."""

    root: str
    parent: str
    sampled: bool

    @classmethod
    def parse(cls, value: str | None) -> "TraceHeader | None":
        fields = dict(part.split("=", 1) for part in (value or "").split(";") if "=" in part)
        if "Root" not in fields or "Parent" not in fields:
            return None
        return cls(fields["Root"], fields["Parent"], fields.get("Sampled") == "1")

    def with_parent(self, parent: str) -> str:
        return f"Root={self.root};Parent={parent};Sampled={int(self.sampled)}"


def daemon_address(value: str) -> tuple[str, int]:
    """`host:port`, or `udp:host:port tcp:host:port` as the SDKs accept it: the UDP one."""
    parts = value.split()
    udp = next((part.removeprefix("udp:") for part in parts if part.startswith("udp:")), parts[0])
    host, _, port = udp.rpartition(":")
    return host, int(port)


class AwsCallTracer:
    """botocore event handlers that trace each API call (retries included) as one subsegment."""

    def __init__(self, address: tuple[str, int]) -> None:
        self._address = address
        # Made at the first send, not at import: a SnapStart snapshot holds no socket.
        self._socket: socket.socket | None = None

    @staticmethod
    def before_parameter_build(params: dict[str, Any], context: dict[str, Any], **kwargs: Any) -> None:
        """The call's own parameters: a DynamoDB call names its table (X-Ray shows each table)."""
        table = params.get("TableName")
        if isinstance(table, str):
            context[_TABLE_KEY] = table

    def before_call(self, model: Any, params: dict[str, Any], context: dict[str, Any], **kwargs: Any) -> None:
        header = TraceHeader.parse(os.environ.get(TRACE_HEADER))
        if header is None or not header.sampled:
            return
        subsegment = {
            "id": os.urandom(8).hex(),
            "trace_id": header.root,
            "parent_id": header.parent,
            "type": "subsegment",
            "name": model.service_model.endpoint_prefix,
            "namespace": "aws",
            "start_time": time.time(),
            "aws": {"operation": model.name, "region": context.get("client_region")},
        }
        if _TABLE_KEY in context:
            subsegment["aws"]["table_name"] = context[_TABLE_KEY]
        context[_CONTEXT_KEY] = subsegment
        params.setdefault("headers", {})[_HTTP_HEADER] = header.with_parent(subsegment["id"])

    def after_call(self, http_response: Any, parsed: dict[str, Any], context: dict[str, Any], **kwargs: Any) -> None:
        subsegment = context.pop(_CONTEXT_KEY, None)
        if subsegment is None:
            return
        metadata = parsed.get("ResponseMetadata", {})
        status = int(getattr(http_response, "status_code", 0) or metadata.get("HTTPStatusCode", 0))
        subsegment["aws"]["request_id"] = metadata.get("RequestId")
        subsegment["aws"]["retries"] = metadata.get("RetryAttempts", 0)
        subsegment["http"] = {"response": {"status": status}}
        code = parsed.get("Error", {}).get("Code")
        if status == 429 or code in _THROTTLING_CODES:
            subsegment["throttle"] = True
        if 400 <= status < 500:
            subsegment["error"] = True
        elif status >= 500:
            subsegment["fault"] = True
        if code:
            subsegment["cause"] = {"exceptions": [{"type": code, "message": parsed["Error"].get("Message", "")}]}
        self._send(subsegment)

    def after_call_error(self, exception: BaseException, context: dict[str, Any], **kwargs: Any) -> None:
        """The call raised before any answer (a connection that failed or timed out)."""
        subsegment = context.pop(_CONTEXT_KEY, None)
        if subsegment is None:
            return
        subsegment["fault"] = True
        subsegment["cause"] = {"exceptions": [{"type": type(exception).__name__, "message": str(exception)}]}
        self._send(subsegment)

    def handlers(self) -> list[tuple[str, Callable[..., None]]]:
        """(event, handler) for botocore, in the order they run for a call."""
        return [
            ("before-parameter-build", self.before_parameter_build),
            ("before-call", self.before_call),
            ("after-call", self.after_call),
            ("after-call-error", self.after_call_error),
        ]

    def _send(self, subsegment: dict[str, Any]) -> None:
        subsegment["end_time"] = time.time()
        with contextlib.suppress(OSError):  # tracing never fails a call
            if self._socket is None:
                self._socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            self._socket.sendto(_DAEMON_HEADER + json.dumps(subsegment).encode(), self._address)


def install(environment: dict[str, str] | os._Environ[str] = os.environ) -> AwsCallTracer | None:
    """Trace every botocore session made from now on, if a daemon is named (on Lambda)."""
    address = environment.get(DAEMON_ADDRESS)
    if not address:
        return None
    tracer = AwsCallTracer(daemon_address(address))
    BUILTIN_HANDLERS.extend(tracer.handlers())
    return tracer
