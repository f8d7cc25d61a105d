"""The data directory: the tables survive a stop, a kill and a torn journal, one runtime at a time."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError

from csms import tables
from csms.local import data_directory
from csms.local.aws_backend import AwsBackend, table_name
from csms.local.data_directory import DataDirectory, DataDirectoryError, DataDirectoryInUse
from tests.local.processes import ended

PREFIX = "durable"
REPO = Path(__file__).resolve().parents[2]


def transactions() -> str:
    return table_name(tables.TRANSACTIONS, PREFIX)


def id_tokens() -> str:
    return table_name(tables.ID_TOKENS, PREFIX)


@pytest.fixture
def directory(tmp_path: Path) -> Path:
    return tmp_path / "data"


def started(directory: Path, *, dynamodb_process: bool = True) -> AwsBackend:
    backend = AwsBackend(table_prefix=PREFIX, data_dir=directory, dynamodb_process=dynamodb_process)
    backend.start()
    return backend


def session(charger: str, transaction_id: str, **extra: Any) -> dict[str, Any]:
    return {"chargePointId": {"S": charger}, "transactionId": {"S": transaction_id}, **extra}


def count(dynamodb: Any, counter: str) -> int:
    item = dynamodb.get_item(TableName=id_tokens(), Key={"idToken": {"S": counter}}).get("Item")
    return int(item["n"]["N"]) if item else 0


def add_one(dynamodb: Any, counter: str) -> None:
    dynamodb.update_item(
        TableName=id_tokens(),
        Key={"idToken": {"S": counter}},
        UpdateExpression="ADD n :one",
        ExpressionAttributeValues={":one": {"N": "1"}},
    )


def everything(dynamodb: Any) -> dict[str, list[dict[str, Any]]]:
    return {name: sorted(dynamodb.scan(TableName=name)["Items"], key=str) for name in (transactions(), id_tokens())}


def test_puts_updates_deletes_and_transactions_are_there_after_a_restart(directory: Path) -> None:
    # Given writes of every kind, one transaction that failed among them
    backend = started(directory)
    dynamodb = backend.client("dynamodb")
    for n in range(5):
        dynamodb.put_item(TableName=transactions(), Item=session("CP1", str(n), energy={"N": str(n * 100)}))
        add_one(dynamodb, "counter")
    dynamodb.delete_item(TableName=transactions(), Key=session("CP1", "0"))
    dynamodb.transact_write_items(
        TransactItems=[
            {"Put": {"TableName": transactions(), "Item": session("CP2", "1")}},
            {
                "Update": {
                    "TableName": id_tokens(),
                    "Key": {"idToken": {"S": "counter"}},
                    "UpdateExpression": "ADD n :one",
                    "ExpressionAttributeValues": {":one": {"N": "1"}},
                }
            },
        ]
    )
    with pytest.raises(ClientError, match="TransactionCanceled"):
        dynamodb.transact_write_items(
            TransactItems=[
                {"Put": {"TableName": transactions(), "Item": session("CP3", "1")}},
                {
                    "Put": {
                        "TableName": transactions(),
                        "Item": session("CP1", "1"),
                        "ConditionExpression": "attribute_not_exists(chargePointId)",
                    }
                },
            ]
        )
    before = everything(dynamodb)
    backend.stop()

    # When the runtime starts again on the same directory
    backend = started(directory)
    try:
        dynamodb = backend.client("dynamodb")
        # Then every table is as it was, and the counter goes on from where it was
        assert everything(dynamodb) == before
        assert count(dynamodb, "counter") == 6
        add_one(dynamodb, "counter")
        assert count(dynamodb, "counter") == 7
        assert backend.restored is not None
        # replayed from the journal: 5 puts, 5 updates, the delete and the transaction that succeeded
        assert (backend.restored.items, backend.restored.writes) == (0, 12)
    finally:
        backend.stop()


def test_restored_items_are_not_told_to_the_stream_again(directory: Path) -> None:
    backend = started(directory)
    backend.client("dynamodb").put_item(TableName=transactions(), Item=session("CP1", "1"))
    backend.stop()

    backend = started(directory)
    try:
        streams = backend.client("dynamodbstreams")
        arn = streams.list_streams(TableName=transactions())["Streams"][0]["StreamArn"]
        shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
        iterator = streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="TRIM_HORIZON")
        assert streams.get_records(ShardIterator=iterator["ShardIterator"])["Records"] == []
    finally:
        backend.stop()


def test_a_second_runtime_cannot_use_the_directory_while_one_runs(directory: Path) -> None:
    backend = started(directory)
    try:
        with pytest.raises(DataDirectoryInUse):
            DataDirectory(directory, backend.region).open({})
    finally:
        backend.stop()


def test_the_journal_is_checkpointed_while_running(directory: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(data_directory, "_MIN_WRITES_BEFORE_CHECKPOINT", 10)
    backend = started(directory, dynamodb_process=False)  # the directory in this process, with the patched limit
    dynamodb = backend.client("dynamodb")
    for _n in range(25):
        add_one(dynamodb, "counter")
    journals = sorted(path.name for path in directory.glob("journal-*.jsonl"))
    backend.stop()

    assert journals == ["journal-3.jsonl"]  # generation 1 at start, then one checkpoint per 10 writes
    backend = started(directory)
    try:
        assert count(backend.client("dynamodb"), "counter") == 25
    finally:
        backend.stop()


KILLED_WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from csms.local.aws_backend import AwsBackend
    from tests.local.test_data_directory import PREFIX, add_one

    backend = AwsBackend(table_prefix=PREFIX, data_dir=Path(sys.argv[1]))
    backend.start()
    dynamodb = backend.client("dynamodb")
    for n in range(40):
        add_one(dynamodb, "counter")
    print("written", backend.dynamodb_pid, flush=True)
    sys.stdin.read()  # until killed
    """
)


def test_after_a_kill_every_answered_write_is_there_and_a_torn_last_line_is_dropped(directory: Path) -> None:
    # Given a runtime killed with SIGKILL after 40 answered writes
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO / "layers"), str(REPO)])}
    writer = subprocess.Popen(  # noqa: S603 - this interpreter, this test's script
        [sys.executable, "-c", KILLED_WRITER, str(directory)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env=environment,
        cwd=REPO,
    )
    try:
        assert writer.stdout is not None
        written, dynamodb_pid = writer.stdout.readline().split()
        assert written == b"written"
    finally:
        writer.send_signal(signal.SIGKILL)
        writer.wait()
    # its DynamoDB process ends with it, having put the journal on disk
    assert ended(int(dynamodb_pid))
    # and a write it was making when it died, cut short
    (journal,) = directory.glob("journal-*.jsonl")
    with journal.open("ab") as torn:
        torn.write(b'UpdateItem\t{"TableName": "durable-IdTok')

    # When the runtime starts again
    backend = started(directory)
    try:
        # Then all 40 writes are there, and the torn one is not
        assert count(backend.client("dynamodb"), "counter") == 40
    finally:
        backend.stop()


def test_a_snapshot_that_does_not_parse_stops_the_start_and_says_where(directory: Path) -> None:
    backend = started(directory)
    backend.client("dynamodb").put_item(TableName=transactions(), Item=session("CP1", "1"))
    backend.stop()
    snapshot = directory / "snapshot.jsonl"
    snapshot.write_bytes(snapshot.read_bytes() + b'{"table": "Transactions", "item": {"chargeP')

    with pytest.raises(DataDirectoryError, match=r"snapshot.jsonl: line \d+ is not a snapshot entry"):
        started(directory)
    # and the directory is free again for a start once it is mended
    snapshot.write_bytes(snapshot.read_bytes().rsplit(b"\n", 1)[0] + b"\n")
    started(directory).stop()
