"""Roles in the embedded runtime: its viewer token reads but sends no command, its operator token
sends one; conditional GETs; the users API on the runtime's own user pool."""

import asyncio
from collections.abc import AsyncIterator
from urllib.error import HTTPError
from urllib.request import Request, urlopen

import pytest

from csms.local.runtime import LocalRuntime, running_runtime
from tests.e2e.charge_points import connected
from tests.e2e.conftest import OperatorApi

pytestmark = pytest.mark.e2e

OPERATOR_TOKEN = "operator-token-e2e"
VIEWER_TOKEN = "viewer-token-e2e"


@pytest.fixture
async def runtime() -> AsyncIterator[LocalRuntime]:
    async with running_runtime(
        port=0,
        operator_token=OPERATOR_TOKEN,
        viewer_token=VIEWER_TOKEN,
        extra_env={"POWERTOOLS_METRICS_DISABLED": "true"},
    ) as started:
        yield started


def get(runtime: LocalRuntime, path: str, token: str, if_none_match: str | None = None) -> tuple[int, str | None]:
    """(status, ETag) of a GET, as a browser would send it."""
    headers = {"Authorization": f"Bearer {token}"}
    if if_none_match is not None:
        headers["If-None-Match"] = if_none_match
    request = Request(f"{runtime.api_url}{path}", headers=headers)  # noqa: S310 - loopback
    try:
        with urlopen(request, timeout=30) as response:  # noqa: S310 - loopback
            return response.status, response.headers["ETag"]
    except HTTPError as error:
        return error.code, error.headers["ETag"]


async def test_a_viewer_reads_and_an_operator_commands(runtime: LocalRuntime, api: OperatorApi) -> None:
    await api.register_charger("CP-ROLES")
    async with connected(runtime, "CP-ROLES", "ocpp1.6"):
        listed = await api.request("GET", "/chargers", token=VIEWER_TOKEN)
        refused = await api.request("POST", "/chargers/CP-ROLES/start", {"idToken": "TAG-1"}, token=VIEWER_TOKEN)
        commands_after_refusal = await api.request("GET", "/chargers/CP-ROLES/commands", token=VIEWER_TOKEN)
        accepted = await api.request("POST", "/chargers/CP-ROLES/start", {"idToken": "TAG-1"}, token=OPERATOR_TOKEN)

    assert listed.status == 200
    assert [charger["id"] for charger in listed.body["items"]] == ["CP-ROLES"]
    assert refused.status == 403
    assert refused.body["message"].startswith("Forbidden: role viewers may not POST /api/chargers/CP-ROLES/start")
    assert commands_after_refusal.body["items"] == []
    assert accepted.status == 202


async def test_each_token_says_who_it_is(runtime: LocalRuntime, api: OperatorApi) -> None:
    for token, role in ((runtime.token, "admins"), (OPERATOR_TOKEN, "operators"), (VIEWER_TOKEN, "viewers")):
        me = await api.request("GET", "/me", token=token)
        assert (me.status, me.body["role"]) == (200, role)


async def test_an_unchanged_list_is_304(runtime: LocalRuntime, api: OperatorApi) -> None:
    status, etag = await asyncio.to_thread(get, runtime, "/chargers", VIEWER_TOKEN)
    assert status == 200
    assert etag is not None

    assert await asyncio.to_thread(get, runtime, "/chargers", VIEWER_TOKEN, etag) == (304, etag)
    await api.register_charger("CP-NEW")
    changed, new_etag = await asyncio.to_thread(get, runtime, "/chargers", VIEWER_TOKEN, etag)
    assert changed == 200
    assert new_etag != etag


async def test_an_admin_manages_the_runtimes_users(api: OperatorApi) -> None:
    invited = await api.request("PUT", "/users/alice@example.com", {"role": "operators"})
    listed = await api.request("GET", "/users")
    refused = await api.request("GET", "/users", token=OPERATOR_TOKEN)

    assert (invited.status, invited.body["role"]) == (200, "operators")
    assert listed.body["items"] == [invited.body]
    assert refused.status == 403
