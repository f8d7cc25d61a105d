"""DynamoDB and DynamoDB Streams as `csms local` serves them: moto's, one call at a time, journaled.

`DynamoDbService.answer` takes a call as botocore serialized it (the service, the operation's name
and the request) and gives moto's answer as it would come over HTTP (`moto_calls`), with the tables
whose streams the call added records to. Calls are answered one at a time: moto checks a condition
and writes in two steps, so two concurrent conditional writes could both pass; one at a time, each
call is atomic, as on DynamoDB. With a data directory open, each write that succeeded is journaled
before its answer is given, in the order the writes were applied (`data_directory`).

Only plain data goes in and out, so that the service can run in a process of its own
(`dynamodb_process`, as `csms local` runs it) or in the caller's (`AwsBackend(dynamodb_process=False)`).
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any, NamedTuple

from moto.core.responses import BaseResponse
from moto.dynamodb.responses import DynamoHandler
from moto.dynamodbstreams.responses import DynamoDBStreamsHandler

from csms.local import moto_calls, moto_dynamodb
from csms.local.data_directory import DataDirectory, Restored

# The DynamoDB operations that change data (the journal records these).
_WRITE_OPERATIONS = frozenset({"PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems"})
# moto's handler for each service, by botocore's (hyphenated) service id.
_MOTO_HANDLERS: dict[str, type[BaseResponse]] = {"dynamodb": DynamoHandler, "dynamodb-streams": DynamoDBStreamsHandler}
SERVICES = frozenset(_MOTO_HANDLERS)
# What `answer` reads of botocore's serialized request.
_REQUEST_FIELDS = ("method", "url", "url_path", "headers", "body")


class ServiceAnswer(NamedTuple):
    status: int
    headers: dict[str, str]
    body: str | bytes
    streams_written: frozenset[str]  # tables whose streams the call added records to


def succeeded_write(service: str, operation: str, status: int) -> bool:
    """Whether a call answered `status` changed data (a write the journal records)."""
    return status == 200 and service == "dynamodb" and operation in _WRITE_OPERATIONS


def wire_request(request: Mapping[str, Any]) -> dict[str, Any]:
    """What `answer` needs of botocore's serialized request (plain data, to send to another process)."""
    return {field: request[field] for field in _REQUEST_FIELDS}


class DynamoDbService:
    def __init__(self, region: str) -> None:
        moto_dynamodb.transactions_without_table_copies()
        moto_dynamodb.answers_as_json()
        moto_dynamodb.queries_by_partition()
        moto_dynamodb.streams_signal_writes()
        moto_dynamodb.parsed_once()
        self._region = region
        self._lock = threading.Lock()
        self._directory: DataDirectory | None = None

    def answer(self, service: str, operation: str, request: dict[str, Any], region: str) -> ServiceAnswer:
        """`request`: as `wire_request` gives it; `region`: the calling client's."""
        with self._lock:
            status, headers, body = moto_calls.answer(_MOTO_HANDLERS[service], operation, request, region)
            if succeeded_write(service, operation, status):
                self._journal(operation, request["body"])
            return ServiceAnswer(status, headers, body, moto_dynamodb.take_streams_written())

    def open_data_directory(self, path: Path, tables: Mapping[str, str]) -> Restored:
        """Load the tables (created, empty) from the data directory at `path` and journal every write to it from
        now on; `tables` maps each logical table name to its physical one."""
        with self._lock:
            directory = DataDirectory(path, self._region)
            restored = directory.open(tables)
            moto_dynamodb.take_streams_written()  # loading is no change for the streams' readers
            self._directory = directory
            return restored

    def close(self) -> None:
        """Put the data directory's journal on disk and release the directory (no write after this one)."""
        with self._lock:
            if self._directory is not None:
                self._directory.close()
                self._directory = None

    def _journal(self, operation: str, body: str | bytes) -> None:
        directory = self._directory
        if directory is None:
            return
        directory.record(operation, body.encode() if isinstance(body, str) else body)
        if directory.checkpoint_due:
            directory.checkpoint()
