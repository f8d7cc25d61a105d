"""Screenshots of the web console's main pages for the README, saved as docs/screenshots/*.png.

    .venv/bin/python docs/screenshots.py

Needs the console's build (`./dev local` or `./dev test` make it) and Chromium at /usr/bin/chromium
(`apt-get install -y chromium`; CSMS_CHROMIUM names another), as the browser tests do. It starts the
embedded runtime in memory with a default tariff, runs simulated chargers (`csms.simulator`) until
sessions have ended and a billing run has invoiced them while others still charge, then opens each
page signed in as an operator and saves what it shows once the page shows its data (the session
page: the invoiced session with the most meter values; the site page: a site the first chargers were
wired to as soon as they registered, its limit shared among their sessions, then a lower live limit).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import secrets
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from playwright.async_api import Page, async_playwright, expect

from csms.local.runtime import LocalRuntime, running_runtime
from csms.operator_cli.client import OperatorApi
from csms.operator_cli.credentials import StaticToken
from csms.simulator.fleet import simulate
from csms.simulator.options import SimulationOptions

OUTPUT = Path(__file__).resolve().parent / "screenshots"
CHROMIUM = Path(os.environ.get("CSMS_CHROMIUM", "/usr/bin/chromium"))
CHARGERS = 8
SESSIONS_TO_INVOICE = 6
DEFAULT_TARIFF = {
    "currency": "EUR",
    "sessionFee": "0.50",
    "pricePerKwh": "0.39",
    "taxRate": "0.19",
    "displayText": "0.39 EUR/kWh + 0.50 EUR per session",
}
POLL_SECONDS = 1.0
# A site of the first chargers, whose sessions share 40 A (below 6 A each, some are paused).
SITE = {"name": "Depot car park", "gridLimitAmps": 40}
SITE_CHARGERS = 4
# Then a live limit (an energy manager's signal), which the chart shows the sessions follow.
LIVE_LIMIT = {"limitAmps": 24, "validUntil": (datetime.now(UTC) + timedelta(days=1)).isoformat()}


async def main() -> None:
    OUTPUT.mkdir(exist_ok=True)
    admin, operator = secrets.token_urlsafe(16), secrets.token_urlsafe(16)
    async with running_runtime(
        port=0,
        api_token=admin,
        operator_token=operator,
        billing_interval_seconds=0,  # billed below, once sessions have ended
        extra_env={"POWERTOOLS_METRICS_DISABLED": "true", "POWERTOOLS_LOG_LEVEL": "WARNING"},
    ) as runtime:
        api = OperatorApi(runtime.api_url, StaticToken(admin))
        await asyncio.to_thread(api.put, "/tariffs/default", DEFAULT_TARIFF)
        await asyncio.to_thread(api.put, "/chargers/CP-DEPOT-01", {"password": secrets.token_urlsafe(16)})
        await asyncio.to_thread(api.put, "/sites/depot", SITE)
        async with _fleet(runtime, admin):
            await _wire_site_chargers(api)
            await _wait_for(lambda: _completed_sessions(api))
            await asyncio.to_thread(api.put, "/sites/depot/limit", LIVE_LIMIT)
            run = await asyncio.to_thread(api.post, "/billing/runs", {})
            session = await _most_metered(api, run["invoiced"])
            await _photograph(runtime, operator, session)


@contextlib.asynccontextmanager
async def _fleet(runtime: LocalRuntime, token: str) -> Any:
    """Mixed 1.6 and 2.0.1 chargers charging sessions of 15 to 60 s, meter values every 2 s."""
    options = SimulationOptions(
        url=runtime.ws_url,
        chargers=CHARGERS,
        duration_seconds=3600,
        meter_interval_seconds=2,
        session_minutes=(0.25, 1.0),
        api_url=runtime.api_url,
        api_token=token,
        summary_interval_seconds=3600,
    )
    fleet = asyncio.create_task(simulate(options, announce=lambda _: None))
    try:
        yield
    finally:
        fleet.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await fleet


async def _wire_site_chargers(api: OperatorApi) -> None:
    """The first chargers join the site once the simulator has registered them."""
    for index in range(1, SITE_CHARGERS + 1):
        charger = f"/chargers/SIM-{index:04d}"
        await _wait_for(lambda charger=charger: _registered(api, charger))
        await asyncio.to_thread(api.put, charger, {"siteId": "depot"})


async def _registered(api: OperatorApi, charger: str) -> bool:
    listed = await asyncio.to_thread(api.get, "/chargers", {"limit": 100})
    return any(f"/chargers/{item['id']}" == charger for item in listed["items"])


async def _wait_for(check: Callable[[], Awaitable[bool]]) -> None:
    while not await check():
        await asyncio.sleep(POLL_SECONDS)


async def _completed_sessions(api: OperatorApi) -> bool:
    completed = await asyncio.to_thread(api.get, "/transactions", {"status": "Completed", "limit": 100})
    return len(completed["items"]) >= SESSIONS_TO_INVOICE


async def _most_metered(api: OperatorApi, invoice_ids: list[str]) -> dict[str, Any]:
    """Of the invoiced sessions, the one with the most meter values (the fullest chart)."""
    sessions = []
    for invoice_id in invoice_ids:
        invoice = await asyncio.to_thread(api.get, f"/invoices/{invoice_id}")
        details = await asyncio.to_thread(
            api.get, f"/transactions/{invoice['transactionId']}", {"chargerId": invoice["chargerId"]}
        )
        sessions.append(details)
    return max(sessions, key=lambda session: len(session["meterValues"]))


async def _photograph(runtime: LocalRuntime, token: str, session: dict[str, Any]) -> None:
    session_path = f"/sessions/{session['chargerId']}/{session['transactionId']}"
    pages: list[tuple[str, str, Callable[[Page], Awaitable[None]]]] = [
        ("overview", "/", lambda page: expect(page.get_by_text(f"of {CHARGERS + 1} chargers")).to_be_visible()),
        ("chargers", "/chargers", lambda page: _rows(page, "Chargers", CHARGERS + 1)),
        ("charger", "/chargers/SIM-0001", lambda page: expect(page.get_by_text("Charging").first).to_be_visible()),
        ("session", session_path, lambda page: expect(page.get_by_role("table", name="Invoice")).to_be_visible()),
        ("invoices", "/invoices", lambda page: _rows(page, "Invoices", SESSIONS_TO_INVOICE)),
        ("site", "/sites/depot", lambda page: _rows(page, "Sessions", SITE_CHARGERS)),
    ]
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        context = await browser.new_context(
            base_url=runtime.base_url, viewport={"width": 1440, "height": 900}, locale="en-GB", timezone_id="UTC"
        )
        page = await context.new_page()
        await page.goto("/")
        await page.get_by_label("API token").fill(token)
        await page.get_by_role("button", name="Sign in").click()
        for name, path, shown in pages:
            await page.goto(path)
            await shown(page)
            await page.screenshot(path=OUTPUT / f"{name}.png", animations="disabled")
            print(f"{OUTPUT / name}.png")
        await browser.close()


async def _rows(page: Page, table: str, at_least: int) -> None:
    """Waits until the table has at least `at_least` rows besides its header."""
    rows = page.get_by_role("table", name=table).get_by_role("row")
    await expect(rows.nth(at_least)).to_be_visible()


if __name__ == "__main__":
    asyncio.run(main())
