"""Short links to files: `<public API URL>/files/<token>`, for chargers whose URL fields are too short for a
presigned S3 URL (GetLog's `remoteLocation` and firmware `location` are at most 512 characters; on AWS a presigned
URL carries the Lambda's session token and is 1,300 to 1,600).

The token is the capability: 128 random bits (url-safe base64, 22 characters) bound to one key, one method (PUT
to store the file, GET to fetch it) and an expiry. Whoever holds it may do that one thing until then, as with the
presigned URL it stands for; an unknown, expired or other-method token is refused alike (`UnknownShortLinkError`).
The operator API serves the links (`csms.api.routes.files`).
"""

import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Protocol

from csms.domain.file_store import FileStore
from csms.domain.ports import Clock

TOKEN_BYTES = 16  # 128 bits
# What a token may look like (url-safe base64); anything else is not looked up.
_TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{1,64}")
# The links' path under the operator API (`constants.API_FILES_PATH`).
LINKS_PATH = "files"


class LinkMethod(StrEnum):
    PUT = "PUT"
    GET = "GET"


@dataclass(frozen=True)
class ShortLink:
    token: str
    key: str
    method: LinkMethod
    expires_at: datetime


class ShortLinkRepository(Protocol):
    def put(self, link: ShortLink) -> None: ...

    def get(self, token: str) -> ShortLink | None:
        """The link, possibly past its expiry (a store may keep an expired link a while)."""
        ...


class UnknownShortLinkError(Exception):
    """No such link, or not for this method, or expired: which, the caller is not told."""


class MissingPublicApiUrlError(Exception):
    """A short link is needed but the function does not know the operator API's URL (`PUBLIC_API_URL`)."""


class ShortLinks:
    def __init__(self, repository: ShortLinkRepository, public_api_url: str, clock: Clock) -> None:
        """`public_api_url`: the operator API's base, `https://<host>/api` (a trailing slash is fine)."""
        self._repository = repository
        self._base = public_api_url.rstrip("/")
        self._clock = clock

    def url(self, key: str, method: LinkMethod, expires: timedelta) -> str:
        """A new link allowing `method` on `key` until `expires` has passed."""
        if not self._base:
            raise MissingPublicApiUrlError("PUBLIC_API_URL is not set: this function cannot give short file URLs")
        token = secrets.token_urlsafe(TOKEN_BYTES)
        expires_at = (self._clock.now() + expires).replace(microsecond=0)  # whole seconds, as a TTL counts
        self._repository.put(ShortLink(token, key, method, expires_at))
        return f"{self._base}/{LINKS_PATH}/{token}"

    def key_for(self, token: str, method: LinkMethod) -> str:
        """The key the link `token` allows `method` on now; raises `UnknownShortLinkError`."""
        link = self._repository.get(token) if _TOKEN_SHAPE.fullmatch(token) else None
        if link is None or link.method is not method or self._clock.now() >= link.expires_at:
            raise UnknownShortLinkError(token)
        return link.key


class LinkedFiles:
    """What a short link's holder may do: store the file (PUT link) or be sent to a presigned GET (GET link)."""

    def __init__(self, links: ShortLinks, files: FileStore) -> None:
        self._links = links
        self._files = files

    def store(self, token: str, content: bytes) -> None:
        """Raises `UnknownShortLinkError`."""
        self._files.put_file(self._links.key_for(token, LinkMethod.PUT), content)

    def download_url(self, token: str, expires: timedelta) -> str:
        """The store's own (presigned) URL of the linked file; raises `UnknownShortLinkError`."""
        return self._files.download_url(self._links.key_for(token, LinkMethod.GET), expires)
