"""Browser tests of the web console: the embedded runtime serving the console's build (console/dist),
Debian's Chromium driven by Playwright (its own browser download cannot work offline), and simulated
chargers. A missing build or browser fails every test with what to run: nothing is skipped.

Each test module shares one runtime and one browser (`pytest.mark.asyncio(loop_scope="module")`);
each test gets a fresh browser context, so a fresh sign-in."""

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
from playwright.async_api import Browser, Error, Page, async_playwright, expect

from csms.local.console_files import DEFAULT_CONSOLE_DIR
from csms.local.runtime import LocalRuntime
from tests.e2e.conftest import module_runtime

ADMIN_TOKEN = "admin-token-console"
OPERATOR_TOKEN = "operator-token-console"
VIEWER_TOKEN = "viewer-token-console"
# Debian's package (`apt-get install -y chromium`); CSMS_CHROMIUM names another Chromium build.
CHROMIUM = Path(os.environ.get("CSMS_CHROMIUM", "/usr/bin/chromium"))
# What the page shows follows the API by polling every 3 s; a loaded CI machine needs more than Playwright's 5 s.
expect.set_options(timeout=30_000)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test here is a `console` test (`-m console` selects them, `-m "not console"` leaves them out)."""
    here = Path(__file__).parent
    for item in items:
        if item.path.is_relative_to(here):
            item.add_marker(pytest.mark.console)


runtime, api, _environment = module_runtime(
    {"POWERTOOLS_METRICS_DISABLED": "true"},
    api_token=ADMIN_TOKEN,
    operator_token=OPERATOR_TOKEN,
    viewer_token=VIEWER_TOKEN,
)


@pytest.fixture(scope="session")
def chromium() -> Path:
    if not CHROMIUM.is_file():
        pytest.fail(f"no Chromium at {CHROMIUM}: apt-get install -y chromium (or set CSMS_CHROMIUM)", pytrace=False)
    return CHROMIUM


@pytest.fixture(scope="session")
def console_build() -> Path:
    if not (DEFAULT_CONSOLE_DIR / "index.html").is_file():
        pytest.fail(
            f"the console is not built ({DEFAULT_CONSOLE_DIR} has no index.html): run ./dev test, "
            "or cd console && npm ci && npm run build",
            pytrace=False,
        )
    return DEFAULT_CONSOLE_DIR


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def browser(chromium: Path) -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        yield launched
        await launched.close()


@pytest_asyncio.fixture(loop_scope="module")
async def page(browser: Browser, runtime: LocalRuntime, console_build: Path) -> AsyncIterator[Page]:
    """A new tab in a new browser context (its own sessionStorage: signed out) on the runtime; an error the
    page's scripts left uncaught fails the test."""
    context = await browser.new_context(base_url=runtime.base_url, viewport={"width": 1400, "height": 900})
    opened = await context.new_page()
    uncaught: list[Error] = []
    opened.on("pageerror", lambda error: uncaught.append(error))  # noqa: PLW0108 - Playwright calls Python functions only
    yield opened
    await context.close()
    assert not uncaught, f"uncaught in the page: {uncaught}"
