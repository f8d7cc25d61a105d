"""Registers the simulated chargers (each with its own password) and their id tokens through the
operator API before they connect."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Sequence
from typing import Any

from csms.operator_cli.client import OperatorApi, segment
from csms.operator_cli.errors import CliError

PARALLEL_REQUESTS = 8


class RegistrationError(Exception):
    pass


async def register(api: OperatorApi, charger_ids: Sequence[str], id_tokens: Sequence[str]) -> dict[str, str]:
    """Registers every charger with a new random password and every id token as Accepted;
    returns each charger's password."""
    passwords = {charger_id: secrets.token_urlsafe(18) for charger_id in charger_ids}
    limit = asyncio.Semaphore(PARALLEL_REQUESTS)

    async def put(path: str, body: dict[str, str]) -> Any:
        async with limit:
            try:
                return await asyncio.to_thread(api.put, path, body)
            except CliError as error:
                raise RegistrationError(str(error)) from error

    await asyncio.gather(
        *(put(f"/id-tokens/{segment(token)}", {"status": "Accepted"}) for token in id_tokens),
        *(put(f"/chargers/{segment(cid)}", {"password": password}) for cid, password in passwords.items()),
    )
    return passwords
