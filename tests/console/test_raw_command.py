"""Any OCPP action through the form the console generates from the action's official schema, followed
until its final status: 1.6 ChangeConfiguration (text fields) and 2.0.1 TriggerMessage (an enum,
an optional object left empty)."""

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from playwright.async_api import Locator, Page, expect

from csms.local.runtime import LocalRuntime
from csms.simulator.options import SimulationOptions
from tests.console.conftest import OPERATOR_TOKEN
from tests.console.console import sign_in, simulated_fleet

pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def fleet(runtime: LocalRuntime) -> AsyncIterator[SimulationOptions]:
    async with simulated_fleet(runtime, chargers=2) as simulation:
        yield simulation


async def command_form(page: Page, charger: str, version: str, action: str) -> Locator:
    """The charger's "Other command" dialog with `action` chosen."""
    await page.goto(f"/chargers/{charger}")
    await sign_in(page, OPERATOR_TOKEN)
    await page.get_by_role("button", name="Other command…").click()
    dialog = page.get_by_role("dialog", name=f"Other command · {charger}")
    await dialog.get_by_role("combobox", name=f"OCPP {version} action").fill(action)
    await page.get_by_role("option", name=action, exact=True).click()
    return dialog


async def test_a_16_change_configuration_from_the_generated_form(page: Page, fleet: SimulationOptions) -> None:
    dialog = await command_form(page, fleet.charger_id(0), "1.6", "ChangeConfiguration")
    await dialog.get_by_role("textbox", name="key").fill("HeartbeatInterval")
    await dialog.get_by_role("textbox", name="value").fill("120")
    await dialog.get_by_role("button", name="Send ChangeConfiguration").click()

    await expect(dialog.get_by_text("ChangeConfiguration: finished")).to_be_visible()
    await expect(dialog.get_by_role("alert")).to_contain_text("Accepted")


async def test_a_201_trigger_message_from_the_generated_form(page: Page, fleet: SimulationOptions) -> None:
    dialog = await command_form(page, fleet.charger_id(1), "2.0.1", "TriggerMessage")
    await dialog.get_by_role("combobox", name="requestedMessage").click()
    await page.get_by_role("option", name="Heartbeat", exact=True).click()
    await dialog.get_by_role("button", name="Send TriggerMessage").click()

    await expect(dialog.get_by_text("TriggerMessage: finished")).to_be_visible()
    await expect(dialog.get_by_role("alert")).to_contain_text("Accepted")
