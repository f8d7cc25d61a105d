"""Charge points driven by the `ocpp` library's own ChargePoint classes over real WebSockets."""

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from typing import Any

import websockets
from ocpp.v16 import ChargePoint as ChargePoint16
from ocpp.v201 import ChargePoint as ChargePoint201

from csms.local.runtime import LocalRuntime
from tests.e2e.conftest import PASSWORD, basic_auth


@contextlib.asynccontextmanager
async def connected(
    runtime: LocalRuntime,
    charge_point_id: str,
    subprotocol: str,
    password: str | None = PASSWORD,
    username: str | None = None,
    charge_point_class: Callable[..., Any] | None = None,
) -> AsyncIterator[Any]:
    """A started ChargePoint of the version `subprotocol` names (or made by `charge_point_class(id, connection,
    response_timeout=...)`), connected with Basic auth."""
    headers = basic_auth(username or charge_point_id, password) if password else {}
    async with websockets.connect(
        f"{runtime.ws_url}/{charge_point_id}", subprotocols=[subprotocol], additional_headers=headers
    ) as connection:
        charge_point_class = charge_point_class or (ChargePoint16 if subprotocol == "ocpp1.6" else ChargePoint201)
        charge_point = charge_point_class(charge_point_id, connection, response_timeout=10)
        listener = asyncio.create_task(charge_point.start())
        try:
            yield charge_point
        finally:
            listener.cancel()
            with contextlib.suppress(asyncio.CancelledError, websockets.ConnectionClosed):
                await listener
