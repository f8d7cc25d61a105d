"""Files chargers upload and download (logs, firmware): addressed by key, reached by URLs that need no credentials.

`upload_url` is an HTTP PUT URL and `download_url` an HTTP GET URL, each valid for `expires`; what a charger is
given must work from the charger (`csms local` serves the store on its own port, see `csms.local.s3_files`).
"""

from datetime import timedelta
from typing import Protocol


class FileStore(Protocol):
    def upload_url(self, key: str, expires: timedelta) -> str:
        """A URL the file under `key` can be PUT to (replacing any) until `expires` has passed."""
        ...

    def download_url(self, key: str, expires: timedelta) -> str:
        """A URL the file under `key` can be fetched from (GET) until `expires` has passed."""
        ...

    def exists(self, key: str) -> bool:
        """Whether a file is stored under `key` (an upload is stored whole or not at all)."""
        ...
