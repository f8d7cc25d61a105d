"""The embedded runtime's DynamoDB behaves as DynamoDB does under concurrent writers.

moto restores deep copies of the tables a failed TransactWriteItems touched, and checks a
condition and writes in two steps: with the handler threads of `csms local` writing at once,
a failed transaction undid other threads' writes and two conditional writes could both pass.
"""

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from botocore.exceptions import ClientError

from csms import tables
from csms.local.aws_backend import AwsBackend, table_name

WRITERS = 4
WRITES_PER_WRITER = 150


@pytest.fixture(scope="module")
def dynamodb() -> Iterator[Any]:
    backend = AwsBackend(table_prefix="concurrency")
    backend.start()
    try:
        yield backend.client("dynamodb")
    finally:
        backend.stop()


def transactions_table() -> str:
    return table_name(tables.TRANSACTIONS, "concurrency")


def test_a_failed_transaction_undoes_no_other_writer(dynamodb: Any) -> None:
    # Given writers putting items while failing TransactWriteItems touch the same table
    table = transactions_table()

    def write(writer: int) -> None:
        for n in range(WRITES_PER_WRITER):
            dynamodb.put_item(
                TableName=table, Item={"chargePointId": {"S": f"W{writer}"}, "transactionId": {"S": str(n)}}
            )

    def fail_transactions() -> None:
        for n in range(WRITES_PER_WRITER):
            with pytest.raises(ClientError):
                dynamodb.transact_write_items(
                    TransactItems=[
                        {
                            "Put": {
                                "TableName": table,
                                "Item": {"chargePointId": {"S": "F"}, "transactionId": {"S": str(n)}},
                                "ConditionExpression": "attribute_exists(chargePointId)",
                            }
                        }
                    ]
                )

    # When they run at once
    with ThreadPoolExecutor(WRITERS + 1) as pool:
        for future in [pool.submit(write, writer) for writer in range(WRITERS)] + [pool.submit(fail_transactions)]:
            future.result()

    # Then every write is still there
    for writer in range(WRITERS):
        count = dynamodb.query(
            TableName=table,
            KeyConditionExpression="chargePointId = :cp",
            ExpressionAttributeValues={":cp": {"S": f"W{writer}"}},
            Select="COUNT",
        )["Count"]
        assert count == WRITES_PER_WRITER, f"writer {writer}: {count} of {WRITES_PER_WRITER} kept"


def test_of_concurrent_conditional_writes_exactly_one_wins(dynamodb: Any) -> None:
    table = transactions_table()

    def claim(attempt: int, key: str) -> bool:
        try:
            dynamodb.put_item(
                TableName=table,
                Item={"chargePointId": {"S": "CLAIM"}, "transactionId": {"S": key}, "by": {"N": str(attempt)}},
                ConditionExpression="attribute_not_exists(chargePointId)",
            )
        except ClientError as error:
            if error.response["Error"]["Code"] != "ConditionalCheckFailedException":
                raise
            return False
        return True

    with ThreadPoolExecutor(8) as pool:
        for key in range(40):
            wins = list(pool.map(claim, range(8), [str(key)] * 8))
            assert wins.count(True) == 1, f"key {key}: {wins.count(True)} conditional writes passed"
