"""The local HTTP API's tokens, one per role, each with the claims Cognito and API Gateway would pass on."""

from __future__ import annotations

import asyncio
import http.client
from collections.abc import AsyncIterator

import pytest

from csms.api.caller import caller_of
from csms.cli import build_parser, main
from csms.local.cloudfront import OcppDistribution
from csms.local.endpoints import Endpoints, EndpointsConfig
from csms.local.http_api import HttpApiConfig
from csms.local.runtime import LocalRuntime, RuntimeOptions
from csms.local.websocket_api import WebSocketApiConfig
from csms.users.roles import Role
from tests.local.conftest import API_TOKEN, ORIGIN_SECRET, FakeHandlers

OPERATOR_TOKEN = "operator-token-for-tests"
VIEWER_TOKEN = "viewer-token-for-tests"


@pytest.fixture
async def endpoints(fakes: FakeHandlers) -> AsyncIterator[Endpoints]:
    config = EndpointsConfig(
        distribution=OcppDistribution(ORIGIN_SECRET),
        http_api=HttpApiConfig(api_token=API_TOKEN, operator_token=OPERATOR_TOKEN, viewer_token=VIEWER_TOKEN),
        websocket_api=WebSocketApiConfig(),
    )
    async with Endpoints(config) as endpoints:
        fakes.install(endpoints)
        yield endpoints


def _status_of(endpoints: Endpoints, token: str) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", endpoints.port, timeout=5)
    try:
        connection.request("GET", "/api/chargers", headers={"Authorization": f"Bearer {token}"})
        return connection.getresponse().status
    finally:
        connection.close()


@pytest.mark.parametrize(
    ("token", "username", "role"),
    [
        (API_TOKEN, "local-admin", Role.ADMINS),
        (OPERATOR_TOKEN, "local-operator", Role.OPERATORS),
        (VIEWER_TOKEN, "local-viewer", Role.VIEWERS),
    ],
)
async def test_each_token_signs_in_a_user_of_its_role(
    endpoints: Endpoints, fakes: FakeHandlers, token: str, username: str, role: Role
) -> None:
    assert await asyncio.to_thread(_status_of, endpoints, token) == 200

    (event,) = fakes.events["operator_api"]
    claims = event["requestContext"]["authorizer"]["jwt"]["claims"]
    assert claims["cognito:groups"] == f"[{role.value}]"  # a list claim as API Gateway passes it on
    assert (caller_of(event).username, caller_of(event).role) == (username, role)


@pytest.mark.parametrize("token", ["", "wrong", OPERATOR_TOKEN + "x", VIEWER_TOKEN[:-1]])
async def test_any_other_token_is_401(endpoints: Endpoints, fakes: FakeHandlers, token: str) -> None:
    assert await asyncio.to_thread(_status_of, endpoints, token) == 401
    assert fakes.events["operator_api"] == []


def test_roles_need_different_tokens() -> None:
    with pytest.raises(ValueError, match="must differ"):
        HttpApiConfig(api_token="same", viewer_token="same")


def test_without_operator_and_viewer_tokens_there_is_the_administrators_only() -> None:
    assert HttpApiConfig(api_token="t").tokens() == [("t", Role.ADMINS)]


def test_the_runtime_serves_the_tokens_it_is_given() -> None:
    runtime = LocalRuntime(RuntimeOptions(port=0, api_token="a", operator_token="o", viewer_token="v"))

    assert runtime.endpoints.http_api.config.tokens() == [
        ("a", Role.ADMINS),
        ("o", Role.OPERATORS),
        ("v", Role.VIEWERS),
    ]


def test_csms_local_takes_a_token_per_role(capsys: pytest.CaptureFixture[str]) -> None:
    args = build_parser().parse_args(["local", "--operator-token", "o", "--viewer-token", "v"])
    assert (args.api_token, args.operator_token, args.viewer_token) == (None, "o", "v")

    assert main(["local", "--api-token", "same", "--viewer-token", "same"]) == 2
    assert "must differ" in capsys.readouterr().err
