"""A load-balanced site in the console: the Sites list and a site's page with a simulated charger charging at
it, its share of the limit applied, the current it draws and the chart; an operator sets and ends a live limit
and sees the share follow; a viewer sees the same page with no button to change it."""

import asyncio
import re
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from playwright.async_api import Page, expect

from csms.local.runtime import LocalRuntime
from tests.console.conftest import OPERATOR_TOKEN, VIEWER_TOKEN
from tests.console.console import sign_in, simulated_fleet
from tests.e2e.conftest import OperatorApi

pytestmark = pytest.mark.asyncio(loop_scope="module")

SITE = {"name": "Depot", "gridLimitAmps": 20}


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def charger(runtime: LocalRuntime, api: OperatorApi) -> AsyncIterator[str]:
    """A 1.6 charger with one connector, charging, wired to the site "depot" (20 A)."""
    assert (await api.request("PUT", "/sites/depot", SITE)).status == 200
    async with simulated_fleet(runtime, ocpp="1.6", connectors=1) as simulation:
        charger_id = simulation.charger_id(0)
        while (await api.request("GET", f"/chargers/{charger_id}")).status != 200:  # the simulator registers it
            await asyncio.sleep(0.2)
        wired = await api.request("PUT", f"/chargers/{charger_id}", {"siteId": "depot"})
        assert wired.status == 200, wired.body
        yield charger_id


async def test_a_site_shows_its_chargers_share_and_an_operator_sets_a_live_limit(page: Page, charger: str) -> None:
    await page.goto("/sites")
    await sign_in(page, OPERATOR_TOKEN)
    sites = page.get_by_role("table", name="Sites")
    row = sites.get_by_role("row").filter(has=page.get_by_role("link", name="Depot"))
    await expect(row).to_contain_text("configured")
    await expect(row.get_by_role("cell", name="1", exact=True)).to_be_visible()  # one active session

    await row.get_by_role("link", name="Depot").click()
    await expect(page.get_by_role("heading", name="Depot")).to_be_visible()
    session = (
        page.get_by_role("table", name="Sessions")
        .get_by_role("row")
        .filter(has=page.get_by_role("link", name=charger, exact=True))
    )
    await expect(session.get_by_role("cell", name="20 A", exact=True)).to_have_count(2)  # allocated and effective
    await expect(session.get_by_text("Applied", exact=True)).to_be_visible()
    await expect(session.get_by_role("cell", name=re.compile(r"^\d+(\.\d)? A$"))).to_have_count(3)  # measured too
    await expect(page.get_by_role("figure", name=re.compile(r"^Limit, allocated and measured current"))).to_be_visible()

    await page.get_by_role("button", name="Set live limit").click()
    dialog = page.get_by_role("dialog", name="Live limit of Depot")
    await dialog.get_by_label("Limit").fill("12.5")
    await dialog.get_by_role("button", name="Set limit").click()
    await expect(dialog).to_be_hidden()
    await expect(page.get_by_text("live limit", exact=True)).to_be_visible()
    await expect(session.get_by_role("cell", name="12.5 A", exact=True)).to_have_count(2)
    await expect(session.get_by_text("Applied", exact=True)).to_be_visible()

    await page.get_by_role("button", name="End live limit").click()
    await page.get_by_role("dialog").get_by_role("button", name="End live limit").click()
    await expect(session.get_by_role("cell", name="20 A", exact=True)).to_have_count(2)


async def test_a_viewer_sees_the_site_but_no_button_to_change_its_limit(page: Page, charger: str) -> None:
    await page.goto("/sites/depot")
    await sign_in(page, VIEWER_TOKEN)
    await expect(page.get_by_role("table", name="Sessions").get_by_role("link", name=charger)).to_be_visible()

    await expect(page.get_by_role("button", name="Set live limit")).to_have_count(0)
    await expect(page.get_by_role("button", name="End live limit")).to_have_count(0)
