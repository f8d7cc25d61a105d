"""The runtime's Query of a table reads only the partition it names, and one of an index does not sort the
table first (`moto_dynamodb.queries_by_partition`): every kind of Query answers exactly what moto's own
answers, pages included."""

from __future__ import annotations

import functools
import random
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from csms import tables
from csms.local import moto_dynamodb
from csms.local.aws_backend import AwsBackend, table_name
from tests.local.moto_backend import started_backend

PREFIX = "queries"


@pytest.fixture(scope="module")
def backend() -> Iterator[AwsBackend]:
    with started_backend(PREFIX) as started:
        db = started.client("dynamodb")
        for charger in ("CP1", "CP2", "CP3"):
            for n in (1, 2, 10, 11, 3):
                db.put_item(TableName=transactions(), Item=session(charger, str(n)))
        for token in ("T1", "T2"):
            db.put_item(TableName=id_tokens(), Item={"idToken": {"S": token}, "status": {"S": "Accepted"}})
        try:
            yield started
        finally:
            moto_dynamodb.queries_by_partition()


def transactions() -> str:
    return table_name(tables.TRANSACTIONS, PREFIX)


def id_tokens() -> str:
    return table_name(tables.ID_TOKENS, PREFIX)


def session(charger: str, transaction_id: str) -> dict[str, Any]:
    return {
        "chargePointId": {"S": charger},
        "transactionId": {"S": transaction_id},
        "startedAt": {"S": f"2026-11-{10 + int(transaction_id):02d}"},
        "energy": {"N": transaction_id},
        "status": {"S": "Active" if int(transaction_id) % 2 else "Stopped"},
    }


def of(charger: str, **extra: Any) -> dict[str, Any]:
    return {
        "TableName": transactions(),
        "KeyConditionExpression": "chargePointId = :cp",
        "ExpressionAttributeValues": {":cp": {"S": charger}},
        **extra,
    }


QUERIES: dict[str, dict[str, Any]] = {
    "a partition": of("CP2"),
    "no such partition": of("CP9"),
    "backwards": of("CP1", ScanIndexForward=False),
    "a page": of("CP3", Limit=2),
    "the next page": of(
        "CP3", Limit=2, ExclusiveStartKey={"chargePointId": {"S": "CP3"}, "transactionId": {"S": "10"}}
    ),
    "a sort key range": of(
        "CP1",
        KeyConditionExpression="chargePointId = :cp AND transactionId BETWEEN :a AND :b",
        ExpressionAttributeValues={":cp": {"S": "CP1"}, ":a": {"S": "10"}, ":b": {"S": "2"}},
    ),
    "a sort key prefix": of(
        "CP2",
        KeyConditionExpression="chargePointId = :cp AND begins_with(transactionId, :p)",
        ExpressionAttributeValues={":cp": {"S": "CP2"}, ":p": {"S": "1"}},
    ),
    "a filter and a projection": of(
        "CP1",
        FilterExpression="energy > :e",
        ProjectionExpression="transactionId, energy",
        ExpressionAttributeValues={":cp": {"S": "CP1"}, ":e": {"N": "2"}},
    ),
    "a count": of("CP2", Select="COUNT"),
    "consistent": of("CP2", ConsistentRead=True),
    "an index": {
        "TableName": transactions(),
        "IndexName": tables.TRANSACTIONS_BY_STATUS_INDEX,
        "KeyConditionExpression": "#s = :s",
        "ExpressionAttributeNames": {"#s": "status"},
        "ExpressionAttributeValues": {":s": {"S": "Active"}},
        "Limit": 4,
    },
    "an index, backwards, from a key": {
        "TableName": transactions(),
        "IndexName": tables.TRANSACTIONS_BY_ID_INDEX,
        "KeyConditionExpression": "transactionId = :t AND startedAt > :s",
        "ExpressionAttributeValues": {":t": {"S": "1"}, ":s": {"S": "2026-11-01"}},
        "ScanIndexForward": False,
        "Limit": 2,
        "ExclusiveStartKey": {
            "chargePointId": {"S": "CP3"},
            "transactionId": {"S": "1"},
            "startedAt": {"S": "2026-11-11"},
        },
    },
    "a table without a sort key": {
        "TableName": id_tokens(),
        "KeyConditionExpression": "idToken = :t",
        "ExpressionAttributeValues": {":t": {"S": "T2"}},
    },
}


def answer(call: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    response = call()
    response.pop("ResponseMetadata", None)
    return response


@pytest.mark.parametrize("query", QUERIES)
def test_a_query_answers_as_motos_own(backend: AwsBackend, query: str) -> None:
    db = backend.client("dynamodb")

    moto_dynamodb.queries_by_moto()
    by_moto = answer(lambda: db.query(**QUERIES[query]))
    moto_dynamodb.queries_by_partition()
    by_partition = answer(lambda: db.query(**QUERIES[query]))

    assert by_partition == by_moto
    assert by_moto.get("Items") or query in ("no such partition", "a count")


def test_a_refused_query_is_refused_alike(backend: AwsBackend) -> None:
    db = backend.client("dynamodb")
    refused = of("CP1", KeyConditionExpression="chargePointId = :cp AND energy = :e")

    errors = []
    for install in (moto_dynamodb.queries_by_moto, moto_dynamodb.queries_by_partition):
        install()
        with pytest.raises(db.exceptions.ClientError) as error:
            db.query(**refused)
        errors.append(error.value.response["Error"])
    assert errors[0] == errors[1]


def by_status(status: str) -> dict[str, Any]:
    return {
        "TableName": transactions(),
        "IndexName": tables.TRANSACTIONS_BY_STATUS_INDEX,
        "KeyConditionExpression": "#s = :s",
        "ExpressionAttributeNames": {"#s": "status"},
        "ExpressionAttributeValues": {":s": {"S": status}},
    }


def test_an_index_query_follows_every_kind_of_write(backend: AwsBackend) -> None:
    """Puts, updates that move an item to another partition of the index or out of it, deletes, transactions
    written and failed, and items loaded from a data directory: after each, every partition of the index
    answers as moto's own Query, which reads every item."""
    db = backend.client("dynamodb")
    rng = random.Random(7)
    statuses = ["Active", "Stopped", "Completed"]

    def key(n: int) -> dict[str, Any]:
        return {"chargePointId": {"S": f"CPW{n % 3}"}, "transactionId": {"S": f"w{n}"}}

    def write(step: int) -> None:
        n, status = rng.randrange(12), rng.choice(statuses)
        match step % 6:
            case 0:
                db.put_item(
                    TableName=transactions(), Item={**key(n), "startedAt": {"S": f"s{n}"}, "status": {"S": status}}
                )
            case 1:  # into another partition of the index (or into the index, for an item without a status)
                db.update_item(
                    TableName=transactions(),
                    Key=key(n),
                    UpdateExpression="SET #s = :s, startedAt = :t",
                    ExpressionAttributeNames={"#s": "status"},
                    ExpressionAttributeValues={":s": {"S": status}, ":t": {"S": f"s{n}"}},
                )
            case 2:  # out of the index
                db.update_item(
                    TableName=transactions(),
                    Key=key(n),
                    UpdateExpression="REMOVE #s",
                    ExpressionAttributeNames={"#s": "status"},
                )
            case 3:
                db.delete_item(TableName=transactions(), Key=key(n))
            case 4:
                update = {"TableName": transactions(), "Key": key(n), "UpdateExpression": "SET #s = :s"}
                names_values = {
                    "ExpressionAttributeNames": {"#s": "status"},
                    "ExpressionAttributeValues": {":s": {"S": status}},
                }
                db.transact_write_items(TransactItems=[{"Update": {**update, **names_values}}])
            case 5:  # fails on its second item, after moto wrote the first: put back
                failing = {
                    "Update": {
                        "TableName": transactions(),
                        "Key": key(n),
                        "UpdateExpression": "SET #s = :s, startedAt = :t",
                        "ExpressionAttributeNames": {"#s": "status"},
                        "ExpressionAttributeValues": {":s": {"S": status}, ":t": {"S": f"s{n}"}},
                    }
                }
                never = {
                    "ConditionCheck": {
                        "TableName": transactions(),
                        "Key": key(n + 1),
                        "ConditionExpression": "attribute_exists(nothing)",
                    }
                }
                with pytest.raises(db.exceptions.TransactionCanceledException):
                    db.transact_write_items(TransactItems=[failing, never])

    def partitions_answer_as_motos_own() -> None:
        for status in statuses:
            query = functools.partial(db.query, **by_status(status))
            moto_dynamodb.queries_by_moto()
            by_moto = answer(query)
            moto_dynamodb.queries_by_partition()
            assert answer(query) == by_moto

    partitions_answer_as_motos_own()
    for step in range(120):
        write(step)
        if step % 5 == 4:
            partitions_answer_as_motos_own()

    # A data directory's items put back behind moto's back.
    saved = list(moto_dynamodb.table_items(backend.region, transactions()))
    backend.client("dynamodb").delete_item(TableName=transactions(), Key=key(0))
    moto_dynamodb.load_items(backend.region, transactions(), saved)
    partitions_answer_as_motos_own()
