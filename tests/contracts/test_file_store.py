"""The FileStore port on its fake and on S3 (moto): what `describe` says of a stored file, and of a missing one."""

import hashlib
from collections.abc import Callable, Iterator
from uuid import uuid4

import boto3
import pytest
from moto import mock_aws

from csms.adapters.s3_files import S3FileStore
from csms.domain.file_store import FileStore, StoredFile
from tests.fakes import InMemoryFileStore

BUCKET = "fleet-files"
KEY = "firmware/fw-1"
Store = tuple[FileStore, Callable[[str, bytes], None]]


@pytest.fixture(params=["fake", "s3"])
def store(request: pytest.FixtureRequest) -> Iterator[Store]:
    """The store, and how a file lands in it (a charger's or an operator's PUT)."""
    if request.param == "fake":
        fake = InMemoryFileStore()
        yield fake, fake.put_file
        return
    # A bucket of its own: inside the contract tests' session-wide moto (`tests.moto_tables`), this `mock_aws` starts
    # no fresh S3, so a bucket shared by name would keep the previous test's files.
    bucket = f"{BUCKET}-{uuid4().hex[:12]}"
    with mock_aws():
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket=bucket)
        yield S3FileStore(bucket), lambda key, body: s3.put_object(Bucket=bucket, Key=key, Body=body)


def test_a_stored_file_is_described_by_its_size_and_md5(store: Store) -> None:
    files, put = store
    content = b"\x7fELF firmware image" * 1000
    put(KEY, content)

    assert files.describe(KEY) == StoredFile(size=len(content), md5=hashlib.md5(content).hexdigest())  # noqa: S324
    assert files.exists(KEY)


def test_a_missing_file_is_described_as_none(store: Store) -> None:
    files, put = store
    put("firmware/other", b"x")

    assert files.describe(KEY) is None
    assert not files.exists(KEY)
