"""Swagger UI in a real browser: a signed-in user's link (`/api/docs#token=...`, as the console makes it)
opens the API's documentation authorized, so "Try it out" calls the API with that user's token."""

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from playwright.async_api import Browser, Page, expect

from csms.local.runtime import LocalRuntime
from tests.console.conftest import VIEWER_TOKEN

pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest_asyncio.fixture(loop_scope="module")
async def docs(browser: Browser, runtime: LocalRuntime) -> AsyncIterator[Page]:
    context = await browser.new_context(base_url=runtime.base_url)
    opened = await context.new_page()
    yield opened
    await context.close()


async def test_a_link_with_the_token_authorizes_swagger_ui_and_try_it_out_uses_it(docs: Page) -> None:
    await docs.goto(f"/api/docs#token={VIEWER_TOKEN}")

    await expect(docs.locator(".swagger-ui .info .title")).to_contain_text("CSMS operator API")
    assert docs.url.endswith("/api/docs")  # the token left the address
    authorized = await docs.evaluate("() => window.ui.authSelectors.authorized().toJS()")
    assert authorized["bearer"]["value"] == VIEWER_TOKEN

    operation = docs.locator("#operations-Account-getMe")
    await operation.locator(".opblock-summary").click()
    await operation.get_by_role("button", name="Try it out").click()
    await operation.get_by_role("button", name="Execute").click()
    await expect(operation.locator(".live-responses-table")).to_contain_text('"role": "viewers"')

    # Kept for the next visit (persistAuthorization), without the link
    await docs.goto("/api/docs")
    await expect(docs.locator(".swagger-ui .info .title")).to_contain_text("CSMS operator API")
    assert (await docs.evaluate("() => window.ui.authSelectors.authorized().toJS()"))["bearer"]["value"] == VIEWER_TOKEN
