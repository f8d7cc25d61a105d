"""The console follows the network without a reload: simulated chargers appear in the list, connect
and start charging while the page stays open."""

import re

import pytest
from playwright.async_api import Page, expect

from csms.local.runtime import LocalRuntime
from tests.console.conftest import OPERATOR_TOKEN
from tests.console.console import sign_in, simulated_fleet

pytestmark = pytest.mark.asyncio(loop_scope="module")


async def test_simulated_chargers_appear_and_start_charging_on_the_open_page(page: Page, runtime: LocalRuntime) -> None:
    await page.goto("/chargers")
    await sign_in(page, OPERATOR_TOKEN)
    await expect(page.get_by_text("No chargers yet")).to_be_visible()
    await page.evaluate("window.openedOnce = true")  # gone if the page reloads

    async with simulated_fleet(runtime, chargers=2) as fleet:
        chargers = page.get_by_role("table", name="Chargers")
        await expect(chargers.get_by_role("row")).to_have_count(3)  # the header and the two chargers
        for index, version in ((0, "1.6"), (1, "2.0.1")):
            row = chargers.get_by_role("row").filter(has=page.get_by_role("link", name=fleet.charger_id(index)))
            await expect(row.get_by_text("Connected", exact=True)).to_be_visible()
            await expect(row.get_by_role("cell", name=version, exact=True)).to_be_visible()
        # Each charger charges on both its connectors: 1.6 says Charging, 2.0.1 Occupied.
        for index, charging in ((0, r"^\d: Charging$"), (1, r"^EVSE \d/1: Occupied$")):
            row = chargers.get_by_role("row").filter(has=page.get_by_role("link", name=fleet.charger_id(index)))
            await expect(row.get_by_text(re.compile(charging))).to_have_count(2)

    assert await page.evaluate("window.openedOnce") is True
