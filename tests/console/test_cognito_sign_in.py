"""Signing in to the console as on AWS: the Cognito hosted UI with the authorization code grant and PKCE.

`config.json` is the one the stack writes (`auth: cognito`); the hosted UI's two endpoints are stood in
for in the browser (no Cognito offline): /oauth2/authorize sends the browser back with a code, and
/oauth2/token answers with the runtime's operator token as the access token, which the API accepts.
"""

import base64
import hashlib
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlencode, urlparse

import pytest
import pytest_asyncio
from playwright.async_api import Page, Route, expect

from csms.local.runtime import LocalRuntime
from tests.console.conftest import OPERATOR_TOKEN
from tests.e2e.conftest import OperatorApi

pytestmark = pytest.mark.asyncio(loop_scope="module")

HOSTED_UI = "https://csms-test.auth.eu-west-1.amazoncognito.com"
CLIENT_ID = "console-client"
CHARGER = "CP-COGNITO"


@dataclass
class HostedUi:
    """What the console asked of the stand-in hosted UI, and how long the tokens it gives last."""

    expires_in: int = 3600
    authorize: dict[str, str] = field(default_factory=dict)
    token_requests: list[dict[str, str]] = field(default_factory=list)

    async def answer_authorize(self, route: Route) -> None:
        self.authorize = {name: values[0] for name, values in parse_qs(urlparse(route.request.url).query).items()}
        back = urlencode({"code": "the-code", "state": self.authorize["state"]})
        await route.fulfill(status=302, headers={"Location": f"{self.authorize['redirect_uri']}?{back}"})

    async def answer_token(self, route: Route) -> None:
        form = {name: values[0] for name, values in parse_qs(route.request.post_data or "").items()}
        self.token_requests.append(form)
        tokens = {"access_token": OPERATOR_TOKEN, "expires_in": self.expires_in, "token_type": "Bearer"}
        if form["grant_type"] == "authorization_code":
            tokens["refresh_token"] = "the-refresh-token"
        await route.fulfill(json=tokens, headers={"Access-Control-Allow-Origin": "*"})


@pytest_asyncio.fixture(loop_scope="module", scope="module", autouse=True)
async def registered_charger(api: OperatorApi) -> None:
    await api.register_charger(CHARGER)


async def on_aws(page: Page, runtime: LocalRuntime, hosted_ui: HostedUi) -> None:
    config = {
        "auth": "cognito",
        "apiUrl": runtime.api_url,
        "cognitoDomain": HOSTED_UI,
        "clientId": CLIENT_ID,
        "redirectUri": f"{runtime.base_url}/",
        "scopes": ["openid", "email", "profile", "csms/operator"],
    }
    await page.route("**/config.json", lambda route: route.fulfill(json=config))
    await page.route(f"{HOSTED_UI}/oauth2/authorize?*", hosted_ui.answer_authorize)
    await page.route(f"{HOSTED_UI}/oauth2/token", hosted_ui.answer_token)


def s256(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()


async def test_sign_in_through_the_hosted_ui_with_pkce_returns_to_the_page(page: Page, runtime: LocalRuntime) -> None:
    hosted_ui = HostedUi()
    await on_aws(page, runtime, hosted_ui)
    await page.goto(f"/chargers/{CHARGER}/commands")

    await page.get_by_role("button", name="Sign in").click()

    await expect(page.get_by_role("heading", name=CHARGER)).to_be_visible()
    await expect(page.get_by_role("tab", name="Commands", selected=True)).to_be_visible()
    assert page.url == f"{runtime.base_url}/chargers/{CHARGER}/commands"  # the code is gone from the address
    asked = hosted_ui.authorize
    assert asked["response_type"] == "code"
    assert asked["client_id"] == CLIENT_ID
    assert asked["redirect_uri"] == f"{runtime.base_url}/"
    assert asked["scope"] == "openid email profile csms/operator"
    assert asked["code_challenge_method"] == "S256"
    (exchange,) = hosted_ui.token_requests
    assert exchange["grant_type"] == "authorization_code"
    assert exchange["code"] == "the-code"
    assert exchange["client_id"] == CLIENT_ID
    assert s256(exchange["code_verifier"]) == asked["code_challenge"]


async def test_an_access_token_about_to_expire_is_refreshed(page: Page, runtime: LocalRuntime) -> None:
    # Tokens that expire within the console's margin (30 s) are refreshed before the next request.
    hosted_ui = HostedUi(expires_in=20)
    await on_aws(page, runtime, hosted_ui)
    await page.goto(f"/chargers/{CHARGER}")
    await page.get_by_role("button", name="Sign in").click()

    await expect(page.get_by_role("heading", name=CHARGER)).to_be_visible()
    # The first API request (GET /api/me) already finds the new token about to expire.
    grants = [form["grant_type"] for form in hosted_ui.token_requests]
    assert grants[:2] == ["authorization_code", "refresh_token"]
    assert hosted_ui.token_requests[1]["refresh_token"] == "the-refresh-token"
    assert hosted_ui.token_requests[1]["client_id"] == CLIENT_ID
