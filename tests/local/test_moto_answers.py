"""The runtime writes moto's DynamoDB and DynamoDB Streams answers with `json.dumps`: boto3 reads
exactly what it reads from moto's own serializer, for every operation the CSMS uses."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from csms import tables
from csms.local import moto_dynamodb
from csms.local.aws_backend import AwsBackend, table_name
from tests.local.moto_backend import started_backend

PREFIX = "answers"


@pytest.fixture(scope="module")
def backend() -> Iterator[AwsBackend]:
    with started_backend(PREFIX) as started:
        try:
            yield started
        finally:
            moto_dynamodb.answers_as_json()


def transactions() -> str:
    return table_name(tables.TRANSACTIONS, PREFIX)


def session(charger: str, transaction_id: str) -> dict[str, Any]:
    return {
        "chargePointId": {"S": charger},
        "transactionId": {"S": transaction_id},
        "energy": {"N": "12.5"},
        "meter": {"M": {"values": {"L": [{"N": "1"}, {"S": "x"}, {"BOOL": True}, {"NULL": True}]}}},
        "tags": {"SS": ["a", "b"]},
        "blob": {"B": b"\x00\x01"},
    }


def answer(call: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    response = call()
    response.pop("ResponseMetadata", None)
    return response


READS: dict[str, Callable[[Any, Any], dict[str, Any]]] = {
    "GetItem": lambda db, _: db.get_item(
        TableName=transactions(), Key={k: session("CP1", "1")[k] for k in ("chargePointId", "transactionId")}
    ),
    "GetItem of no item": lambda db, _: db.get_item(
        TableName=transactions(), Key={"chargePointId": {"S": "none"}, "transactionId": {"S": "0"}}
    ),
    "Query, a page": lambda db, _: db.query(
        TableName=transactions(),
        KeyConditionExpression="chargePointId = :cp",
        ExpressionAttributeValues={":cp": {"S": "CP1"}},
        Limit=2,
    ),
    "Scan": lambda db, _: db.scan(TableName=transactions(), ReturnConsumedCapacity="TOTAL"),
    "BatchGetItem": lambda db, _: db.batch_get_item(
        RequestItems={transactions(): {"Keys": [{"chargePointId": {"S": "CP1"}, "transactionId": {"S": "2"}}]}}
    ),
    "TransactGetItems": lambda db, _: db.transact_get_items(
        TransactItems=[
            {"Get": {"TableName": transactions(), "Key": {"chargePointId": {"S": "CP1"}, "transactionId": {"S": "3"}}}}
        ]
    ),
    "UpdateItem, ALL_NEW": lambda db, _: db.update_item(
        TableName=transactions(),
        Key={"chargePointId": {"S": "CP1"}, "transactionId": {"S": "1"}},
        UpdateExpression="SET energy = :e",
        ExpressionAttributeValues={":e": {"N": "13"}},
        ReturnValues="ALL_NEW",
    ),
    "PutItem, ALL_OLD": lambda db, _: db.put_item(
        TableName=transactions(), Item=session("CP1", "2"), ReturnValues="ALL_OLD"
    ),
    "DescribeTable": lambda db, _: db.describe_table(TableName=transactions()),
    "GetRecords": lambda _, streams: streams.get_records(ShardIterator=_trim_horizon(streams), Limit=5),
}


def _trim_horizon(streams: Any) -> str:
    arn = streams.list_streams(TableName=transactions())["Streams"][0]["StreamArn"]
    shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
    iterator: str = streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="TRIM_HORIZON")[
        "ShardIterator"
    ]
    return iterator


@pytest.mark.parametrize("operation", READS)
def test_boto3_reads_the_same_answer_as_from_motos_serializer(backend: AwsBackend, operation: str) -> None:
    dynamodb, streams = backend.client("dynamodb"), backend.client("dynamodbstreams")
    for n in range(1, 5):
        dynamodb.put_item(TableName=transactions(), Item=session("CP1", str(n)))

    moto_dynamodb.answers_by_moto()
    by_moto = answer(lambda: READS[operation](dynamodb, streams))
    moto_dynamodb.answers_as_json()
    as_json = answer(lambda: READS[operation](dynamodb, streams))

    if operation == "GetRecords":  # each read gets a fresh iterator; the records are the point
        by_moto.pop("NextShardIterator"), as_json.pop("NextShardIterator")
    assert as_json == by_moto
    assert by_moto or operation == "GetItem of no item"
