"""Signing in to the console with the runtime's token: a refused token, a page opened while signed
out, and a sign-in the API stops accepting while a page is open (back to sign-in, then the same page)."""

import re

import pytest
import pytest_asyncio
from playwright.async_api import Page, Route, expect

from tests.console.conftest import OPERATOR_TOKEN
from tests.console.console import sign_in
from tests.e2e.conftest import OperatorApi

pytestmark = pytest.mark.asyncio(loop_scope="module")

CHARGER = "CP-SIGN-IN"


@pytest_asyncio.fixture(loop_scope="module", scope="module", autouse=True)
async def registered_charger(api: OperatorApi) -> None:
    await api.register_charger(CHARGER)


async def test_a_refused_token_stays_on_sign_in_and_the_right_one_opens_the_overview(page: Page) -> None:
    await page.goto("/")
    await page.get_by_label("API token").fill("not-a-token")
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_text("The API refused this token.")).to_be_visible()

    await sign_in(page, OPERATOR_TOKEN)

    await expect(page.get_by_role("heading", name="Overview")).to_be_visible()
    await expect(page.get_by_text("local-operator")).to_be_visible()
    await expect(page.get_by_text("operators", exact=True)).to_be_visible()
    await expect(page.get_by_text("of 1 chargers")).to_be_visible()


async def test_a_page_opened_signed_out_shows_after_sign_in(page: Page) -> None:
    await page.goto(f"/chargers/{CHARGER}/configuration")
    await expect(page.get_by_label("API token")).to_be_visible()

    await sign_in(page, OPERATOR_TOKEN)

    await expect(page.get_by_role("heading", name=CHARGER)).to_be_visible()
    await expect(page.get_by_role("tab", name="Configuration", selected=True)).to_be_visible()
    assert page.url.endswith(f"/chargers/{CHARGER}/configuration")


async def test_a_sign_in_the_api_refuses_later_goes_back_to_sign_in_and_returns_to_the_page(page: Page) -> None:
    await page.goto(f"/chargers/{CHARGER}/sessions")
    await sign_in(page, OPERATOR_TOKEN)
    await expect(page.get_by_role("heading", name=CHARGER)).to_be_visible()
    await page.evaluate("window.signedInOnce = true")  # gone if the page reloads

    async def with_an_expired_token(route: Route) -> None:
        """What the API sees once a sign-in has expired: a token it no longer accepts (it answers 401)."""
        await route.continue_(headers={**route.request.headers, "authorization": "Bearer expired"})

    await page.route(re.compile(r"/api/"), with_an_expired_token)
    await expect(page.get_by_text("Your sign-in has expired or was refused")).to_be_visible()
    await expect(page.get_by_label("API token")).to_be_visible()
    assert page.url.endswith(f"/chargers/{CHARGER}/sessions")

    await page.unroute(re.compile(r"/api/"), with_an_expired_token)
    await sign_in(page, OPERATOR_TOKEN)

    await expect(page.get_by_role("heading", name=CHARGER)).to_be_visible()
    await expect(page.get_by_role("tab", name="Sessions", selected=True)).to_be_visible()
    assert page.url.endswith(f"/chargers/{CHARGER}/sessions")
    assert await page.evaluate("window.signedInOnce") is True
