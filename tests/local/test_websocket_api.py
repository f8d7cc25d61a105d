"""The WebSocket API behind the CloudFront rewrite, and its management API: real `websockets` clients,
fake handlers."""

from __future__ import annotations

import asyncio
import dataclasses
import json
from typing import Any

import boto3
import pytest
from aws_lambda_powertools.utilities.parser.models import (
    APIGatewayWebSocketConnectEventModel,
    APIGatewayWebSocketDisconnectEventModel,
    APIGatewayWebSocketMessageEventModel,
)
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus
from websockets.typing import Subprotocol

from csms.local.endpoints import Endpoints
from tests.local.conftest import ORIGIN_SECRET, FakeHandlers, endpoints_config, wait_for


def _connect(endpoints: Endpoints, charge_point_id: str, **kwargs: Any) -> Any:
    kwargs.setdefault("subprotocols", [Subprotocol("ocpp1.6")])
    return connect(f"{endpoints.ws_url}/{charge_point_id}", open_timeout=5, **kwargs)


async def _refusal_status(endpoints: Endpoints, path: str) -> int:
    with pytest.raises(InvalidStatus) as refused:
        async with connect(
            f"ws://{endpoints.front_door.address.authority}{path}",
            subprotocols=[Subprotocol("ocpp1.6")],
            open_timeout=5,
        ):
            pass
    return refused.value.response.status_code


def _management_client(endpoints: Endpoints) -> Any:
    return boto3.session.Session().client(
        "apigatewaymanagementapi",
        endpoint_url=endpoints.management_endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


async def test_path_rewrite_and_header_injection(endpoints: Endpoints, fakes: FakeHandlers) -> None:
    forged = {
        "x-ocpp-charge-point-id": "FORGED",
        "X-Origin-Verify": "forged-secret",
        "x-ocpp-authorization": "Basic forged",
        "Authorization": "Basic Q1AgMTpzZWNyZXQ=",
    }
    async with _connect(endpoints, "CP%201?vendor=acme", additional_headers=forged) as ws:
        assert ws.subprotocol == "ocpp1.6"

    (event,) = fakes.events["authorizer"]
    assert event["type"] == "REQUEST"
    assert event["methodArn"].endswith("/local/$connect")
    assert event["methodArn"].startswith("arn:aws:execute-api:us-east-1:")
    headers = {name.lower(): values for name, values in event["multiValueHeaders"].items()}
    # Exactly CloudFront's rewrite: the raw segment, the secret, the Authorization copy.
    assert headers["x-ocpp-charge-point-id"] == ["CP%201"]
    assert headers["x-origin-verify"] == [ORIGIN_SECRET]
    assert headers["x-ocpp-authorization"] == ["Basic Q1AgMTpzZWNyZXQ="]
    assert "authorization" not in headers  # CloudFront does not forward it
    assert headers["sec-websocket-protocol"] == ["ocpp1.6"]
    assert headers["x-forwarded-for"] == ["127.0.0.1"]
    assert event["headers"]["x-ocpp-charge-point-id"] == "CP%201"
    assert event["queryStringParameters"] == {"vendor": "acme"}
    context = event["requestContext"]
    assert (context["routeKey"], context["eventType"]) == ("$connect", "CONNECT")
    assert context["identity"]["sourceIp"] == "127.0.0.1"

    (connect_event,) = fakes.events["connect"]
    APIGatewayWebSocketConnectEventModel.model_validate(connect_event)
    assert connect_event["requestContext"]["connectionId"] == context["connectionId"]
    assert connect_event["requestContext"]["authorizer"] == {
        "chargePointId": "CP%201",
        "ocppVersion": "1.6",
        "principalId": "CP%201",
    }
    assert connect_event["queryStringParameters"] == {"vendor": "acme"}


@pytest.mark.parametrize("path", ["/CP1", "/ocpp/", "/ocpp/a/b", "/other/CP1"])
async def test_paths_other_than_ocpp_id_get_404(endpoints: Endpoints, fakes: FakeHandlers, path: str) -> None:
    assert await _refusal_status(endpoints, path) == 404
    assert fakes.events["authorizer"] == []


@pytest.mark.parametrize(
    ("charge_point_id", "status"), [("UNAUTH", 401), ("DENY", 403), ("BROKEN", 500), ("REFUSE", 429)]
)
async def test_refusals(endpoints: Endpoints, fakes: FakeHandlers, charge_point_id: str, status: int) -> None:
    assert await _refusal_status(endpoints, f"/ocpp/{charge_point_id}") == status
    assert len(fakes.events["connect"]) == (1 if status == 429 else 0)
    assert fakes.events["message"] == []
    assert fakes.events["disconnect"] == []  # no connection, no $disconnect


async def test_subprotocol_is_exactly_what_connect_answered(endpoints: Endpoints) -> None:
    async with _connect(endpoints, "CP1", subprotocols=["ocpp1.6", "ocpp2.0.1"]) as ws:
        assert ws.subprotocol == "ocpp2.0.1"
    async with _connect(endpoints, "NOPROTO", subprotocols=None) as ws:
        assert ws.subprotocol is None
    # $connect refuses when no supported version is offered.
    with pytest.raises(InvalidStatus) as refused:
        async with _connect(endpoints, "CP1", subprotocols=["ocpp1.5"]):
            pass
    assert refused.value.response.status_code == 400


async def test_subprotocol_not_offered_fails_on_the_client(endpoints: Endpoints) -> None:
    # API Gateway sends whatever $connect said; a client that did not offer it aborts.
    with pytest.raises(InvalidHandshake):
        async with _connect(endpoints, "FORCE16", subprotocols=["ocpp2.0.1"]):
            pass


async def test_one_default_invocation_per_frame_in_order(endpoints: Endpoints, fakes: FakeHandlers) -> None:
    frames = [json.dumps([2, str(i), "Heartbeat", {}]) for i in range(5)]
    async with _connect(endpoints, "CP1") as ws:
        for frame in frames:
            await ws.send(frame)
        replies = [await asyncio.wait_for(ws.recv(), 5) for _ in frames]
    assert replies == [f"echo:{frame}" for frame in frames]

    messages = fakes.events["message"]
    assert [event["body"] for event in messages] == frames
    connection_id = fakes.events["connect"][0]["requestContext"]["connectionId"]
    for event in messages:
        APIGatewayWebSocketMessageEventModel.model_validate(event)
        context = event["requestContext"]
        assert (context["routeKey"], context["eventType"]) == ("$default", "MESSAGE")
        assert context["connectionId"] == connection_id
        assert context["authorizer"]["chargePointId"] == "CP1"
        assert context["authorizer"]["ocppVersion"] == "1.6"
        assert event["isBase64Encoded"] is False
    assert len({event["requestContext"]["messageId"] for event in messages}) == len(frames)


async def test_disconnect_once_with_client_close_code(endpoints: Endpoints, fakes: FakeHandlers) -> None:
    async with _connect(endpoints, "CP1") as ws:
        await ws.close(4000, "bye")
    await wait_for(lambda: len(fakes.events["disconnect"]) == 1)
    await asyncio.sleep(0.05)
    (event,) = fakes.events["disconnect"]
    APIGatewayWebSocketDisconnectEventModel.model_validate(event)
    context = event["requestContext"]
    assert context["disconnectStatusCode"] == 4000
    assert "bye" in context["disconnectReason"]
    assert context["authorizer"]["chargePointId"] == "CP1"
    assert context["connectionId"] == fakes.events["connect"][0]["requestContext"]["connectionId"]
    assert endpoints.websocket_api.connection_ids() == []


async def test_binary_frame_closes_with_1003(endpoints: Endpoints, fakes: FakeHandlers) -> None:
    async with _connect(endpoints, "CP1") as ws:
        await ws.send(b"\x00\x01")
        with pytest.raises(ConnectionClosed):
            await asyncio.wait_for(ws.recv(), 5)
        assert ws.close_code == 1003
    await wait_for(lambda: len(fakes.events["disconnect"]) == 1)
    assert fakes.events["message"] == []
    assert fakes.events["disconnect"][0]["requestContext"]["disconnectStatusCode"] == 1003


async def test_message_over_128_kb_closes_with_1009(endpoints: Endpoints, fakes: FakeHandlers) -> None:
    async with _connect(endpoints, "CP1") as ws:
        await ws.send("x" * (128 * 1024 + 1))
        with pytest.raises(ConnectionClosed):
            await asyncio.wait_for(ws.recv(), 5)
        assert ws.close_code == 1009
    await wait_for(lambda: len(fakes.events["disconnect"]) == 1)
    assert fakes.events["message"] == []


async def test_failing_message_handler_sends_api_gateway_error(endpoints: Endpoints, fakes: FakeHandlers) -> None:
    async with _connect(endpoints, "CP1") as ws:
        await ws.send("raise")
        error = json.loads(await asyncio.wait_for(ws.recv(), 5))
        await ws.send("still open")
        assert await asyncio.wait_for(ws.recv(), 5) == "echo:still open"
    assert error["message"] == "Internal server error"
    assert error["connectionId"] == fakes.events["connect"][0]["requestContext"]["connectionId"]


async def test_management_api_with_boto3(endpoints: Endpoints, fakes: FakeHandlers) -> None:
    client = _management_client(endpoints)
    async with _connect(endpoints, "CP1", user_agent_header="charger/1.0") as ws:
        connection_id = fakes.events["connect"][0]["requestContext"]["connectionId"]

        await asyncio.to_thread(client.post_to_connection, ConnectionId=connection_id, Data=b'[2,"1","Reset",{}]')
        assert await asyncio.wait_for(ws.recv(), 5) == '[2,"1","Reset",{}]'

        info = await asyncio.to_thread(client.get_connection, ConnectionId=connection_id)
        assert info["Identity"] == {"SourceIp": "127.0.0.1", "UserAgent": "charger/1.0"}
        assert info["ConnectedAt"] <= info["LastActiveAt"]

        await asyncio.to_thread(client.delete_connection, ConnectionId=connection_id)
        with pytest.raises(ConnectionClosed):
            await asyncio.wait_for(ws.recv(), 5)
        with pytest.raises(client.exceptions.GoneException):
            await asyncio.to_thread(client.post_to_connection, ConnectionId=connection_id, Data=b"late")
    await wait_for(lambda: len(fakes.events["disconnect"]) == 1)


async def test_gone_for_unknown_connections(endpoints: Endpoints) -> None:
    client = _management_client(endpoints)
    for call, kwargs in [
        (client.post_to_connection, {"Data": b"x"}),
        (client.get_connection, {}),
        (client.delete_connection, {}),
    ]:
        with pytest.raises(client.exceptions.GoneException):
            await asyncio.to_thread(call, ConnectionId="bm90LWFuLWlk+/=", **kwargs)


async def test_post_too_large(endpoints: Endpoints, fakes: FakeHandlers) -> None:
    client = _management_client(endpoints)
    async with _connect(endpoints, "CP1"):
        connection_id = fakes.events["connect"][0]["requestContext"]["connectionId"]
        with pytest.raises(client.exceptions.PayloadTooLargeException):
            await asyncio.to_thread(client.post_to_connection, ConnectionId=connection_id, Data=b"x" * (128 * 1024 + 1))


async def test_idle_timeout_closes_and_disconnects(fakes: FakeHandlers) -> None:
    async with Endpoints(endpoints_config(idle_timeout=0.3)) as endpoints:
        fakes.install(endpoints)
        async with _connect(endpoints, "CP1") as ws:
            with pytest.raises(ConnectionClosed):
                await asyncio.wait_for(ws.recv(), 5)
            assert ws.close_code == 1001
        await wait_for(lambda: len(fakes.events["disconnect"]) == 1)
    assert fakes.events["disconnect"][0]["requestContext"]["disconnectStatusCode"] == 1001
    assert "idle" in fakes.events["disconnect"][0]["requestContext"]["disconnectReason"]


async def test_close_sends_1001_and_runs_disconnect(fakes: FakeHandlers) -> None:
    endpoints = Endpoints(endpoints_config())
    await endpoints.start()
    fakes.install(endpoints)
    ws: ClientConnection = await _connect(endpoints, "CP1")
    await endpoints.close()
    with pytest.raises(ConnectionClosed):
        await asyncio.wait_for(ws.recv(), 5)
    assert ws.close_code == 1001
    assert len(fakes.events["disconnect"]) == 1


async def test_handshakes_still_waiting_at_close_are_refused_with_503_and_leave_nothing(fakes: FakeHandlers) -> None:
    config = dataclasses.replace(endpoints_config(), websocket_handler_threads=1)
    endpoints = Endpoints(config)
    await endpoints.start()
    fakes.install(endpoints)
    # SLOW1's authorizer takes the one handler thread for a second; SLOW2's waits for it.
    handshakes = [asyncio.ensure_future(_refusal_status(endpoints, f"/ocpp/SLOW{n}")) for n in (1, 2)]
    await wait_for(lambda: len(fakes.events["authorizer"]) == 1)

    await endpoints.close()

    assert await asyncio.gather(*handshakes) == [503, 503]
    # SLOW1's authorizer had started and finished; its `$connect`, and SLOW2's authorizer, never ran.
    assert len(fakes.events["authorizer"]) == 1
    assert fakes.events["connect"] == []
    assert fakes.events["disconnect"] == []


async def test_not_ready_answers_503(fakes: FakeHandlers) -> None:
    async with Endpoints(endpoints_config()) as endpoints:
        assert await _refusal_status(endpoints, "/ocpp/CP1") == 503
        fakes.install(endpoints)
        async with _connect(endpoints, "CP1") as ws:
            assert ws.subprotocol == "ocpp1.6"
