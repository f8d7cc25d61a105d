"""The runtime answers DynamoDB and DynamoDB Streams calls at botocore's `before-call`, by moto's handlers
with no HTTP emulation (`moto_calls`): boto3 gets exactly what it gets through moto's HTTP emulation,
answers and errors alike (an error's modelled fields included), and the journal sees the same writes."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from botocore.exceptions import ClientError

from csms import tables
from csms.local.aws_backend import AwsBackend, table_name
from csms.local.in_process_aws import IN_PROCESS_AWS
from tests.local.moto_backend import started_backend

PREFIX = "calls"


@pytest.fixture(scope="module")
def backend() -> Iterator[AwsBackend]:
    with started_backend(PREFIX) as started:
        yield started


def transactions() -> str:
    return table_name(tables.TRANSACTIONS, PREFIX)


def key(charger: str, transaction_id: str) -> dict[str, Any]:
    return {"chargePointId": {"S": charger}, "transactionId": {"S": transaction_id}}


def session(charger: str, transaction_id: str) -> dict[str, Any]:
    return {
        **key(charger, transaction_id),
        "energy": {"N": "12.5"},
        "meter": {"M": {"values": {"L": [{"N": "1"}, {"S": "x"}, {"BOOL": True}, {"NULL": True}]}}},
        "tags": {"SS": ["a", "b"]},
        "blob": {"B": b"\x00\x01"},
    }


@contextlib.contextmanager
def through_http(*clients: Any) -> Iterator[None]:
    """The clients' calls go through moto's HTTP emulation while the `before-call` answer is taken away."""
    for client in clients:
        client.meta.events.unregister("before-call", IN_PROCESS_AWS.before_call)
    try:
        yield
    finally:
        for client in clients:
            client.meta.events.register_last("before-call", IN_PROCESS_AWS.before_call)


Call = Callable[[Any, Any, str], dict[str, Any]]
# Each call names its own charger (the third argument), so that both paths start from the same items.
CALLS: dict[str, Call] = {
    "GetItem": lambda db, _, cp: db.get_item(TableName=transactions(), Key=key(cp, "1")),
    "GetItem of no item": lambda db, _, cp: db.get_item(TableName=transactions(), Key=key(cp, "9")),
    "GetItem, projected": lambda db, _, cp: db.get_item(
        TableName=transactions(),
        Key=key(cp, "1"),
        ProjectionExpression="#m.#v[1], blob",
        ExpressionAttributeNames={"#m": "meter", "#v": "values"},
    ),
    "Query, a page": lambda db, _, cp: db.query(
        TableName=transactions(),
        KeyConditionExpression="chargePointId = :cp",
        ExpressionAttributeValues={":cp": {"S": cp}},
        Limit=1,
        ReturnConsumedCapacity="TOTAL",
    ),
    "BatchGetItem": lambda db, _, cp: db.batch_get_item(
        RequestItems={transactions(): {"Keys": [key(cp, "1"), key(cp, "2")]}}
    ),
    "TransactGetItems": lambda db, _, cp: db.transact_get_items(
        TransactItems=[{"Get": {"TableName": transactions(), "Key": key(cp, "2")}}]
    ),
    "PutItem, ALL_OLD": lambda db, _, cp: db.put_item(
        TableName=transactions(), Item=session(cp, "1"), ReturnValues="ALL_OLD"
    ),
    "UpdateItem, ALL_NEW": lambda db, _, cp: db.update_item(
        TableName=transactions(),
        Key=key(cp, "1"),
        UpdateExpression="SET energy = energy + :e REMOVE tags",
        ExpressionAttributeValues={":e": {"N": "1.5"}},
        ReturnValues="ALL_NEW",
    ),
    "UpdateItem, condition failed with the item": lambda db, _, cp: db.update_item(
        TableName=transactions(),
        Key=key(cp, "1"),
        UpdateExpression="SET energy = :e",
        ConditionExpression="attribute_not_exists(energy)",
        ExpressionAttributeValues={":e": {"N": "1"}},
        ReturnValuesOnConditionCheckFailure="ALL_OLD",
    ),
    "UpdateItem, invalid expression": lambda db, _, cp: db.update_item(
        TableName=transactions(), Key=key(cp, "1"), UpdateExpression="SET energy = :missing"
    ),
    "DeleteItem, ALL_OLD": lambda db, _, cp: db.delete_item(
        TableName=transactions(), Key=key(cp, "2"), ReturnValues="ALL_OLD"
    ),
    "BatchWriteItem": lambda db, _, cp: db.batch_write_item(
        RequestItems={
            transactions(): [{"PutRequest": {"Item": session(cp, "3")}}, {"DeleteRequest": {"Key": key(cp, "1")}}]
        }
    ),
    "TransactWriteItems, cancelled": lambda db, _, cp: db.transact_write_items(
        TransactItems=[
            {"Put": {"TableName": transactions(), "Item": session(cp, "4")}},
            {
                "ConditionCheck": {
                    "TableName": transactions(),
                    "Key": key(cp, "1"),
                    "ConditionExpression": "attribute_not_exists(chargePointId)",
                    "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
                }
            },
        ]
    ),
    "TransactWriteItems": lambda db, _, cp: db.transact_write_items(
        TransactItems=[{"Put": {"TableName": transactions(), "Item": session(cp, "5")}}]
    ),
    "a table that is not there": lambda db, _, cp: db.get_item(TableName="no-such-table", Key=key(cp, "1")),
    "DescribeStream": lambda _, streams, cp: streams.describe_stream(StreamArn=_stream_arn(streams)),
}


def _stream_arn(streams: Any) -> str:
    arn: str = streams.list_streams(TableName=transactions())["Streams"][0]["StreamArn"]
    return arn


def outcome(call: Callable[[], dict[str, Any]]) -> tuple[str, dict[str, Any]]:
    """The answer, or the error's class and response, without the request's metadata (ids, dates)."""
    try:
        response = call()
        kind = "answer"
    except ClientError as error:
        response, kind = dict(error.response), type(error).__name__
    response.pop("ResponseMetadata", None)
    return kind, response


@pytest.mark.parametrize("name", CALLS)
def test_boto3_gets_what_it_gets_through_motos_http_emulation(backend: AwsBackend, name: str) -> None:
    clients = backend.client("dynamodb"), backend.client("dynamodbstreams")
    for charger in (f"{name}-direct", f"{name}-emulated"):
        for transaction_id in ("1", "2"):
            clients[0].put_item(TableName=transactions(), Item=session(charger, transaction_id))

    got = outcome(lambda: CALLS[name](*clients, f"{name}-direct"))
    with through_http(*clients):
        expected = outcome(lambda: CALLS[name](*clients, f"{name}-emulated"))

    assert got == _renamed(expected, f"{name}-emulated", f"{name}-direct")
    assert got[1] or name == "GetItem of no item"


def _renamed(value: Any, old: str, new: str) -> Any:
    if isinstance(value, dict):
        return {k: _renamed(v, old, new) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_renamed(v, old, new) for v in value)
    return new if value == old else value


def test_the_direct_answer_is_the_one_given(backend: AwsBackend) -> None:
    """Not moto's HTTP emulation: a client whose `before-send` refuses everything still gets its answer."""
    client = backend.client("dynamodb")

    def refuse(**_: Any) -> None:
        raise AssertionError("sent over HTTP")

    client.meta.events.register_first("before-send", refuse)
    try:
        client.put_item(TableName=transactions(), Item=session("direct-only", "1"))
        item = client.get_item(TableName=transactions(), Key=key("direct-only", "1"))["Item"]
    finally:
        client.meta.events.unregister("before-send", refuse)
    assert item == session("direct-only", "1")


def test_the_journal_sees_each_write_that_succeeded_once(backend: AwsBackend) -> None:
    written: list[tuple[str, bytes]] = []
    IN_PROCESS_AWS.record_writes(lambda operation, body: written.append((operation, body)))
    try:
        client = backend.client("dynamodb")
        client.put_item(TableName=transactions(), Item=session("journal", "1"))
        with pytest.raises(ClientError):
            client.put_item(
                TableName=transactions(),
                Item=session("journal", "1"),
                ConditionExpression="attribute_not_exists(energy)",
            )
        client.get_item(TableName=transactions(), Key=key("journal", "1"))
    finally:
        IN_PROCESS_AWS.record_writes(None)
    assert [operation for operation, _ in written] == ["PutItem"]
    assert b'"journal"' in written[0][1]
