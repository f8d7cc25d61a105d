"""Registers the simulated chargers (each with its own password) and their id tokens through the
operator API before they connect."""

from __future__ import annotations

import asyncio
import json
import secrets
from collections.abc import Sequence
from urllib.error import HTTPError, URLError
from urllib.parse import quote
from urllib.request import Request, urlopen

PARALLEL_REQUESTS = 8


class RegistrationError(Exception):
    pass


class OperatorApiClient:
    def __init__(self, api_url: str, token: str | None) -> None:
        self._api_url = api_url.rstrip("/")
        self._token = token

    async def put(self, path: str, body: dict[str, str]) -> None:
        await asyncio.to_thread(self._put, path, body)

    def _put(self, path: str, body: dict[str, str]) -> None:
        headers = {"Content-Type": "application/json"}
        if self._token:
            headers["Authorization"] = f"Bearer {self._token}"
        request = Request(f"{self._api_url}{path}", json.dumps(body).encode(), headers, method="PUT")  # noqa: S310
        try:
            with urlopen(request, timeout=30):  # noqa: S310 - the operator's own API URL
                pass
        except HTTPError as error:
            raise RegistrationError(f"PUT {path}: {error.code} {error.read().decode(errors='replace')}") from error
        except URLError as error:
            raise RegistrationError(f"PUT {path}: {error.reason}") from error


async def register(client: OperatorApiClient, charger_ids: Sequence[str], id_tokens: Sequence[str]) -> dict[str, str]:
    """Registers every charger with a new random password and every id token as Accepted;
    returns each charger's password."""
    passwords = {charger_id: secrets.token_urlsafe(18) for charger_id in charger_ids}
    limit = asyncio.Semaphore(PARALLEL_REQUESTS)

    async def put(path: str, body: dict[str, str]) -> None:
        async with limit:
            await client.put(path, body)

    await asyncio.gather(
        *(put(f"/id-tokens/{quote(token)}", {"status": "Accepted"}) for token in id_tokens),
        *(put(f"/chargers/{quote(cid)}", {"password": password}) for cid, password in passwords.items()),
    )
    return passwords
