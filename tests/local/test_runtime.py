"""moto with the stack's tables, the runtime's composition (with fake handlers), the CLI."""

from __future__ import annotations

import asyncio
import os

import pytest
from websockets.asyncio.client import connect
from websockets.typing import Subprotocol

from csms import constants
from csms.cli import build_parser, main
from csms.function_catalogue import LambdaFunction, Trigger
from csms.local.aws_backend import AwsBackend
from csms.local.lambda_functions import LocalFunction
from csms.local.runtime import LocalRuntime, RuntimeOptions
from csms.settings import get_settings
from csms.tables import TABLES
from tests.local.conftest import FakeHandlers
from tests.local.test_http_api import request


def test_aws_backend_creates_every_table_with_its_keys() -> None:
    backend = AwsBackend(table_prefix="csms-test-backend")
    backend.start()
    try:
        dynamodb = backend.client("dynamodb")
        for spec in TABLES:
            name = backend.table_names[spec.env_var]
            assert name == f"csms-test-backend-{spec.logical_name}"
            table = dynamodb.describe_table(TableName=name)["Table"]
            expected = spec.create_table_request(name)
            assert table["KeySchema"] == expected["KeySchema"]
            assert sorted(table["AttributeDefinitions"], key=str) == sorted(expected["AttributeDefinitions"], key=str)
            indexes = {index["IndexName"] for index in table.get("GlobalSecondaryIndexes", [])}
            assert indexes == {index.name for index in spec.indexes}
            ttl = dynamodb.describe_time_to_live(TableName=name)["TimeToLiveDescription"]
            if spec.ttl_attribute:
                assert ttl["TimeToLiveStatus"] == "ENABLED"
                assert ttl["AttributeName"] == spec.ttl_attribute
            else:
                assert ttl["TimeToLiveStatus"] == "DISABLED"

        env = backend.environment(management_endpoint="http://127.0.0.1:1", accept_unknown_charge_points=True)
        assert "AWS_ENDPOINT_URL" not in env  # answered in this process, not over HTTP
        assert env["AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI"] == "http://127.0.0.1:1"
        assert env[constants.ENV_WEBSOCKET_MANAGEMENT_ENDPOINT] == "http://127.0.0.1:1"
        assert env[constants.ENV_ACCEPT_UNKNOWN_CHARGE_POINTS] == "true"
        assert env[constants.ENV_ORIGIN_VERIFY_SECRET]
        assert all(env[spec.env_var] == backend.table_names[spec.env_var] for spec in TABLES)

    finally:
        backend.stop()


async def test_runtime_sets_env_before_loading_handlers_and_restores_it(fakes: FakeHandlers) -> None:
    seen: dict[str, str | None] = {}

    def load(function: LambdaFunction[Trigger]) -> LocalFunction:
        seen["endpoint"] = os.environ.get(constants.ENV_WEBSOCKET_MANAGEMENT_ENDPOINT)
        seen["table"] = get_settings().charge_points_table
        return fakes.load(function)

    before = os.environ.get(constants.ENV_WEBSOCKET_MANAGEMENT_ENDPOINT)
    runtime = LocalRuntime(RuntimeOptions(port=0, api_token="tok", table_prefix="csms-test-runtime"), load=load)
    await runtime.start()
    try:
        fakes.management_endpoint = runtime.management_endpoint
        assert seen["endpoint"] == runtime.management_endpoint
        assert seen["table"] == "csms-test-runtime-ChargePoints"
        assert runtime.ws_url == f"ws://127.0.0.1:{runtime.port}/ocpp"
        assert runtime.api_url == f"http://127.0.0.1:{runtime.port}/api"
        assert (await request(runtime.endpoints, "GET", "/api/health")).status == 200
        assert (await request(runtime.endpoints, "GET", "/api/x", token=runtime.token)).status == 200
        async with connect(f"{runtime.ws_url}/CP1", subprotocols=[Subprotocol("ocpp1.6")]) as ws:
            await ws.send("hi")
            assert await asyncio.wait_for(ws.recv(), 5) == "echo:hi"
        assert "tok" in runtime.banner()
    finally:
        await runtime.stop()
    assert os.environ.get(constants.ENV_WEBSOCKET_MANAGEMENT_ENDPOINT) == before
    assert len(fakes.events["disconnect"]) == 1


def test_cli_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["local", "--help"])
    assert exited.value.code == 0
    out = capsys.readouterr().out
    for option in ("--host", "--port", "--api-token", "--accept-unknown-chargers", "--log-level", "--log-format"):
        assert option in out
    args = build_parser().parse_args(["local", "--log-level", "debug"])
    assert (args.host, args.port, args.log_level, args.api_token) == ("127.0.0.1", 9000, "DEBUG", None)
