"""AWS requests and warm handler time per OCPP message, and what a charge point costs a month.

Runs the real `$default` Lambda handler in-process on moto. Every boto3 call is counted by a
botocore `before-call` hook, so the table shows exactly which requests each message causes.
Handler time is measured twice: through moto (dominated by moto's in-process emulation) and
with in-memory repositories (the CPU cost of our own code: decode, validate, dispatch, encode).

    python -m bench.cost_per_message [--iterations N]
"""

import argparse
import json
import os
import statistics
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

import boto3
from moto import mock_aws

from csms import constants, tables

ENVIRONMENT = {
    "AWS_ACCESS_KEY_ID": "bench",
    "AWS_SECRET_ACCESS_KEY": "bench",
    "AWS_DEFAULT_REGION": "us-east-1",
    "POWERTOOLS_TRACE_DISABLED": "true",
    "POWERTOOLS_METRICS_NAMESPACE": constants.METRICS_NAMESPACE,
    "POWERTOOLS_LOG_LEVEL": "WARNING",
    "POWERTOOLS_METRICS_DISABLED": "true",
    constants.ENV_WEBSOCKET_MANAGEMENT_ENDPOINT: "https://bench.execute-api.us-east-1.amazonaws.com/ocpp",
    **{spec.env_var: f"bench-{spec.logical_name}" for spec in tables.TABLES},
}
WRITE_OPERATIONS = {"PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems"}

# (label, version, frame builder taking a sequence number)
Frame = Callable[[int], list[Any]]
SCENARIOS: list[tuple[str, str, Frame]] = [
    (
        "BootNotification",
        "1.6",
        lambda n: [2, f"b{n}", "BootNotification", {"chargePointVendor": "Bench", "chargePointModel": "B1"}],
    ),
    ("Heartbeat", "1.6", lambda n: [2, f"h{n}", "Heartbeat", {}]),
    (
        "StatusNotification",
        "1.6",
        lambda n: [2, f"s{n}", "StatusNotification", {"connectorId": 1, "errorCode": "NoError", "status": "Charging"}],
    ),
    ("Authorize", "1.6", lambda n: [2, f"a{n}", "Authorize", {"idTag": "BENCH"}]),
    (
        "StartTransaction",
        "1.6",
        lambda n: [
            2,
            f"t{n}",
            "StartTransaction",
            # Each on a connector of its own: a new session on a busy connector would end the one running there.
            {
                "connectorId": n + 1,
                "idTag": "BENCH",
                "meterStart": 1000,
                "timestamp": f"2026-11-23T10:{n % 60:02d}:00Z",
            },
        ],
    ),
    (
        "MeterValues",
        "1.6",
        lambda n: [
            2,
            f"m{n}",
            "MeterValues",
            {
                "connectorId": 1,
                "transactionId": 1,
                "meterValue": [
                    {"timestamp": f"2026-11-23T10:{n % 60:02d}:30Z", "sampledValue": [{"value": str(1000 + n)}]}
                ],
            },
        ],
    ),
    (
        "StopTransaction",
        "1.6",
        lambda n: [
            2,
            f"x{n}",
            "StopTransaction",
            {"transactionId": 1, "meterStop": 9000, "timestamp": "2026-11-23T12:00:00Z"},
        ],
    ),
    (
        "BootNotification",
        "2.0.1",
        lambda n: [
            2,
            f"b{n}",
            "BootNotification",
            {"chargingStation": {"vendorName": "Bench", "model": "B2"}, "reason": "PowerUp"},
        ],
    ),
    ("Heartbeat", "2.0.1", lambda n: [2, f"h{n}", "Heartbeat", {}]),
    (
        "StatusNotification",
        "2.0.1",
        lambda n: [
            2,
            f"s{n}",
            "StatusNotification",
            {"timestamp": "2026-11-23T10:00:00Z", "connectorStatus": "Occupied", "evseId": 1, "connectorId": 1},
        ],
    ),
    (
        "TransactionEvent Started",
        "2.0.1",
        lambda n: [
            2,
            f"ts{n}",
            "TransactionEvent",
            {
                "eventType": "Started",
                "timestamp": "2026-11-23T10:00:00Z",
                "triggerReason": "Authorized",
                "seqNo": 0,
                "transactionInfo": {"transactionId": "bench-tx"},
                "idToken": {"idToken": "BENCH", "type": "ISO14443"},
                "evse": {"id": 1, "connectorId": 1},
                "meterValue": [{"timestamp": "2026-11-23T10:00:00Z", "sampledValue": [{"value": 1000}]}],
            },
        ],
    ),
    (
        "TransactionEvent Updated",
        "2.0.1",
        lambda n: [
            2,
            f"tu{n}",
            "TransactionEvent",
            {
                "eventType": "Updated",
                "timestamp": f"2026-11-23T10:{n % 60:02d}:00Z",
                "triggerReason": "MeterValuePeriodic",
                "seqNo": n + 1,
                "transactionInfo": {"transactionId": "bench-tx"},
                "meterValue": [{"timestamp": f"2026-11-23T10:{n % 60:02d}:00Z", "sampledValue": [{"value": 1000 + n}]}],
            },
        ],
    ),
    (
        "TransactionEvent Ended",
        "2.0.1",
        lambda n: [
            2,
            f"te{n}",
            "TransactionEvent",
            {
                "eventType": "Ended",
                "timestamp": "2026-11-23T12:00:00Z",
                "triggerReason": "EVDeparted",
                "seqNo": 999,
                "transactionInfo": {"transactionId": "bench-tx", "stoppedReason": "EVDisconnected"},
                "meterValue": [{"timestamp": "2026-11-23T12:00:00Z", "sampledValue": [{"value": 9000}]}],
            },
        ],
    ),
]

# A charge point connected all month: Heartbeat every 300 s, MeterValues every 60 s for 4 h a day,
# 3 sessions a day, 10 StatusNotifications a day (PLATFORM.md's model: about 16,400 calls).
MONTHLY_MIX_V16 = {
    "Heartbeat": 8640,
    "MeterValues": 7200,
    "StatusNotification": 300,
    "Authorize": 90,
    "StartTransaction": 90,
    "StopTransaction": 90,
    "BootNotification": 1,
}
PRICES = {  # us-east-1, late 2026
    "api_gateway_message": 1.00 / 1e6,
    "connection_minute": 0.25 / 1e6,
    "lambda_request": 0.20 / 1e6,
    "lambda_gb_second": 0.0000133334,
    "dynamodb_write": 0.625 / 1e6,
    "dynamodb_read": 0.125 / 1e6,
}
LAMBDA_MEMORY_GB = 0.5  # the stack gives every function 512 MB
# Billed duration is assumed, not measured here: our CPU time (measured below) plus ~6 ms per
# DynamoDB/API Gateway round trip inside a region.
ROUND_TRIP_MS = 6.0


class RequestCounter:
    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()

    def __call__(self, event_name: str, **_: Any) -> None:
        _, service, operation = event_name.split(".", 2)
        self.calls[f"{service}.{operation}"] += 1

    def take(self) -> Counter[str]:
        taken, self.calls = self.calls, Counter()
        return taken


def _message_event(charge_point_id: str, version: str, frame: list[Any]) -> dict[str, Any]:
    return {
        "requestContext": {
            "routeKey": "$default",
            "eventType": "MESSAGE",
            "connectionId": f"conn-{charge_point_id}",
            "messageId": "m",
            "apiId": "bench",
            "stage": "ocpp",
            "domainName": "bench.example",
            "authorizer": {
                constants.AUTHORIZER_CHARGE_POINT_ID: charge_point_id,
                constants.AUTHORIZER_OCPP_VERSION: version,
                "principalId": charge_point_id,
            },
        },
        "body": json.dumps(frame),
        "isBase64Encoded": False,
    }


def measure(iterations: int) -> list[dict[str, Any]]:
    os.environ.update(ENVIRONMENT)
    rows: list[dict[str, Any]] = []
    with mock_aws():
        dynamodb = boto3.client("dynamodb")
        for spec in tables.TABLES:
            dynamodb.create_table(**spec.create_table_request(ENVIRONMENT[spec.env_var]))
        counter = RequestCounter()
        boto3.setup_default_session()
        assert boto3.DEFAULT_SESSION is not None
        boto3.DEFAULT_SESSION.events.register("before-call", counter)

        from csms.composition import get_services
        from csms.domain.models import IdToken, IdTokenStatus
        from csms.timeutil import SystemClock
        from csms.wire.versions import OcppVersion
        from functions import ocpp_message
        from tests.fakes import RecordingSender  # the in-memory twins measure our own CPU time

        services = get_services()
        services.id_token_administration.register(IdToken("BENCH", IdTokenStatus.ACCEPTED))
        for version in OcppVersion:
            services.charge_points.connected(f"CP-{version.value}", f"conn-CP-{version.value}", version)
        context = _LambdaContext()
        for label, version, build in SCENARIOS:
            counter.take()
            ocpp_message.handler(_message_event(f"CP-{version}", version, build(0)), context)
            first = counter.take()
            timings = []
            for n in range(1, iterations + 1):
                started = time.perf_counter()
                ocpp_message.handler(_message_event(f"CP-{version}", version, build(n)), context)
                timings.append((time.perf_counter() - started) * 1000)
            steady = Counter({op: count / iterations for op, count in counter.take().items()})
            rows.append(
                {
                    "message": label,
                    "version": version,
                    "first": first,
                    "steady": steady,
                    "moto_ms": statistics.median(timings),
                }
            )
        cpu = _cpu_times(iterations, RecordingSender, SystemClock)
    for row in rows:
        row["cpu_ms"] = cpu[(row["message"], row["version"])]
    return rows


def _cpu_times(iterations: int, sender_type: Any, clock_type: Any) -> dict[tuple[str, str], float]:
    """Median time of the dispatcher alone, over in-memory repositories."""
    from csms.composition import compose
    from csms.ocpp.dispatcher import build_dispatcher
    from csms.ocpp.registry import Session
    from csms.settings import get_settings
    from csms.wire.versions import OcppVersion
    from tests import fakes

    services = compose(
        get_settings(),
        fakes.in_memory_repositories(),
        sender_type(),
        clock_type(),
        fakes.RecordingWorkflows(),
        fakes.RecordingPublisher(),
        fakes.RecordingWorkflows(),
        fakes.LocalKeySigner(),
        fakes.RecordingWorkflows(),
    )
    dispatcher = build_dispatcher(services)
    result = {}
    for label, version, build in SCENARIOS:
        session = Session(f"CP-{version}", OcppVersion(version), "conn")
        frames = [json.dumps(build(n)) for n in range(iterations + 1)]
        dispatcher.process(frames[0], session)  # warm: schema validators are loaded on first use
        timings = []
        for frame in frames[1:]:
            started = time.perf_counter()
            dispatcher.process(frame, session)
            timings.append((time.perf_counter() - started) * 1000)
        result[(label, version)] = statistics.median(timings)
    return result


class _LambdaContext:
    function_name = "bench-message"
    memory_limit_in_mb = 256
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:bench-message"
    aws_request_id = "bench"

    def get_remaining_time_in_millis(self) -> int:
        return 29_000


def _format_ops(ops: Counter[str]) -> str:
    return ", ".join(f"{op.split('.', 1)[1]}{'' if n == 1 else f' x{n:g}'}" for op, n in sorted(ops.items())) or "-"


def _writes(ops: Counter[str]) -> float:
    return sum(n for op, n in ops.items() if op.startswith("dynamodb.") and op.split(".")[1] in WRITE_OPERATIONS)


def _reads(ops: Counter[str]) -> float:
    return sum(n for op, n in ops.items() if op.startswith("dynamodb.")) - _writes(ops)


def monthly_cost(rows: list[dict[str, Any]]) -> dict[str, float]:
    by_message = {row["message"]: row for row in rows if row["version"] == "1.6"}
    cost = Counter[str]()
    for message, count in MONTHLY_MIX_V16.items():
        row = by_message[message]
        ops = row["steady"]
        requests = sum(ops.values())
        cost["API Gateway messages"] += count * 2 * PRICES["api_gateway_message"]  # frame in, reply out
        cost["Lambda"] += count * PRICES["lambda_request"]
        billed_ms = row["cpu_ms"] + requests * ROUND_TRIP_MS
        cost["Lambda"] += count * billed_ms / 1000 * LAMBDA_MEMORY_GB * PRICES["lambda_gb_second"]
        cost["DynamoDB"] += count * (_writes(ops) * PRICES["dynamodb_write"] + _reads(ops) * PRICES["dynamodb_read"])
    cost["API Gateway connection minutes"] = 30 * 24 * 60 * PRICES["connection_minute"]
    return dict(cost)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--iterations", type=int, default=50)
    args = parser.parse_args()
    rows = measure(args.iterations)
    print(
        "| message | OCPP | AWS requests per message (steady state) | DynamoDB writes | handler ms (moto) "
        "| our CPU ms |"
    )
    print("|---|---|---|---|---|---|")
    for row in rows:
        print(
            f"| {row['message']} | {row['version']} | {_format_ops(row['steady'])} | {_writes(row['steady']):g} "
            f"| {row['moto_ms']:.2f} | {row['cpu_ms']:.3f} |"
        )
    print()
    print("Where the first message differs from the rest (StopTransaction and TransactionEvent Started/Ended")
    print("repeat one transaction, so the rest are resends, answered without a second write):")
    for row in rows:
        if row["first"] != Counter({op: int(n) for op, n in row["steady"].items() if n}):
            print(f"- {row['message']} ({row['version']}): {_format_ops(row['first'])}")
    cost = monthly_cost(rows)
    print()
    print(
        f"Monthly cost of one OCPP 1.6 charge point ({sum(MONTHLY_MIX_V16.values()):,} calls, "
        f"Lambda {LAMBDA_MEMORY_GB * 1024:.0f} MB arm64, {ROUND_TRIP_MS:g} ms assumed per AWS round trip):"
    )
    for item, dollars in sorted(cost.items()):
        print(f"- {item}: ${dollars:.4f}")
    print(f"- total: ${sum(cost.values()):.4f} per charge point per month")


if __name__ == "__main__":
    main()
