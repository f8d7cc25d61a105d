"""`FileStore` on an S3 bucket: presigned SigV4 URLs.

`endpoint_url` is empty on AWS; `csms local` names its own front door (`csms.local.s3_files`), where moto's S3
answers, so that the URLs point at a host and port the chargers on the machine reach. Path-style addressing
keeps the bucket in the path, which such an endpoint needs.
"""

from datetime import timedelta
from functools import cached_property
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from csms.domain.file_store import StoredFile

_NOT_FOUND = {"404", "NoSuchKey", "NotFound"}


class UrlTooLongError(ValueError):
    """A presigned URL longer than asked for (on AWS, the session token makes it over 1,000 characters)."""


class S3FileStore:
    def __init__(self, bucket: str, endpoint_url: str = "") -> None:
        self._bucket = bucket
        self._endpoint_url = endpoint_url or None

    @cached_property
    def _s3(self) -> Any:
        config = Config(signature_version="s3v4", s3={"addressing_style": "path" if self._endpoint_url else "auto"})
        return boto3.client("s3", endpoint_url=self._endpoint_url, config=config)

    def upload_url(self, key: str, expires: timedelta, max_length: int | None = None) -> str:
        return self._presign("put_object", key, expires, max_length)

    def download_url(self, key: str, expires: timedelta, max_length: int | None = None) -> str:
        return self._presign("get_object", key, expires, max_length)

    def exists(self, key: str) -> bool:
        return self._head(key) is not None

    def describe(self, key: str) -> StoredFile | None:
        """HeadObject: the size, and the MD5 that the ETag of an object stored by a single PUT is (with S3-managed
        encryption; a multipart upload's ETag is no MD5 and has a `-`)."""
        head = self._head(key)
        if head is None:
            return None
        etag = str(head["ETag"]).strip('"')
        return StoredFile(size=int(head["ContentLength"]), md5=None if "-" in etag else etag)

    def _head(self, key: str) -> dict[str, Any] | None:
        try:
            return dict(self._s3.head_object(Bucket=self._bucket, Key=key))
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in _NOT_FOUND:
                return None
            raise

    def _presign(self, operation: str, key: str, expires: timedelta, max_length: int | None) -> str:
        url = str(
            self._s3.generate_presigned_url(
                operation, Params={"Bucket": self._bucket, "Key": key}, ExpiresIn=int(expires.total_seconds())
            )
        )
        if max_length is not None and len(url) > max_length:
            raise UrlTooLongError(f"a presigned URL of {len(url)} characters, over {max_length}")
        return url
