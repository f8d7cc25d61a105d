"""The local gateway with fake, recording handlers (the real ones are tested end to end)."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

import boto3
import pytest

from csms.local.gateway import Gateway, GatewayConfig, Handlers
from csms.wire.versions import negotiate_subprotocol

ORIGIN_SECRET = "origin-secret-for-tests"
API_TOKEN = "api-token-for-tests"


def _header(headers: dict[str, str], name: str) -> str | None:
    for key, value in headers.items():
        if key.lower() == name.lower():
            return value
    return None


class FakeHandlers:
    """Records every event; behaviour is steered by the charge point id (and message body).

    Charge point ids: UNAUTH -> authorizer raises "Unauthorized"; DENY -> Deny policy;
    BROKEN -> authorizer raises another error; REFUSE -> $connect answers 429;
    NOPROTO -> $connect names no subprotocol; FORCE16 -> always ocpp1.6. Message bodies: "raise" -> the handler fails;
    anything else is echoed back as "echo:<body>" through the Management API (boto3).
    """

    def __init__(self) -> None:
        self.events: dict[str, list[dict[str, Any]]] = {
            "authorizer": [],
            "connect": [],
            "message": [],
            "disconnect": [],
            "operator_api": [],
        }
        self.management_endpoint = ""
        self.operator_response: dict[str, Any] | None = None
        self._lock = threading.Lock()
        self._client: Any = None

    def _record(self, kind: str, event: dict[str, Any]) -> None:
        with self._lock:
            self.events[kind].append(event)

    def management_client(self) -> Any:
        with self._lock:
            if self._client is None:
                self._client = boto3.session.Session().client(
                    "apigatewaymanagementapi",
                    endpoint_url=self.management_endpoint,
                    region_name="us-east-1",
                    aws_access_key_id="testing",
                    aws_secret_access_key="testing",
                )
            return self._client

    def authorizer(self, event: dict[str, Any], context: Any) -> dict[str, Any]:
        self._record("authorizer", event)
        charge_point_id = event["headers"].get("x-ocpp-charge-point-id", "")
        if charge_point_id == "UNAUTH":
            raise Exception("Unauthorized")
        if charge_point_id == "BROKEN":
            raise RuntimeError("authorizer bug")
        effect = "Deny" if charge_point_id == "DENY" else "Allow"
        return {
            "principalId": charge_point_id,
            "policyDocument": {
                "Version": "2012-10-17",
                "Statement": [{"Action": "execute-api:Invoke", "Effect": effect, "Resource": event["methodArn"]}],
            },
            "context": {"chargePointId": charge_point_id, "ocppVersion": "1.6"},
        }

    def connect(self, event: dict[str, Any], context: Any) -> dict[str, Any]:
        self._record("connect", event)
        charge_point_id = event["requestContext"]["authorizer"]["chargePointId"]
        if charge_point_id == "REFUSE":
            return {"statusCode": 429}
        if charge_point_id == "NOPROTO":
            return {"statusCode": 200}
        if charge_point_id == "FORCE16":
            return {"statusCode": 200, "headers": {"sec-websocket-protocol": "ocpp1.6"}}
        version = negotiate_subprotocol(_header(event["headers"], "Sec-WebSocket-Protocol"))
        if version is None:
            return {"statusCode": 400}
        return {"statusCode": 200, "headers": {"Sec-WebSocket-Protocol": version.subprotocol}}

    def message(self, event: dict[str, Any], context: Any) -> dict[str, Any]:
        self._record("message", event)
        if event["body"] == "raise":
            raise RuntimeError("message handler bug")
        self.management_client().post_to_connection(
            ConnectionId=event["requestContext"]["connectionId"], Data=f"echo:{event['body']}".encode()
        )
        return {"statusCode": 200}

    def disconnect(self, event: dict[str, Any], context: Any) -> dict[str, Any]:
        self._record("disconnect", event)
        return {"statusCode": 200}

    def operator_api(self, event: dict[str, Any], context: Any) -> dict[str, Any]:
        self._record("operator_api", event)
        if self.operator_response is not None:
            return self.operator_response
        return {
            "statusCode": 200,
            "headers": {"Content-Type": "application/json", "X-Handler": "fake"},
            "body": json.dumps({"path": event["rawPath"]}),
            "isBase64Encoded": False,
        }

    def handlers(self) -> Handlers:
        return Handlers(
            authorizer=self.authorizer,
            connect=self.connect,
            disconnect=self.disconnect,
            message=self.message,
            operator_api=self.operator_api,
        )


async def wait_for(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.01)


@pytest.fixture
def fakes() -> FakeHandlers:
    return FakeHandlers()


@pytest.fixture
def gateway_config() -> GatewayConfig:
    return GatewayConfig(origin_verify_secret=ORIGIN_SECRET, api_token=API_TOKEN, port=0)


@pytest.fixture
async def gateway(fakes: FakeHandlers, gateway_config: GatewayConfig) -> AsyncIterator[Gateway]:
    gateway = Gateway(gateway_config, fakes.handlers())
    await gateway.start()
    fakes.management_endpoint = gateway.management_endpoint
    try:
        yield gateway
    finally:
        await gateway.close()
