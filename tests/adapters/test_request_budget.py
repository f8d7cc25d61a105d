"""What each OCPP message costs in AWS requests, counted on moto through the real `$default` handler.

Counts, not timings: every boto3 request is counted by a botocore `before-call` hook registered on
the default session before the services (and so their clients) are built.
"""

import json
from collections import Counter
from collections.abc import Iterator
from typing import Any

import boto3
import pytest

from csms import constants
from csms.composition import get_services
from csms.handlers.message import handle_message
from csms.settings import get_settings
from csms.wire.versions import OcppVersion

ENDPOINT = "https://abc123.execute-api.us-east-1.amazonaws.com/ocpp"
WRITES = {"PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems"}
V16, V201 = OcppVersion.V16, OcppVersion.V201


class RequestCounter:
    def __init__(self) -> None:
        self.requests: Counter[str] = Counter()
        self.replies: list[list[Any]] = []

    def __call__(self, event_name: str, params: dict[str, Any], **_: Any) -> None:
        _, service, operation = event_name.split(".", 2)
        self.requests[f"{service}.{operation}"] += 1
        if operation == "PostToConnection":
            self.replies.append(json.loads(params["body"]))

    def take(self) -> Counter[str]:
        taken, self.requests = self.requests, Counter()
        return taken


def dynamodb(requests: Counter[str]) -> int:
    return sum(count for name, count in requests.items() if name.startswith("dynamodb."))


def dynamodb_writes(requests: Counter[str]) -> int:
    return sum(requests[f"dynamodb.{operation}"] for operation in WRITES)


@pytest.fixture
def counter(aws: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[RequestCounter]:
    monkeypatch.setenv(constants.ENV_WEBSOCKET_MANAGEMENT_ENDPOINT, ENDPOINT)
    get_settings.cache_clear()
    get_services.cache_clear()
    if boto3.DEFAULT_SESSION is None:
        boto3.setup_default_session()
    session = boto3.DEFAULT_SESSION
    assert session is not None
    counting = RequestCounter()
    session.events.register("before-call", counting)
    yield counting
    session.events.unregister("before-call", counting)


class ChargePoint:
    """Frames through `handle_message`, as API Gateway delivers them after the authorizer.

    It starts connected, its first frame sent: requests are counted from there on.
    """

    def __init__(self, counter: RequestCounter, charge_point_id: str, version: OcppVersion) -> None:
        self.counter = counter
        self.charge_point_id = charge_point_id
        self.version = version
        self._n = 0
        self._connections = 0
        self.connect()
        # The first frame on a connection confirms it is current (see the test of that below).
        self.send("Heartbeat", {})
        counter.take()

    def connect(self) -> None:
        """A new connection, as `$connect` records it."""
        self._connections += 1
        self.connection_id = f"conn-{self.charge_point_id}-{self._connections}"
        get_services().charge_points.connected(self.charge_point_id, self.connection_id, self.version)

    def send(self, action: str, payload: dict[str, Any]) -> None:
        """Send a CALL, which the CSMS must answer with a CALLRESULT (or the budget would prove nothing)."""
        self._n += 1
        message_id = f"m-{self._n}"
        replies_before = len(self.counter.replies)
        event = {
            "requestContext": {
                "routeKey": "$default",
                "eventType": "MESSAGE",
                "connectionId": self.connection_id,
                "messageId": f"apigw-{self._n}",
                "apiId": "abc123",
                "stage": "ocpp",
                "domainName": "abc123.execute-api.us-east-1.amazonaws.com",
                "authorizer": {
                    constants.AUTHORIZER_CHARGE_POINT_ID: self.charge_point_id,
                    constants.AUTHORIZER_OCPP_VERSION: self.version.value,
                    "principalId": self.charge_point_id,
                },
            },
            "body": json.dumps([2, message_id, action, payload]),
            "isBase64Encoded": False,
        }
        assert handle_message(event) == {"statusCode": 200}
        assert len(self.counter.replies) == replies_before + 1
        assert self.counter.replies[-1][:2] == [3, message_id], self.counter.replies[-1]


BOOT = {
    V16: {"chargePointVendor": "Acme", "chargePointModel": "AC-22"},
    V201: {"chargingStation": {"vendorName": "Acme", "model": "DC-50"}, "reason": "PowerUp"},
}
STATUS = {
    V16: {"connectorId": 1, "errorCode": "NoError", "status": "Charging"},
    V201: {"timestamp": "2026-11-23T10:00:00Z", "connectorStatus": "Occupied", "evseId": 1, "connectorId": 1},
}
METER_VALUES = {
    V16: {
        "connectorId": 1,
        "transactionId": 1,
        "meterValue": [{"timestamp": "2026-11-23T10:00:30Z", "sampledValue": [{"value": "1234"}]}],
    },
    V201: {
        "evseId": 1,
        "meterValue": [{"timestamp": "2026-11-23T10:00:30Z", "sampledValue": [{"value": 1234}]}],
    },
}
VERSIONS = [pytest.param(V16, id="1.6"), pytest.param(V201, id="2.0.1")]


@pytest.mark.parametrize("version", VERSIONS)
def test_boot_notification_costs_one_dynamodb_request_and_the_reply(
    counter: RequestCounter, version: OcppVersion
) -> None:
    charge_point = ChargePoint(counter, "CP-1", version)

    charge_point.send("BootNotification", BOOT[version])

    requests = counter.take()
    assert dynamodb(requests) <= 1, requests
    assert requests["apigatewaymanagementapi.PostToConnection"] == 1, requests
    assert sum(requests.values()) <= 2, requests


@pytest.mark.parametrize("version", VERSIONS)
def test_a_second_heartbeat_within_ten_minutes_writes_nothing(counter: RequestCounter, version: OcppVersion) -> None:
    # Given a charge point that has just beaten
    charge_point = ChargePoint(counter, "CP-1", version)
    charge_point.send("Heartbeat", {})
    counter.take()

    # When it beats again
    charge_point.send("Heartbeat", {})

    # Then only the reply is sent
    requests = counter.take()
    assert dynamodb(requests) == 0, requests
    assert requests["apigatewaymanagementapi.PostToConnection"] == 1, requests


@pytest.mark.parametrize("version", VERSIONS)
def test_a_heartbeat_right_after_boot_writes_nothing(counter: RequestCounter, version: OcppVersion) -> None:
    charge_point = ChargePoint(counter, "CP-1", version)
    charge_point.send("BootNotification", BOOT[version])
    counter.take()

    charge_point.send("Heartbeat", {})

    assert dynamodb_writes(counter.take()) == 0


@pytest.mark.parametrize("version", VERSIONS)
def test_status_notification_costs_at_most_one_write(counter: RequestCounter, version: OcppVersion) -> None:
    ChargePoint(counter, "CP-1", version).send("StatusNotification", STATUS[version])

    requests = counter.take()
    assert dynamodb_writes(requests) <= 1, requests
    assert dynamodb(requests) <= 1, requests


@pytest.mark.parametrize("version", VERSIONS)
def test_meter_values_cost_at_most_one_write(counter: RequestCounter, version: OcppVersion) -> None:
    ChargePoint(counter, "CP-1", version).send("MeterValues", METER_VALUES[version])

    requests = counter.take()
    assert dynamodb_writes(requests) <= 1, requests
    assert dynamodb(requests) <= 1, requests


def test_only_the_first_frame_on_a_connection_reads_whether_it_is_current(counter: RequestCounter) -> None:
    # Given a charge point that has just reconnected
    charge_point = ChargePoint(counter, "CP-1", V16)
    charge_point.connect()
    counter.take()

    # When it sends two Heartbeats on its new connection
    charge_point.send("Heartbeat", {})
    first = counter.take()
    charge_point.send("Heartbeat", {})
    second = counter.take()

    # Then only the first costs a read, and neither a write
    assert (first["dynamodb.GetItem"], dynamodb(first)) == (1, 1), first
    assert dynamodb(second) == 0, second


AVAILABLE = {
    V16: {"connectorId": 1, "errorCode": "NoError", "status": "Available"},
    V201: {"timestamp": "2026-11-23T10:00:00Z", "connectorStatus": "Available", "evseId": 1, "connectorId": 1},
}


@pytest.mark.parametrize("version", VERSIONS)
def test_an_available_status_costs_one_write_and_one_query(counter: RequestCounter, version: OcppVersion) -> None:
    # Available is the one status that may end a session left open there: one Query of a sparse index
    ChargePoint(counter, "CP-1", version).send("StatusNotification", AVAILABLE[version])

    requests = counter.take()
    assert dynamodb_writes(requests) == 1, requests
    assert requests["dynamodb.Query"] == 1, requests
    assert dynamodb(requests) == 2, requests


def test_the_counter_sees_the_writes_it_must_count(counter: RequestCounter) -> None:
    # A sanity check of the hook itself: a StatusNotification does write, and is counted
    ChargePoint(counter, "CP-1", V16).send("StatusNotification", STATUS[V16])

    requests = counter.take()
    assert dynamodb_writes(requests) == 1, requests
    assert requests["apigatewaymanagementapi.PostToConnection"] == 1, requests
