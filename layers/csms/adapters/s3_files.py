"""`FileStore` on an S3 bucket: presigned SigV4 URLs, or short links to them (`csms.domain.short_links`) where a
presigned URL would be longer than the caller's `max_length`.

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
from csms.domain.short_links import LinkMethod, ShortLinks

_NOT_FOUND = {"404", "NoSuchKey", "NotFound"}
_LINK_METHODS = {"put_object": LinkMethod.PUT, "get_object": LinkMethod.GET}


class UrlTooLongError(ValueError):
    """A presigned URL longer than asked for, and no short links to give instead."""


class S3FileStore:
    def __init__(self, bucket: str, endpoint_url: str = "", short_links: ShortLinks | None = None) -> None:
        self._bucket = bucket
        self._endpoint_url = endpoint_url or None
        self._short_links = short_links

    @cached_property
    def _s3(self) -> Any:
        config = Config(signature_version="s3v4", s3={"addressing_style": "path" if self._endpoint_url else "auto"})
        return boto3.client("s3", endpoint_url=self._endpoint_url, config=config)

    def upload_url(self, key: str, expires: timedelta, max_length: int | None = None) -> str:
        return self._presign_within("put_object", key, expires, max_length)

    def download_url(self, key: str, expires: timedelta, max_length: int | None = None) -> str:
        return self._presign_within("get_object", key, expires, max_length)

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

    def put_file(self, key: str, content: bytes) -> None:
        self._s3.put_object(Bucket=self._bucket, Key=key, Body=content)

    def _presign_within(self, operation: str, key: str, expires: timedelta, max_length: int | None) -> str:
        url = str(
            self._s3.generate_presigned_url(
                operation, Params={"Bucket": self._bucket, "Key": key}, ExpiresIn=int(expires.total_seconds())
            )
        )
        if max_length is None or len(url) <= max_length:
            return url
        if self._short_links is None:
            raise UrlTooLongError(f"a presigned URL of {len(url)} characters, over {max_length}")
        return self._short_links.url(key, _LINK_METHODS[operation], expires)
