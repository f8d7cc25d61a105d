"""Roles in the console: an operator gets the charger's commands, a viewer sees the same charger with
no command to send, and the API refuses the viewer's command even when sent by hand."""

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from playwright.async_api import Page, expect

from csms.local.runtime import LocalRuntime
from tests.console.conftest import OPERATOR_TOKEN, VIEWER_TOKEN
from tests.console.console import sign_in, simulated_fleet

pytestmark = pytest.mark.asyncio(loop_scope="module")

COMMANDS = ("Start", "Stop", "Reset", "Unlock", "Availability", "Other command…")


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def charger(runtime: LocalRuntime) -> AsyncIterator[str]:
    async with simulated_fleet(runtime) as simulation:
        yield simulation.charger_id(0)


async def open_charger(page: Page, charger: str, token: str) -> None:
    await page.goto(f"/chargers/{charger}")
    await sign_in(page, token)
    await expect(page.get_by_role("heading", name=charger)).to_be_visible()
    await expect(page.get_by_text("Connected", exact=True)).to_be_visible()


async def test_an_operator_gets_the_chargers_commands(page: Page, charger: str) -> None:
    await open_charger(page, charger, OPERATOR_TOKEN)

    for name in COMMANDS:
        await expect(page.get_by_role("button", name=name, exact=True)).to_be_enabled()


async def test_a_viewer_sees_the_charger_but_no_command_and_the_api_refuses_one(page: Page, charger: str) -> None:
    await open_charger(page, charger, VIEWER_TOKEN)
    await expect(page.get_by_text("viewers", exact=True)).to_be_visible()
    await expect(page.get_by_role("table", name="Connectors").get_by_role("row")).to_have_count(3)

    for name in COMMANDS:
        await expect(page.get_by_role("button", name=name, exact=True)).to_have_count(0)
    status, body = await page.evaluate(
        """async (chargerId) => {
            const { accessToken } = JSON.parse(sessionStorage.getItem("csms.session"));
            const response = await fetch(`/api/chargers/${chargerId}/start`, {
                method: "POST",
                headers: { Authorization: `Bearer ${accessToken}`, "Content-Type": "application/json" },
                body: JSON.stringify({ idToken: "SIM-TAG-01" }),
            });
            return [response.status, await response.json()];
        }""",
        charger,
    )
    assert status == 403
    assert body["message"].startswith(f"Forbidden: role viewers may not POST /api/chargers/{charger}/start")
