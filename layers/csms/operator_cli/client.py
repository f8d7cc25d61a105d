"""The operator API over HTTP, with the standard library only (the CLI must work without extras)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.error import HTTPError, URLError
from urllib.parse import quote, urlencode
from urllib.request import Request, urlopen

from csms.operator_cli.credentials import Credentials
from csms.operator_cli.errors import ApiError, CliError

REQUEST_TIMEOUT_SECONDS = 30.0
MAX_PAGE_SIZE = 500  # the API's largest `limit`

Query = Mapping[str, str | int | bool | None]


@dataclass(frozen=True)
class Listing:
    items: list[dict[str, Any]]
    next_token: str | None  # where the listing goes on; None at its end


def segment(value: str) -> str:
    """`value` as one path segment: a charger id may hold `/`, `#`, `%`, ..."""
    return quote(value, safe="")


class OperatorApi:
    """JSON requests to `base_url` (`http://127.0.0.1:9000/api`, or the stack's `OperatorApiUrl`);
    an error answer raises `ApiError`, an unreachable API `CliError`."""

    def __init__(self, base_url: str, credentials: Credentials | None) -> None:
        self._base_url = base_url.rstrip("/")
        self._credentials = credentials

    def get(self, path: str, query: Query | None = None) -> Any:
        return json.loads(self.get_text(path, query))

    def get_text(self, path: str, query: Query | None = None) -> str:
        return self._send("GET", path, query, None)

    def post(self, path: str, body: Any) -> Any:
        return json.loads(self._send("POST", path, None, body))

    def put(self, path: str, body: Any) -> Any:
        return json.loads(self._send("PUT", path, None, body))

    def listing(self, path: str, query: Query, limit: int | None, next_token: str | None) -> Listing:
        """Up to `limit` items (None: all) of a paged listing from `next_token` on, page after page."""
        items: list[dict[str, Any]] = []
        while True:
            size = MAX_PAGE_SIZE if limit is None else min(limit - len(items), MAX_PAGE_SIZE)
            page = self.get(path, {**query, "limit": size, "nextToken": next_token})
            items.extend(page["items"])
            next_token = page["nextToken"]
            if next_token is None or (limit is not None and len(items) >= limit):
                return Listing(items, next_token)

    def _send(self, method: str, path: str, query: Query | None, body: Any) -> str:
        url = f"{self._base_url}{path}"
        present = {name: _query_value(value) for name, value in (query or {}).items() if value is not None}
        if present:
            url += "?" + urlencode(present)
        headers = {"Accept": "application/json"}
        if body is not None:
            headers["Content-Type"] = "application/json"
        if self._credentials is not None:
            headers["Authorization"] = f"Bearer {self._credentials.bearer_token()}"
        data = json.dumps(body).encode() if body is not None else None
        request = Request(url, data, headers, method=method)  # noqa: S310 - the operator's own API URL
        try:
            with urlopen(request, timeout=REQUEST_TIMEOUT_SECONDS) as response:  # noqa: S310
                return str(response.read().decode())
        except HTTPError as error:
            raise _api_error(method, path, error) from error
        except (URLError, TimeoutError) as error:
            raise CliError(f"{method} {url}: {getattr(error, 'reason', error)}") from error


def _query_value(value: str | int | bool) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def _api_error(method: str, path: str, error: HTTPError) -> ApiError:
    """The API's error shape, `{"statusCode", "message", "reasons"?}`, or the gateway's `{"message"}`."""
    text = error.read().decode(errors="replace")
    try:
        answer = json.loads(text)
    except ValueError:
        answer = None
    if isinstance(answer, dict) and "message" in answer:
        return ApiError(method, path, error.code, str(answer["message"]), [str(r) for r in answer.get("reasons", [])])
    return ApiError(method, path, error.code, text.strip() or str(error.reason), [])
