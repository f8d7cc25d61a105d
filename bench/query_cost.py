"""What a Query costs `csms local` as its tables grow, with moto's own Query beside the runtime's.

The Transactions table is filled with sessions of 1,000 chargers (the runtime's queries ask one
charger's sessions, or one partition of an index: the sessions of a status, or a connector's active
one), and each kind of Query is timed at each size, through the runtime's in-process boto3 path.

    python -m bench.query_cost [--sizes 1000 5000 20000] [--repeat 50]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from typing import Any

from csms import tables
from csms.local import moto_dynamodb
from csms.local.aws_backend import AwsBackend, table_name

PREFIX = "query-cost"
CHARGERS = 1000


def _session(n: int) -> dict[str, Any]:
    charger = f"CP{n % CHARGERS:04d}"
    item = {
        "chargePointId": {"S": charger},
        "transactionId": {"S": f"{n:08d}"},
        "startedAt": {"S": f"2026-11-01T00:00:00.{n:06d}Z"},
        "status": {"S": "Completed"},
    }
    if n % 20 == 1:  # a sparse index: some sessions are active
        item["activeOnConnector"] = {"S": f"{charger}#1"}
    return item


def _queries(transactions: str) -> dict[str, dict[str, Any]]:
    return {
        "a charger's sessions (table)": {
            "TableName": transactions,
            "KeyConditionExpression": "chargePointId = :c",
            "ExpressionAttributeValues": {":c": {"S": "CP0001"}},
        },
        "a connector's active session (index)": {
            "TableName": transactions,
            "IndexName": tables.ACTIVE_ON_CONNECTOR_INDEX,
            "KeyConditionExpression": "activeOnConnector = :a",
            "ExpressionAttributeValues": {":a": {"S": "CP0001#1"}},
        },
        "a transaction by id (index)": {
            "TableName": transactions,
            "IndexName": tables.TRANSACTIONS_BY_ID_INDEX,
            "KeyConditionExpression": "transactionId = :t",
            "ExpressionAttributeValues": {":t": {"S": "00000001"}},
        },
    }


def _milliseconds(call: Callable[[], Any], repeat: int) -> float:
    call()  # what was written since the last Query is placed by this one
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 20000], metavar="SESSIONS")
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()

    backend = AwsBackend(table_prefix=PREFIX, dynamodb_process=False)  # where the two Queries can be swapped
    backend.start()
    try:
        db = backend.client("dynamodb")
        transactions = table_name(tables.TRANSACTIONS, PREFIX)
        queries = _queries(transactions)
        print("| sessions | Query | moto's own (ms) | csms local (ms) |\n|---|---|---|---|")
        stored = 0
        for size in sorted(args.sizes):
            for n in range(stored, size):
                db.put_item(TableName=transactions, Item=_session(n))
            stored = size
            for name, query in queries.items():
                moto_dynamodb.queries_by_moto()
                by_moto = _milliseconds(lambda query=query: db.query(**query), args.repeat)
                moto_dynamodb.queries_by_partition()
                by_runtime = _milliseconds(lambda query=query: db.query(**query), args.repeat)
                print(f"| {size} | {name} | {by_moto:.1f} | {by_runtime:.1f} |")
    finally:
        backend.stop()


if __name__ == "__main__":
    main()
