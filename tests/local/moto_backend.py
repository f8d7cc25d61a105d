"""The offline AWS of `csms local` for tests of what it changes in moto: one per test module, by table prefix, by
default with DynamoDB in the test's process (so that the test can change and look at moto's DynamoDB directly)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from csms.local.aws_backend import AwsBackend


@contextlib.contextmanager
def started_backend(prefix: str, *, dynamodb_process: bool = False) -> Iterator[AwsBackend]:
    backend = AwsBackend(table_prefix=prefix, dynamodb_process=dynamodb_process)
    backend.start()
    try:
        yield backend
    finally:
        backend.stop()
