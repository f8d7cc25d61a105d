"""End-to-end fixtures: the embedded runtime on a free port, and a small operator API client."""

import asyncio
import base64
import json
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.error import HTTPError
from urllib.request import Request, urlopen

import pytest
import pytest_asyncio

from csms.local.runtime import LocalRuntime, running_runtime

pytestmark = pytest.mark.e2e

PASSWORD = "correct-horse-battery"


@dataclass
class ApiResponse:
    status: int
    body: Any


class OperatorApi:
    """The operator HTTP API as an operator's script would use it."""

    def __init__(self, runtime: LocalRuntime) -> None:
        self._base = runtime.api_url
        self._token = runtime.token

    async def request(self, method: str, path: str, body: Any = None, token: str | None = "default") -> ApiResponse:
        return await asyncio.to_thread(self._request, method, path, body, token)

    def _request(self, method: str, path: str, body: Any, token: str | None) -> ApiResponse:
        headers = {"Content-Type": "application/json"}
        if token is not None:
            headers["Authorization"] = f"Bearer {self._token if token == 'default' else token}"
        data = json.dumps(body).encode() if body is not None else None
        request = Request(f"{self._base}{path}", data=data, method=method, headers=headers)  # noqa: S310 - loopback
        try:
            with urlopen(request, timeout=30) as response:  # noqa: S310 - loopback
                return ApiResponse(response.status, json.loads(response.read() or b"null"))
        except HTTPError as error:
            return ApiResponse(error.code, json.loads(error.read() or b"null"))

    async def register_charger(self, charger_id: str, password: str | None = PASSWORD) -> None:
        response = await self.request("PUT", f"/chargers/{charger_id}", {"password": password} if password else {})
        assert response.status == 200, response.body

    async def register_token(self, id_token: str, **fields: Any) -> None:
        response = await self.request("PUT", f"/id-tokens/{id_token}", {"status": "Accepted", **fields})
        assert response.status == 200, response.body


def basic_auth(username: str, password: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()}


@pytest.fixture
async def runtime() -> AsyncIterator[LocalRuntime]:
    async with running_runtime(port=0, extra_env={"POWERTOOLS_METRICS_DISABLED": "true"}) as started:
        yield started


@pytest.fixture
async def open_runtime() -> AsyncIterator[LocalRuntime]:
    """A deployment that accepts unknown charge points."""
    async with running_runtime(
        port=0, accept_unknown=True, extra_env={"POWERTOOLS_METRICS_DISABLED": "true"}
    ) as started:
        yield started


@pytest.fixture
def api(runtime: LocalRuntime) -> OperatorApi:
    return OperatorApi(runtime)


def module_runtime(extra_env: Mapping[str, str], **options: Any) -> tuple[Callable[..., Any], ...]:
    """Fixtures for a module whose tests share one runtime started with `extra_env` (and `RuntimeOptions`):
    `runtime, api, _environment = module_runtime({...})` (with `pytest.mark.asyncio(loop_scope="module")`)."""

    @pytest_asyncio.fixture(loop_scope="module", scope="module")
    async def runtime() -> AsyncIterator[LocalRuntime]:
        async with running_runtime(port=0, extra_env=dict(extra_env), **options) as started:
            yield started

    @pytest.fixture(scope="module")
    def api(runtime: LocalRuntime) -> OperatorApi:
        return OperatorApi(runtime)

    @pytest.fixture(autouse=True)
    def _environment() -> None:
        """The module's runtime set the handlers' environment; the root fixture would reset it per test."""

    return runtime, api, _environment
