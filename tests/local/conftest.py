"""The local endpoints with fake, recording handlers (the real ones are tested end to end)."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from csms.function_catalogue import (
    OCPP_AUTHORIZER,
    OCPP_CONNECT,
    OCPP_DISCONNECT,
    OCPP_MESSAGE,
    OPERATOR_API,
    LambdaFunction,
    Trigger,
)
from csms.local import lambda_functions
from csms.local.cloudfront import OcppDistribution
from csms.local.endpoints import Endpoints, EndpointsConfig
from csms.local.http_api import HttpApiConfig
from csms.local.lambda_functions import LocalFunction
from csms.local.websocket_api import WebSocketApiConfig
from csms.wire.versions import negotiate_subprotocol

ORIGIN_SECRET = "origin-secret-for-tests"
API_TOKEN = "api-token-for-tests"


def _header(headers: dict[str, str], name: str) -> str | None:
    for key, value in headers.items():
        if key.lower() == name.lower():
            return value
    return None


@dataclass(frozen=True)
class PostsOutcome:
    connection_id: str
    sent: int
    error_code: str | None


class FakeHandlers:
    """Records every event; behaviour is steered by the charge point id (and message body).

    Charge point ids: UNAUTH -> authorizer raises "Unauthorized"; DENY -> Deny policy;
    BROKEN -> authorizer raises another error; SLOW... -> the authorizer takes 1 s; REFUSE -> $connect answers 429;
    NOPROTO -> $connect names no subprotocol; FORCE16 -> always ocpp1.6. Message bodies: "raise" -> the handler fails;
    "send COUNT SIZE" -> the handler posts COUNT frames of SIZE bytes, as fast as they go, and records in
    `posts` how many went out and the error code that stopped it (None if none did); anything else is
    echoed back as "echo:<body>" through the Management API (boto3).
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
        self.posts: list[PostsOutcome] = []
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
        if charge_point_id.startswith("SLOW"):
            time.sleep(1.0)
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
        body, connection_id = event["body"], event["requestContext"]["connectionId"]
        if body == "raise":
            raise RuntimeError("message handler bug")
        if body.startswith("send "):
            _, count, size = body.split()
            self._post_frames(connection_id, int(count), int(size))
        else:
            self.management_client().post_to_connection(ConnectionId=connection_id, Data=f"echo:{body}".encode())
        return {"statusCode": 200}

    def _post_frames(self, connection_id: str, count: int, size: int) -> None:
        client, sent, error_code = self.management_client(), 0, None
        try:
            for _ in range(count):
                client.post_to_connection(ConnectionId=connection_id, Data=b"x" * size)
                sent += 1
        except ClientError as error:
            error_code = error.response["Error"]["Code"]
        with self._lock:
            self.posts.append(PostsOutcome(connection_id, sent, error_code))

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

    def load(self, function: LambdaFunction[Trigger]) -> LocalFunction:
        """The fake of an API's function, the real one of any other (a `LocalRuntime` loader)."""
        fakes = {
            OCPP_AUTHORIZER: self.authorizer,
            OCPP_CONNECT: self.connect,
            OCPP_DISCONNECT: self.disconnect,
            OCPP_MESSAGE: self.message,
            OPERATOR_API: self.operator_api,
        }
        fake = fakes.get(function)
        return lambda_functions.load(function) if fake is None else LocalFunction(function.module, fake, 29.0)

    def install(self, endpoints: Endpoints) -> None:
        """Set the fakes on the APIs, as the runtime sets the real functions."""
        websocket = (OCPP_AUTHORIZER, OCPP_CONNECT, OCPP_DISCONNECT, OCPP_MESSAGE)
        endpoints.websocket_api.set_functions({function.trigger: self.load(function) for function in websocket})
        endpoints.http_api.set_function(self.load(OPERATOR_API))
        self.management_endpoint = endpoints.management_endpoint


async def wait_for(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.01)


@pytest.fixture
def fakes() -> FakeHandlers:
    return FakeHandlers()


def endpoints_config(**websocket_api: Any) -> EndpointsConfig:
    """The runtime's configuration with the test secrets, and `websocket_api` settings (idle_timeout=...)."""
    return EndpointsConfig(
        distribution=OcppDistribution(ORIGIN_SECRET),
        http_api=HttpApiConfig(api_token=API_TOKEN),
        websocket_api=WebSocketApiConfig(**websocket_api),
    )


@pytest.fixture
async def endpoints(fakes: FakeHandlers) -> AsyncIterator[Endpoints]:
    endpoints = Endpoints(endpoints_config())
    await endpoints.start()
    fakes.install(endpoints)
    try:
        yield endpoints
    finally:
        await endpoints.close()
