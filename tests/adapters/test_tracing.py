"""AWS calls traced as X-Ray subsegments (csms.tracing), sent to a stand-in X-Ray daemon."""

import json
import socket
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from botocore.handlers import BUILTIN_HANDLERS

from csms import tracing
from csms.tracing import AwsCallTracer, TraceHeader, daemon_address

ROOT = "1-5759e988-bd862e3fe1be46a994272793"
PARENT = "53995c3f42cd8ad8"
TABLE = "test-ChargePoints"


@pytest.fixture
def daemon() -> Iterator[socket.socket]:
    """A UDP socket where the X-Ray daemon would listen."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    listener.bind(("127.0.0.1", 0))
    listener.settimeout(0.2)
    yield listener
    listener.close()


@pytest.fixture
def sent_headers() -> list[str]:
    return []


@pytest.fixture
def dynamodb(aws: None, daemon: socket.socket, sent_headers: list[str]) -> Any:
    """A DynamoDB client of its own session, traced, that records the trace header each request carries."""
    session = boto3.session.Session()
    for event, handler in AwsCallTracer(daemon.getsockname()).handlers():
        session.events.register(event, handler)

    def record(request: Any, **kwargs: Any) -> None:
        sent_headers.append(request.headers.get("X-Amzn-Trace-Id", b"").decode())

    session.events.register_first("before-send", record)  # before moto answers
    return session.client("dynamodb")


def received(daemon: socket.socket) -> list[dict[str, Any]]:
    documents = []
    while True:
        try:
            datagram = daemon.recv(65536)
        except TimeoutError:
            return documents
        header, _, body = datagram.partition(b"\n")
        assert json.loads(header) == {"format": "json", "version": 1}
        documents.append(json.loads(body))


def test_a_sampled_invocation_sends_each_call_as_a_subsegment_of_its_segment(
    dynamodb: Any, daemon: socket.socket, sent_headers: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("_X_AMZN_TRACE_ID", f"Root={ROOT};Parent={PARENT};Sampled=1;Lineage=a:0")

    dynamodb.get_item(TableName=TABLE, Key={"chargePointId": {"S": "CP-1"}, "itemKey": {"S": "PROFILE"}})

    (subsegment,) = received(daemon)
    assert {key: subsegment[key] for key in ("trace_id", "parent_id", "type", "name", "namespace")} == {
        "trace_id": ROOT,
        "parent_id": PARENT,
        "type": "subsegment",
        "name": "dynamodb",
        "namespace": "aws",
    }
    assert subsegment["aws"]["operation"] == "GetItem"
    assert subsegment["aws"]["table_name"] == TABLE
    assert subsegment["aws"]["region"] == "us-east-1"
    assert subsegment["aws"]["retries"] == 0
    assert subsegment["http"] == {"response": {"status": 200}}
    assert len(subsegment["id"]) == 16
    assert subsegment["start_time"] <= subsegment["end_time"]
    assert not {"error", "fault", "throttle"} & set(subsegment)
    # The service is told which subsegment called it
    assert sent_headers == [f"Root={ROOT};Parent={subsegment['id']};Sampled=1"]


def test_an_error_answer_is_an_error_subsegment_with_its_cause(
    dynamodb: Any, daemon: socket.socket, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("_X_AMZN_TRACE_ID", f"Root={ROOT};Parent={PARENT};Sampled=1")

    with pytest.raises(ClientError):
        dynamodb.get_item(TableName="no-such-table", Key={"k": {"S": "v"}})

    (subsegment,) = received(daemon)
    assert subsegment["error"] is True
    assert subsegment["http"]["response"]["status"] == 400
    assert subsegment["cause"]["exceptions"][0]["type"] == "ResourceNotFoundException"


@pytest.mark.parametrize("trace", [f"Root={ROOT};Parent={PARENT};Sampled=0", None])
def test_nothing_is_sent_for_an_invocation_not_sampled_or_not_traced(
    dynamodb: Any, daemon: socket.socket, monkeypatch: pytest.MonkeyPatch, trace: str | None
) -> None:
    if trace is None:
        monkeypatch.delenv("_X_AMZN_TRACE_ID", raising=False)
    else:
        monkeypatch.setenv("_X_AMZN_TRACE_ID", trace)

    dynamodb.describe_table(TableName=TABLE)

    assert received(daemon) == []


def test_a_daemon_that_cannot_be_reached_fails_no_call(aws: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("_X_AMZN_TRACE_ID", f"Root={ROOT};Parent={PARENT};Sampled=1")
    session = boto3.session.Session()
    for event, handler in AwsCallTracer(("256.0.0.1", 2000)).handlers():  # no such address
        session.events.register(event, handler)

    assert session.client("dynamodb").describe_table(TableName=TABLE)["Table"]["TableName"] == TABLE


def test_nothing_is_installed_where_no_daemon_is_named() -> None:
    before = list(BUILTIN_HANDLERS)
    assert tracing.install({}) is None
    assert before == BUILTIN_HANDLERS


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("169.254.79.129:2000", ("169.254.79.129", 2000)),
        ("tcp:127.0.0.1:2000 udp:127.0.0.2:2001", ("127.0.0.2", 2001)),
        ("udp:127.0.0.2:2001 tcp:127.0.0.1:2000", ("127.0.0.2", 2001)),
    ],
)
def test_daemon_address(value: str, expected: tuple[str, int]) -> None:
    assert daemon_address(value) == expected


def test_trace_header() -> None:
    header = TraceHeader.parse(f"Root={ROOT};Parent={PARENT};Sampled=1;Lineage=a:0")
    assert header == TraceHeader(ROOT, PARENT, sampled=True)
    assert TraceHeader.parse("Root=1-abc") is None
    assert TraceHeader.parse(None) is None
