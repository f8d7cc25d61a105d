"""A session run from the console: remote start on the charger page, its chart growing as meter values
arrive, remote stop, and its invoice once a billing run has issued it."""

import re
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from playwright.async_api import Locator, Page, expect

from csms.local.runtime import LocalRuntime
from tests.console.conftest import OPERATOR_TOKEN
from tests.console.console import sign_in, simulated_fleet
from tests.e2e.conftest import OperatorApi

pytestmark = pytest.mark.asyncio(loop_scope="module")

DEFAULT_TARIFF = {"currency": "EUR", "sessionFee": "1.00", "pricePerKwh": "0.30", "taxRate": "0.19"}


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def charger(runtime: LocalRuntime, api: OperatorApi) -> AsyncIterator[str]:
    """A 1.6 charger with one connector that charges only what the CSMS starts."""
    tariff = await api.request("PUT", "/tariffs/default", DEFAULT_TARIFF)
    assert tariff.status == 200, tariff.body
    async with simulated_fleet(runtime, connectors=1, sessions="remote") as simulation:
        yield simulation.charger_id(0)


async def test_start_watch_stop_and_invoice_a_session(page: Page, charger: str, api: OperatorApi) -> None:
    await page.goto(f"/chargers/{charger}")
    await sign_in(page, OPERATOR_TOKEN)
    await expect(page.get_by_role("table", name="Connectors").get_by_text("Available")).to_be_visible()

    await page.get_by_role("button", name="Start", exact=True).click()
    dialog = page.get_by_role("dialog", name=f"Start · {charger}")
    await dialog.get_by_role("combobox", name="Id token").fill("SIM-TAG-01")
    await dialog.get_by_role("button", name="Start", exact=True).click()
    await expect(dialog.get_by_text("RemoteStartTransaction: finished")).to_be_visible()
    await dialog.get_by_role("button", name="Close").click()
    await expect(page.get_by_role("table", name="Connectors").get_by_text("Charging")).to_be_visible()

    await page.get_by_role("tab", name="Sessions").click()
    sessions = page.get_by_role("table", name="Sessions")
    await expect(sessions.get_by_role("row")).to_have_count(2)  # the header and the session
    session_id = await sessions.get_by_role("row").nth(1).get_by_role("link").inner_text()
    await sessions.get_by_role("link", name=session_id, exact=True).click()
    await expect(page.get_by_role("heading", name=f"Session {session_id}")).to_be_visible()
    chart = page.get_by_role("figure", name=re.compile(r"^Energy and power, \d+ points$"))
    points_before = await chart_points(chart)
    await expect(chart).not_to_have_accessible_name(f"Energy and power, {points_before} points")
    assert await chart_points(chart) > points_before

    await page.get_by_role("link", name=charger, exact=True).click()
    await page.get_by_role("button", name="Stop", exact=True).click()
    dialog = page.get_by_role("dialog", name=f"Stop · {charger}")
    await dialog.get_by_role("combobox", name="Session").click()
    await page.get_by_role("option", name=re.compile(rf"^{session_id} · SIM-TAG-01")).click()
    await dialog.get_by_role("button", name="Stop", exact=True).click()
    await expect(dialog.get_by_text("RemoteStopTransaction: finished")).to_be_visible()
    await expect(dialog.get_by_role("alert")).to_contain_text("Accepted")
    await dialog.get_by_role("button", name="Close").click()

    await page.get_by_role("tab", name="Sessions").click()
    await expect(sessions.get_by_role("row").nth(1).get_by_text("Completed")).to_be_visible()
    await sessions.get_by_role("link", name=session_id, exact=True).click()
    await expect(page.get_by_text("Waiting for the next billing run")).to_be_visible()
    run = await api.request("POST", "/billing/runs")
    assert run.status == 200, run.body
    [invoice_id] = run.body["invoiced"]
    invoice = page.get_by_role("table", name="Invoice")
    await expect(invoice).to_contain_text(invoice_id)
    await expect(invoice.get_by_role("row").filter(has_text="Total")).to_contain_text("€")


async def chart_points(chart: Locator) -> int:
    """How many points the session's chart shows, from its accessible name."""
    label = await chart.get_attribute("aria-label") or ""
    return int(re.findall(r"\d+", label)[0])
