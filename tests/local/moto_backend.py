"""The offline AWS of `csms local` for tests of what it changes in moto: one per test module, by table prefix."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from csms.local.aws_backend import AwsBackend


@contextlib.contextmanager
def started_backend(prefix: str) -> Iterator[AwsBackend]:
    backend = AwsBackend(table_prefix=prefix)
    backend.start()
    try:
        yield backend
    finally:
        backend.stop()
