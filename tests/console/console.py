"""What the browser tests do in the console and around it: sign in, and run simulated chargers."""

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

from playwright.async_api import Page, expect

from csms.local.runtime import LocalRuntime
from csms.simulator.fleet import simulate
from csms.simulator.options import SimulationOptions


async def sign_in(page: Page, token: str) -> None:
    """Signs in on the sign-in page the console shows in place of any page while signed out."""
    await page.get_by_label("API token").fill(token)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("button", name="Sign out")).to_be_visible()


@contextlib.asynccontextmanager
async def simulated_fleet(runtime: LocalRuntime, chargers: int = 1, **options: Any) -> AsyncIterator[SimulationOptions]:
    """`csms simulate` against the runtime for as long as the block runs: it registers the chargers and
    their id tokens, connects them, and they charge sessions with meter values every 2 s."""
    simulation = SimulationOptions(
        url=runtime.ws_url,
        chargers=chargers,
        api_url=runtime.api_url,
        api_token=runtime.token,
        duration_seconds=3600,
        meter_interval_seconds=2,
        session_minutes=(60, 60),
        summary_interval_seconds=3600,
        ramp_seconds=0,
        **options,
    )
    fleet = asyncio.create_task(simulate(simulation, announce=lambda _: None))
    try:
        yield simulation
    finally:
        fleet.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await fleet
