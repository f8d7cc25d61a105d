"""Plain HTTP through the front door: the operator HTTP API, request bodies, and 404s."""

from __future__ import annotations

import asyncio
import base64
import http.client
import json
from dataclasses import dataclass

import pytest
from aws_lambda_powertools.utilities.parser.models import APIGatewayProxyEventV2Model

from csms.local.endpoints import Endpoints
from csms.local.lambda_functions import LocalFunction
from tests.local.conftest import API_TOKEN, FakeHandlers, endpoints_config


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> object:
        return json.loads(self.body)


def _request_sync(endpoints: Endpoints, method: str, path: str, body: bytes | None, headers: dict[str, str]) -> Reply:
    connection = http.client.HTTPConnection("127.0.0.1", endpoints.port, timeout=5)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return Reply(response.status, {k.lower(): v for k, v in response.getheaders()}, response.read())
    finally:
        connection.close()


async def request(
    endpoints: Endpoints,
    method: str,
    path: str,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    token: str | None = None,
) -> Reply:
    headers = dict(headers or {})
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    return await asyncio.to_thread(_request_sync, endpoints, method, path, body, headers)


async def test_health_needs_no_token(endpoints: Endpoints, fakes: FakeHandlers) -> None:
    reply = await request(endpoints, "GET", "/api/health")
    assert reply.status == 200
    assert reply.json() == {"path": "/api/health"}
    assert reply.headers["x-handler"] == "fake"
    assert reply.headers["connection"] == "close"
    (event,) = fakes.events["operator_api"]
    assert "authorizer" not in event["requestContext"]


async def test_head_health_needs_no_token_and_has_no_body(endpoints: Endpoints, fakes: FakeHandlers) -> None:
    reply = await request(endpoints, "HEAD", "/api/health")
    assert reply.status == 200
    assert reply.body == b""
    assert int(reply.headers["content-length"]) > 0  # the length a GET would have, as HTTP says
    (event,) = fakes.events["operator_api"]
    assert event["requestContext"]["http"]["method"] == "HEAD"
    assert "authorizer" not in event["requestContext"]


@pytest.mark.parametrize("path", ["/api/docs", "/api/openapi.json"])
async def test_the_api_documentation_needs_no_token(endpoints: Endpoints, fakes: FakeHandlers, path: str) -> None:
    reply = await request(endpoints, "GET", path)

    assert reply.status == 200
    (event,) = fakes.events["operator_api"]
    assert "authorizer" not in event["requestContext"]
    assert (await request(endpoints, "POST", path)).status == 401  # only reading it is open


async def test_health_is_503_until_handlers_are_in() -> None:
    async with Endpoints(endpoints_config()) as endpoints:
        reply = await request(endpoints, "GET", "/api/health")
        assert reply.status == 503


@pytest.mark.parametrize("token", [None, "wrong", API_TOKEN + "x", ""])
async def test_other_routes_need_the_token(endpoints: Endpoints, fakes: FakeHandlers, token: str | None) -> None:
    reply = await request(endpoints, "GET", "/api/charge-points", token=token)
    assert reply.status == 401
    assert reply.json() == {"message": "Unauthorized"}
    assert fakes.events["operator_api"] == []


async def test_basic_auth_is_not_a_bearer_token(endpoints: Endpoints, fakes: FakeHandlers) -> None:
    reply = await request(endpoints, "GET", "/api/charge-points", headers={"Authorization": f"Basic {API_TOKEN}"})
    assert reply.status == 401


async def test_http_api_event_shape(endpoints: Endpoints, fakes: FakeHandlers) -> None:
    body = json.dumps({"type": "Hard"}).encode()
    reply = await request(
        endpoints,
        "POST",
        "/api/charge-points/CP%201/reset?force=true&tag=a&tag=b",
        body=body,
        headers={"Content-Type": "application/json", "X-Custom": "1", "Cookie": "a=1; b=2"},
        token=API_TOKEN,
    )
    assert reply.status == 200
    (event,) = fakes.events["operator_api"]
    APIGatewayProxyEventV2Model.model_validate(event)
    assert event["version"] == "2.0"
    assert event["routeKey"] == "$default"
    assert event["rawPath"] == "/api/charge-points/CP%201/reset"
    assert event["rawQueryString"] == "force=true&tag=a&tag=b"
    assert event["queryStringParameters"] == {"force": "true", "tag": "a,b"}
    assert event["body"] == body.decode()
    assert event["isBase64Encoded"] is False
    assert event["cookies"] == ["a=1", "b=2"]
    headers = event["headers"]
    assert all(name == name.lower() for name in headers)
    assert headers["x-custom"] == "1"
    assert headers["content-type"] == "application/json"
    assert headers["authorization"] == f"Bearer {API_TOKEN}"
    http_context = event["requestContext"]["http"]
    assert http_context["method"] == "POST"
    assert http_context["path"] == "/api/charge-points/CP%201/reset"
    assert http_context["sourceIp"] == "127.0.0.1"
    assert http_context["protocol"] == "HTTP/1.1"
    assert "sub" in event["requestContext"]["authorizer"]["jwt"]["claims"]


async def test_binary_bodies_and_responses(endpoints: Endpoints, fakes: FakeHandlers) -> None:
    fakes.operator_response = {
        "statusCode": 201,
        "headers": {"Content-Type": "application/octet-stream"},
        "cookies": ["session=1"],
        "body": base64.b64encode(b"\x00\xff").decode(),
        "isBase64Encoded": True,
    }
    reply = await request(
        endpoints,
        "PUT",
        "/api/firmware",
        body=b"\x00\x01\xfe",
        headers={"Content-Type": "application/octet-stream"},
        token=API_TOKEN,
    )
    assert (reply.status, reply.body) == (201, b"\x00\xff")
    assert reply.headers["set-cookie"] == "session=1"
    (event,) = fakes.events["operator_api"]
    assert event["isBase64Encoded"] is True
    assert base64.b64decode(event["body"]) == b"\x00\x01\xfe"


async def test_handler_error_is_500(endpoints: Endpoints, fakes: FakeHandlers) -> None:
    def broken(event: object, context: object) -> dict[str, object]:
        raise RuntimeError("bug")

    endpoints.http_api.set_function(LocalFunction("operator_api", broken, 29.0))
    reply = await request(endpoints, "GET", "/api/charge-points", token=API_TOKEN)
    assert reply.status == 500
    assert reply.json() == {"message": "Internal Server Error"}


# Every other path is the web console's (test_console_files).
@pytest.mark.parametrize("path", ["/ocpp", "/ocpp/CP1"])
async def test_anything_else_is_404(endpoints: Endpoints, path: str) -> None:
    reply = await request(endpoints, "GET", path, token=API_TOKEN)
    assert reply.status == 404


async def test_chunked_request_body(endpoints: Endpoints, fakes: FakeHandlers) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", endpoints.port)
    writer.write(
        b"POST /api/echo HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + API_TOKEN.encode() + b"\r\n"
        b"Content-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n"
        b"5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"
    )
    await writer.drain()
    response = await asyncio.wait_for(reader.read(), 5)
    writer.close()
    assert response.startswith(b"HTTP/1.1 200 OK\r\n")
    assert fakes.events["operator_api"][0]["body"] == "hello world"
