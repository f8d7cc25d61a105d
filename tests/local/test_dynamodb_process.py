"""`csms local`'s DynamoDB in a process of its own (`dynamodb_process`): every thread gets its own answers, errors
and their modelled fields cross over, writes signal the streams' readers, and the process belongs to the runtime."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError

from csms import tables
from csms.local.aws_backend import AwsBackend, table_name
from csms.local.dynamodb_process import DynamoDbProcess, DynamoDbProcessGone
from tests.local.moto_backend import started_backend
from tests.local.processes import ended

PREFIX = "process"
THREADS = 8
CALLS_PER_THREAD = 40


@pytest.fixture(scope="module")
def backend() -> Iterator[AwsBackend]:
    with started_backend(PREFIX, dynamodb_process=True) as started:
        yield started


def id_tokens() -> str:
    return table_name(tables.ID_TOKENS, PREFIX)


def transactions() -> str:
    return table_name(tables.TRANSACTIONS, PREFIX)


def test_dynamodb_runs_in_a_process_of_its_own(backend: AwsBackend) -> None:
    assert backend.dynamodb_pid is not None
    assert backend.dynamodb_pid != os.getpid()
    # its own session: a terminal's Ctrl-C goes to the runtime, which stops it in its own time
    assert os.getsid(backend.dynamodb_pid) != os.getsid(0)


def test_each_thread_gets_the_answers_to_its_own_calls(backend: AwsBackend) -> None:
    dynamodb = backend.client("dynamodb")

    def calls(thread: int) -> list[str]:
        read = []
        for n in range(CALLS_PER_THREAD):
            token = f"T{thread}-{n}"
            dynamodb.put_item(TableName=id_tokens(), Item={"idToken": {"S": token}, "thread": {"N": str(thread)}})
            item = dynamodb.get_item(TableName=id_tokens(), Key={"idToken": {"S": token}})["Item"]
            read.append(item["idToken"]["S"])
        return read

    with ThreadPoolExecutor(THREADS) as pool:
        answers = list(pool.map(calls, range(THREADS)))

    assert answers == [[f"T{thread}-{n}" for n in range(CALLS_PER_THREAD)] for thread in range(THREADS)]


def test_conditional_writes_from_many_threads_are_one_at_a_time(backend: AwsBackend) -> None:
    dynamodb = backend.client("dynamodb")

    def claim(thread: int) -> bool:
        try:
            dynamodb.put_item(
                TableName=id_tokens(),
                Item={"idToken": {"S": "claimed"}, "by": {"N": str(thread)}},
                ConditionExpression="attribute_not_exists(idToken)",
            )
        except dynamodb.exceptions.ConditionalCheckFailedException:
            return False
        return True

    with ThreadPoolExecutor(THREADS) as pool:
        claims = list(pool.map(claim, range(THREADS * 4)))

    assert claims.count(True) == 1
    winner = dynamodb.get_item(TableName=id_tokens(), Key={"idToken": {"S": "claimed"}})["Item"]["by"]["N"]
    assert claims.index(True) == int(winner)


def test_a_failed_condition_comes_back_with_its_modelled_item(backend: AwsBackend) -> None:
    dynamodb = backend.client("dynamodb")
    dynamodb.put_item(TableName=id_tokens(), Item={"idToken": {"S": "held"}, "owner": {"S": "first"}})

    with pytest.raises(ClientError) as failed:
        dynamodb.put_item(
            TableName=id_tokens(),
            Item={"idToken": {"S": "held"}, "owner": {"S": "second"}},
            ConditionExpression="attribute_not_exists(idToken)",
            ReturnValuesOnConditionCheckFailure="ALL_OLD",
        )

    assert failed.value.response["Error"]["Code"] == "ConditionalCheckFailedException"
    assert failed.value.response["Item"] == {"idToken": {"S": "held"}, "owner": {"S": "first"}}


def test_a_write_signals_the_reader_of_the_tables_stream_and_a_read_does_not(backend: AwsBackend) -> None:
    dynamodb = backend.client("dynamodb")
    written = backend.stream_written(transactions())
    key: dict[str, Any] = {"chargePointId": {"S": "CP-1"}, "transactionId": {"S": "1"}}
    written.clear()

    dynamodb.get_item(TableName=transactions(), Key=key)
    assert not written.is_set()

    dynamodb.put_item(TableName=transactions(), Item={**key, "meterStart": {"N": "0"}})
    assert written.is_set()


def test_an_error_raised_in_the_process_is_raised_to_the_caller(tmp_path: Path) -> None:
    not_a_directory = tmp_path / "file"
    not_a_directory.write_text("")
    dynamodb = DynamoDbProcess("us-east-1")
    try:
        with pytest.raises(FileExistsError):
            dynamodb.open_data_directory(not_a_directory, {})
    finally:
        dynamodb.close()


def test_once_closed_the_process_ends_and_calls_fail() -> None:
    dynamodb = DynamoDbProcess("us-east-1")
    dynamodb.close()
    dynamodb.close()  # again: nothing to do

    assert ended(dynamodb.pid)
    with pytest.raises(DynamoDbProcessGone):
        dynamodb.answer("dynamodb", "ListTables", {}, "us-east-1")


def test_a_process_killed_unasked_is_said_at_once_and_calls_then_fail(caplog: pytest.LogCaptureFixture) -> None:
    dynamodb = DynamoDbProcess("us-east-1")
    try:
        os.kill(dynamodb.pid, signal.SIGKILL)
        assert ended(dynamodb.pid)

        with pytest.raises(DynamoDbProcessGone):
            dynamodb.answer("dynamodb", "ListTables", {}, "us-east-1")
        deadline = time.monotonic() + 5
        while not any(record.levelname == "CRITICAL" for record in caplog.records) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert any("DynamoDB process ended" in record.getMessage() for record in caplog.records)
    finally:
        dynamodb.close()
