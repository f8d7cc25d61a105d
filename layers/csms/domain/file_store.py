"""Files chargers upload and download (logs, firmware): addressed by key, reached by URLs that need no credentials.

`upload_url` is an HTTP PUT URL and `download_url` an HTTP GET URL, each valid for `expires`; what a charger is
given must work from the charger (`csms local` serves the store on its own port, see `csms.local.s3_files`).
`max_length` is the most characters the URL may have (an OCPP field's maxLength, e.g. GetLog's 512); None: any.
"""

from dataclasses import dataclass
from datetime import timedelta
from typing import Protocol


@dataclass(frozen=True)
class StoredFile:
    """What the store says of a file: its size in bytes and the MD5 of its content (hex; None when the store
    does not know it, e.g. an S3 object stored by a multipart upload)."""

    size: int
    md5: str | None


class FileStore(Protocol):
    def upload_url(self, key: str, expires: timedelta, max_length: int | None = None) -> str:
        """A URL of at most `max_length` characters the file under `key` can be PUT to (replacing any) until
        `expires` has passed."""
        ...

    def download_url(self, key: str, expires: timedelta, max_length: int | None = None) -> str:
        """A URL of at most `max_length` characters the file under `key` can be fetched from (GET) until `expires`
        has passed."""
        ...

    def put_file(self, key: str, content: bytes) -> None:
        """Store `content` under `key` (what a PUT to an upload URL does; `csms.api.routes.files` for short links)."""
        ...

    def exists(self, key: str) -> bool:
        """Whether a file is stored under `key` (an upload is stored whole or not at all)."""
        ...

    def describe(self, key: str) -> StoredFile | None:
        """The file under `key`, None if there is none. Its MD5 is known for a file stored by one PUT (the way
        chargers and operators upload through `upload_url`)."""
        ...
