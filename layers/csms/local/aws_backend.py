"""The offline AWS: a moto server with the stack's own DynamoDB tables and command workflow.

`AwsBackend.start()` runs moto's server app on a free local port, creates every table
of `csms.tables.TABLES` (with TTL where specified), the command steps queue and the command
state machine (from the stack's own definition; moto executes it). `environment()` is what the
Lambda handlers need to run against it; the API Gateway Management API goes to the local gateway.

DynamoDB requests are served one at a time (`_OneDynamoDbRequestAtATime`): moto checks a condition
and writes in two steps, and restores deep copies of the tables a failed TransactWriteItems
touched, so concurrent writers (the runtime's handler threads) could both pass one condition or
have their writes undone. Serialized, each request is atomic, as on DynamoDB.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import threading
import urllib.request
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import boto3
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
from moto.server import MotoRequestHandler
from werkzeug.serving import BaseWSGIServer, make_server

from csms import constants
from csms.commands.workflow_definition import command_workflow_definition
from csms.tables import TABLES, TableSpec

log = logging.getLogger("local-runtime.aws")

REGION = "us-east-1"
FAKE_CREDENTIALS: Mapping[str, str] = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
}
# Variables that would send an AWS SDK call elsewhere than the local backend; removed from
# the process environment while the runtime runs (see `apply_environment`).
_CONFLICTING_PREFIXES = ("AWS_ENDPOINT_URL_",)
_CONFLICTING_NAMES = ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_CONTAINER_CREDENTIALS_FULL_URI")
# moto stores state machines but runs their executions only when told to.
_MOTO_CONFIG = {"stepfunctions": {"execute_state_machine": True}}
# As the stack's queue: a message handled in vain three times goes to the dead-letter queue.
STEPS_VISIBILITY_TIMEOUT_SECONDS = 60
STEPS_MAX_RECEIVE_COUNT = 3
_STATE_MACHINE_ROLE = "arn:aws:iam::123456789012:role/csms-local-commands"  # moto does not check it


class _OneDynamoDbRequestAtATime:
    """WSGI middleware: DynamoDB (and DynamoDB Streams) requests run one at a time; others freely."""

    def __init__(self, app: Callable[..., Iterable[bytes]]) -> None:
        self._app = app
        self._lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if not str(environ.get("HTTP_X_AMZ_TARGET", "")).startswith("DynamoDB"):
            return self._app(environ, start_response)
        with self._lock:  # the whole response, body included, is made under the lock
            return list(self._app(environ, start_response))


def table_name(spec: TableSpec, prefix: str = "csms-local") -> str:
    return f"{prefix}-{spec.logical_name}"


@dataclass
class AwsBackend:
    """moto in server mode, in this process, with the CSMS tables."""

    host: str = "127.0.0.1"
    port: int = 0
    table_prefix: str = "csms-local"
    region: str = REGION
    _server: BaseWSGIServer | None = field(default=None, init=False, repr=False)
    _thread: threading.Thread | None = field(default=None, init=False, repr=False)
    _url: str | None = field(default=None, init=False, repr=False)
    command_steps_queue_url: str = field(default="", init=False)
    command_state_machine_arn: str = field(default="", init=False)

    @property
    def url(self) -> str:
        if self._url is None:
            raise RuntimeError("moto not started")
        return self._url

    @property
    def table_names(self) -> dict[str, str]:
        """Physical table name by env var (`CHARGE_POINTS_TABLE` -> `csms-local-ChargePoints`)."""
        return {spec.env_var: table_name(spec, self.table_prefix) for spec in TABLES}

    def client(self, service: str) -> Any:
        """A boto3 client on the local moto server (explicit endpoint, region, credentials)."""
        return boto3.session.Session().client(
            service,  # type: ignore[call-overload]
            endpoint_url=self.url,
            region_name=self.region,
            aws_access_key_id=FAKE_CREDENTIALS["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=FAKE_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
            aws_session_token=FAKE_CREDENTIALS["AWS_SESSION_TOKEN"],
        )

    def start(self) -> str:
        """Start moto, create the tables and the command workflow; returns moto's URL. Blocking."""
        werkzeug_log = logging.getLogger("werkzeug")
        if werkzeug_log.level == logging.NOTSET:  # else werkzeug prints every request to stderr
            werkzeug_log.setLevel(logging.WARNING)
        app = _OneDynamoDbRequestAtATime(DomainDispatcherApplication(create_backend_app))
        server = make_server(self.host, self.port, app, threaded=True, request_handler=MotoRequestHandler)
        self._thread = threading.Thread(target=server.serve_forever, name="moto", daemon=True)
        self._thread.start()
        self._server = server
        self._url = f"http://{self.host}:{server.server_port}"
        log.info("moto listening on %s", self._url)
        self._moto_api("config", _MOTO_CONFIG)
        self.create_tables()
        self.create_command_workflow()
        self.create_event_bus()
        return self._url

    def stop(self) -> None:
        if self._server is not None:
            self.stop_executions()
            self._server.shutdown()
            self._server.server_close()
            if self._thread is not None:
                self._thread.join()
            self._server = None
            self._thread = None
            self._url = None

    def create_tables(self) -> None:
        """Create every table of `TABLES` (replacing one left by an earlier run in this process)."""
        dynamodb = self.client("dynamodb")
        existing = set(dynamodb.list_tables().get("TableNames", []))
        for spec in TABLES:
            name = table_name(spec, self.table_prefix)
            if name in existing:
                dynamodb.delete_table(TableName=name)
            dynamodb.create_table(**spec.create_table_request(name))
            if spec.ttl_attribute:
                dynamodb.update_time_to_live(
                    TableName=name,
                    TimeToLiveSpecification={"Enabled": True, "AttributeName": spec.ttl_attribute},
                )

    def create_command_workflow(self) -> None:
        """The command steps queue (with its dead-letter queue) and the command state machine.

        Both are replaced if an earlier run in this process left them (moto's state is per process).
        """
        sqs = self.client("sqs")
        dead_letters_name = f"{self.table_prefix}-CommandStepsDeadLetters"
        steps_name = f"{self.table_prefix}-CommandSteps"
        for queue_url in sqs.list_queues(QueueNamePrefix=steps_name).get("QueueUrls", []):
            sqs.delete_queue(QueueUrl=queue_url)
        dead_letters = sqs.create_queue(QueueName=dead_letters_name)["QueueUrl"]
        dead_letters_arn = sqs.get_queue_attributes(QueueUrl=dead_letters, AttributeNames=["QueueArn"])["Attributes"][
            "QueueArn"
        ]
        redrive = {"deadLetterTargetArn": dead_letters_arn, "maxReceiveCount": STEPS_MAX_RECEIVE_COUNT}
        self.command_steps_queue_url = sqs.create_queue(
            QueueName=steps_name,
            Attributes={
                "VisibilityTimeout": str(STEPS_VISIBILITY_TIMEOUT_SECONDS),
                "RedrivePolicy": json.dumps(redrive),
            },
        )["QueueUrl"]
        stepfunctions = self.client("stepfunctions")
        name = f"{self.table_prefix}-Commands"
        for machine in stepfunctions.list_state_machines()["stateMachines"]:
            if machine["name"] == name:
                self.stop_executions(machine["stateMachineArn"])
                stepfunctions.delete_state_machine(stateMachineArn=machine["stateMachineArn"])
        self.command_state_machine_arn = stepfunctions.create_state_machine(
            name=name,
            definition=json.dumps(command_workflow_definition(self.command_steps_queue_url)),
            roleArn=_STATE_MACHINE_ROLE,
            type="STANDARD",
        )["stateMachineArn"]

    @property
    def event_bus_name(self) -> str:
        return f"{self.table_prefix}-events"

    @property
    def streamed_tables(self) -> list[str]:
        """Physical names of the tables with a stream (`TableSpec.stream`): the domain events' sources."""
        return [table_name(spec, self.table_prefix) for spec in TABLES if spec.stream]

    def create_event_bus(self) -> None:
        """The domain events' EventBridge bus (kept if an earlier run in this process made it)."""
        events = self.client("events")
        if not any(bus["Name"] == self.event_bus_name for bus in events.list_event_buses()["EventBuses"]):
            events.create_event_bus(Name=self.event_bus_name)

    def stop_executions(self, state_machine_arn: str | None = None) -> None:
        """Stop the running command workflows (moto runs each in a thread of this process)."""
        arn = state_machine_arn or self.command_state_machine_arn
        if not arn:
            return
        stepfunctions = self.client("stepfunctions")
        paginator = stepfunctions.get_paginator("list_executions")
        for page in paginator.paginate(stateMachineArn=arn, statusFilter="RUNNING"):
            for execution in page["executions"]:
                stepfunctions.stop_execution(executionArn=execution["executionArn"])

    def reset(self) -> None:
        """Forget all data (every moto service of this process); recreate the tables and workflow."""
        self.stop_executions()
        self._moto_api("reset")
        self.create_tables()
        self.create_command_workflow()
        self.create_event_bus()

    def _moto_api(self, operation: str, body: Mapping[str, Any] | None = None) -> None:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(f"{self.url}/moto-api/{operation}", data=data, method="POST")  # noqa: S310
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - local moto
            response.read()

    def environment(
        self,
        *,
        management_endpoint: str,
        origin_verify_secret: str | None = None,
        accept_unknown_charge_points: bool = False,
    ) -> dict[str, str]:
        """The environment of the Lambda handlers, pointing at moto and at the local gateway."""
        env: dict[str, str] = {
            **FAKE_CREDENTIALS,
            "AWS_DEFAULT_REGION": self.region,
            "AWS_REGION": self.region,
            "AWS_ENDPOINT_URL": self.url,
            # The handler passes endpoint_url explicitly; this also covers any client that does not.
            "AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI": management_endpoint,
            "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "false",
            "MOTO_PORT": self.url.rsplit(":", 1)[1],
            "POWERTOOLS_SERVICE_NAME": constants.POWERTOOLS_SERVICE_NAME,
            "POWERTOOLS_METRICS_NAMESPACE": constants.METRICS_NAMESPACE,
            constants.ENV_WEBSOCKET_MANAGEMENT_ENDPOINT: management_endpoint,
            constants.ENV_ORIGIN_VERIFY_SECRET: origin_verify_secret or secrets.token_urlsafe(32),
            constants.ENV_ACCEPT_UNKNOWN_CHARGE_POINTS: "true" if accept_unknown_charge_points else "false",
            constants.ENV_COMMAND_STATE_MACHINE_ARN: self.command_state_machine_arn,
            constants.ENV_COMMAND_STEPS_QUEUE_URL: self.command_steps_queue_url,
            constants.ENV_EVENT_BUS_NAME: self.event_bus_name,
        }
        env.update(self.table_names)
        return env


def apply_environment(env: Mapping[str, str]) -> dict[str, str | None]:
    """Set `env` in `os.environ` (removing conflicting AWS settings); returns what to restore."""
    previous: dict[str, str | None] = {}
    conflicting = [
        name
        for name in os.environ
        if name not in env and (name.startswith(_CONFLICTING_PREFIXES) or name in _CONFLICTING_NAMES)
    ]
    for name in conflicting:
        previous[name] = os.environ.pop(name)
    for name, value in env.items():
        previous.setdefault(name, os.environ.get(name))
        os.environ[name] = value
    return previous


def restore_environment(previous: Mapping[str, str | None]) -> None:
    for name, value in previous.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
