"""The offline AWS: moto, with the stack's own DynamoDB tables and command workflow.

`AwsBackend.start()` turns on moto (`mock_aws`) and the in-process dispatcher (`in_process_aws`),
starts the DynamoDB service in a process of its own (`dynamodb_process`; in this one with
`dynamodb_process=False`, where moto's DynamoDB state can be looked at directly), creates every
table of `csms.tables.TABLES` (with TTL where specified), the command steps queue, the command
state machine (from the stack's own definition; moto executes it), the event bus and
the operators' user pool with its role groups (in memory only: its users are gone at the next start), the
FleetFiles bucket (in memory only too: uploaded logs are gone at the next start) and the CA's signing key
(kept in the data directory, `ca_key`).
With a data directory, the tables are then loaded from it and every write is journaled to it
(`data_directory`, by the DynamoDB service). `environment()` is what the Lambda handlers need;
their boto3 clients are answered without HTTP (`in_process_aws`): DynamoDB by the DynamoDB service,
the API Gateway Management API by the local gateway, the rest by moto in this process.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import secrets
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import boto3
from botocore.config import Config
from moto import mock_aws
from moto.core.config import DefaultConfig
from moto.core.models import MockAWS

from csms import constants, tables
from csms.adapters.cognito_users import create_user_pool
from csms.campaigns.workflow_definition import campaign_workflow_definition
from csms.commands.workflow_definition import command_workflow_definition
from csms.local import condition_expressions
from csms.local.ca_key import ImportedCa, imported_ca_key, kept_ca_key
from csms.local.data_directory import Restored
from csms.local.dynamodb_process import DynamoDbProcess
from csms.local.dynamodb_service import DynamoDbService
from csms.local.in_process_aws import IN_PROCESS_AWS, ManagementCall
from csms.rebalancing.workflow_definition import rebalance_workflow_definition
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
_CONFLICTING_PREFIXES = ("AWS_ENDPOINT_URL",)
_CONFLICTING_NAMES = ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_CONTAINER_CREDENTIALS_FULL_URI")
# botocore sends DynamoDB Streams requests to account-based endpoints
# (`{account}.streams-ddb.{region}.amazonaws.com`), which moto does not know; the regional ones it does.
_ACCOUNT_ID_ENDPOINT_MODE: Final = "disabled"
_ENDPOINT_SETTINGS: Mapping[str, str] = {"AWS_ACCOUNT_ID_ENDPOINT_MODE": _ACCOUNT_ID_ENDPOINT_MODE}
# moto stores state machines but runs their executions only when told to.
_MOTO_CONFIG: DefaultConfig = {"stepfunctions": {"execute_state_machine": True}}
# As the stack's queue: a message handled in vain three times goes to the dead-letter queue.
STEPS_VISIBILITY_TIMEOUT_SECONDS = 60
STEPS_MAX_RECEIVE_COUNT = 3
_STATE_MACHINE_ROLE = "arn:aws:iam::123456789012:role/csms-local-commands"  # moto does not check it
_STOP_EXECUTION_ATTEMPTS = 50
_STOP_EXECUTION_PAUSE_SECONDS = 0.02


def table_name(spec: TableSpec, prefix: str = "csms-local") -> str:
    return f"{prefix}-{spec.logical_name}"


@dataclass
class AwsBackend:
    """moto, with the CSMS tables; durable when given a data directory."""

    table_prefix: str = "csms-local"
    region: str = REGION
    data_dir: Path | None = None  # None: in memory only
    imported_ca: ImportedCa | None = None  # an operator's CA in place of the generated (or kept) key
    dynamodb_process: bool = True  # False: DynamoDB in this process (`moto_dynamodb` can read its tables)
    command_steps_queue_url: str = field(default="", init=False)
    command_state_machine_arn: str = field(default="", init=False)
    rebalance_steps_queue_url: str = field(default="", init=False)
    rebalance_state_machine_arn: str = field(default="", init=False)
    campaign_steps_queue_url: str = field(default="", init=False)
    campaign_state_machine_arn: str = field(default="", init=False)
    user_pool_id: str = field(default="", init=False)
    ca_key_id: str = field(default="", init=False)
    restored: Restored | None = field(default=None, init=False)
    _mock: MockAWS | None = field(default=None, init=False, repr=False)
    _dynamodb: DynamoDbService | DynamoDbProcess | None = field(default=None, init=False, repr=False)
    _clients: dict[str, Any] = field(default_factory=dict, init=False, repr=False)
    _clients_lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    @property
    def table_names(self) -> dict[str, str]:
        """Physical table name by env var (`CHARGE_POINTS_TABLE` -> `csms-local-ChargePoints`)."""
        return {spec.env_var: table_name(spec, self.table_prefix) for spec in TABLES}

    def client(self, service: str) -> Any:
        """A boto3 client answered by this backend (explicit region and credentials), one per service: a
        new one reads the service's model again, about a second for Step Functions on a busy runtime
        (at shutdown, when the workflows are stopped). Clients are safe to share between threads."""
        with self._clients_lock:
            if service not in self._clients:
                self._clients[service] = boto3.session.Session().client(
                    service,  # type: ignore[call-overload]
                    region_name=self.region,
                    aws_access_key_id=FAKE_CREDENTIALS["AWS_ACCESS_KEY_ID"],
                    aws_secret_access_key=FAKE_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
                    aws_session_token=FAKE_CREDENTIALS["AWS_SESSION_TOKEN"],
                    config=Config(account_id_endpoint_mode=_ACCOUNT_ID_ENDPOINT_MODE),
                )
            return self._clients[service]

    def start(self) -> None:
        """Turn moto on; create the tables (loaded from the data directory, if any), the workflow, the bus,
        the user pool."""
        if self._mock is not None:
            raise RuntimeError("already started")
        condition_expressions.built_one_at_a_time()
        self._mock = mock_aws(config=_MOTO_CONFIG)
        self._mock.start()
        self._dynamodb = DynamoDbProcess(self.region) if self.dynamodb_process else DynamoDbService(self.region)
        IN_PROCESS_AWS.use_dynamodb(self._dynamodb)
        IN_PROCESS_AWS.enabled = True
        try:
            # What needs no table first, while the DynamoDB process starts.
            self.create_command_workflow()
            self.create_rebalance_workflow()
            self.create_campaign_workflow()
            self.create_event_bus()
            self.user_pool_id = create_user_pool(self.client("cognito-idp"), f"{self.table_prefix}-users")
            self.client("s3").create_bucket(Bucket=self.fleet_files_bucket)
            self.create_tables()
            if self.data_dir is not None:
                self._open_data_directory(self.data_dir)
            self.ca_key_id = self.create_ca_key()  # kept in the data directory, made by opening it
        except BaseException:
            self.stop()
            raise

    def _open_data_directory(self, path: Path) -> None:
        assert self._dynamodb is not None  # started
        tables = {spec.logical_name: table_name(spec, self.table_prefix) for spec in TABLES}
        self.restored = self._dynamodb.open_data_directory(path, tables)
        log.info(
            "data directory %s: %d items and %d journaled writes loaded in %.1f s",
            path,
            self.restored.items,
            self.restored.writes,
            self.restored.seconds,
        )

    def stream_written(self, table: str) -> threading.Event:
        """Set when a call adds records to the stream of `table` (its reader clears it before reading)."""
        return IN_PROCESS_AWS.stream_written(table)

    @property
    def dynamodb_pid(self) -> int | None:
        """The DynamoDB process's id, while it runs in one."""
        return self._dynamodb.pid if isinstance(self._dynamodb, DynamoDbProcess) else None

    def open_connections(self) -> list[str]:
        """The connection ids the Connections table holds (at start: those of an earlier run)."""
        name = table_name(tables.CONNECTIONS, self.table_prefix)
        pages = (
            self.client("dynamodb").get_paginator("scan").paginate(TableName=name, ProjectionExpression="connectionId")
        )
        return [item["connectionId"]["S"] for page in pages for item in page["Items"]]

    def route_management_api(self, endpoint: str, call: ManagementCall, loop: asyncio.AbstractEventLoop) -> None:
        """Requests of the handlers to `endpoint` go to `call` on `loop` (the local gateway)."""
        IN_PROCESS_AWS.route_management_api(endpoint, call, loop)

    def route_files(self, endpoint: str) -> None:
        """S3 requests to `endpoint` (the front door's `/s3`, which the presigned URLs name) go to moto's S3."""
        IN_PROCESS_AWS.route_s3(endpoint)

    @property
    def fleet_files_bucket(self) -> str:
        return f"{self.table_prefix}-fleet-files".lower()

    def stop(self) -> None:
        """Stop the workflows, put the data directory's journal on disk, stop the DynamoDB service, turn moto off."""
        if self._mock is None:
            return
        try:
            self.stop_executions()
            self.stop_executions(self.rebalance_state_machine_arn)
            self.stop_executions(self.campaign_state_machine_arn)
        finally:
            if self._dynamodb is not None:
                self._dynamodb.close()
                self._dynamodb = None
            self._clients.clear()
            IN_PROCESS_AWS.reset()
            self._mock.stop()
            self._mock = None

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
        self.command_steps_queue_url = self._steps_queue("CommandSteps")
        self.command_state_machine_arn = self._state_machine(
            "Commands", command_workflow_definition(self.command_steps_queue_url)
        )

    def create_rebalance_workflow(self) -> None:
        """The rebalance steps queue and state machine, alike."""
        self.rebalance_steps_queue_url = self._steps_queue("RebalanceSteps")
        self.rebalance_state_machine_arn = self._state_machine(
            "Rebalances", rebalance_workflow_definition(self.rebalance_steps_queue_url)
        )

    def create_campaign_workflow(self) -> None:
        """The campaign steps queue and state machine, alike."""
        self.campaign_steps_queue_url = self._steps_queue("CampaignSteps")
        self.campaign_state_machine_arn = self._state_machine(
            "Campaigns", campaign_workflow_definition(self.campaign_steps_queue_url)
        )

    def _steps_queue(self, name: str) -> str:
        sqs = self.client("sqs")
        dead_letters_name = f"{self.table_prefix}-{name}DeadLetters"
        steps_name = f"{self.table_prefix}-{name}"
        for queue_url in sqs.list_queues(QueueNamePrefix=steps_name).get("QueueUrls", []):
            sqs.delete_queue(QueueUrl=queue_url)
        dead_letters = sqs.create_queue(QueueName=dead_letters_name)["QueueUrl"]
        dead_letters_arn = sqs.get_queue_attributes(QueueUrl=dead_letters, AttributeNames=["QueueArn"])["Attributes"][
            "QueueArn"
        ]
        redrive = {"deadLetterTargetArn": dead_letters_arn, "maxReceiveCount": STEPS_MAX_RECEIVE_COUNT}
        return str(
            sqs.create_queue(
                QueueName=steps_name,
                Attributes={
                    "VisibilityTimeout": str(STEPS_VISIBILITY_TIMEOUT_SECONDS),
                    "RedrivePolicy": json.dumps(redrive),
                },
            )["QueueUrl"]
        )

    def _state_machine(self, name: str, definition: dict[str, Any]) -> str:
        stepfunctions = self.client("stepfunctions")
        full_name = f"{self.table_prefix}-{name}"
        for machine in stepfunctions.list_state_machines()["stateMachines"]:
            if machine["name"] == full_name:
                self.stop_executions(machine["stateMachineArn"])
                stepfunctions.delete_state_machine(stateMachineArn=machine["stateMachineArn"])
        return str(
            stepfunctions.create_state_machine(
                name=full_name, definition=json.dumps(definition), roleArn=_STATE_MACHINE_ROLE, type="STANDARD"
            )["stateMachineArn"]
        )

    def create_ca_key(self) -> str:
        """The CA's signing key, as the stack's: asymmetric ECC_NIST_P256 for SIGN_VERIFY (moto signs for real);
        with a data directory, the one kept there; with an imported CA, its key (`ca_key`)."""
        made = self.client("kms").create_key(
            KeySpec="ECC_NIST_P256", KeyUsage="SIGN_VERIFY", Description=f"{self.table_prefix} CA"
        )["KeyMetadata"]
        if self.imported_ca is not None:
            return imported_ca_key(self.imported_ca, str(made["KeyId"]), str(made["Arn"]))
        if self.data_dir is None:
            return str(made["KeyId"])
        return kept_ca_key(self.data_dir, str(made["KeyId"]), str(made["Arn"]))

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
        _stop_running(self.client("stepfunctions"), arn)

    def environment(
        self,
        *,
        management_endpoint: str,
        files_endpoint: str = "",
        public_api_url: str = "",
        origin_verify_secret: str | None = None,
        accept_unknown_charge_points: bool = False,
    ) -> dict[str, str]:
        """The environment of the Lambda handlers: the stack's settings, the local gateway's endpoint; the front door's
        S3 endpoint (`files_endpoint`) and operator API (`public_api_url`, where short file links are served)."""
        env: dict[str, str] = {
            **FAKE_CREDENTIALS,
            **_ENDPOINT_SETTINGS,
            "AWS_DEFAULT_REGION": self.region,
            "AWS_REGION": self.region,
            # The handler passes endpoint_url explicitly; this also covers any client that does not.
            "AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI": management_endpoint,
            "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "false",
            "POWERTOOLS_SERVICE_NAME": constants.POWERTOOLS_SERVICE_NAME,
            "POWERTOOLS_METRICS_NAMESPACE": constants.METRICS_NAMESPACE,
            constants.ENV_WEBSOCKET_MANAGEMENT_ENDPOINT: management_endpoint,
            constants.ENV_ORIGIN_VERIFY_SECRET: origin_verify_secret or secrets.token_urlsafe(32),
            constants.ENV_ACCEPT_UNKNOWN_CHARGE_POINTS: "true" if accept_unknown_charge_points else "false",
            constants.ENV_COMMAND_STATE_MACHINE_ARN: self.command_state_machine_arn,
            constants.ENV_COMMAND_STEPS_QUEUE_URL: self.command_steps_queue_url,
            constants.ENV_REBALANCE_STATE_MACHINE_ARN: self.rebalance_state_machine_arn,
            constants.ENV_REBALANCE_STEPS_QUEUE_URL: self.rebalance_steps_queue_url,
            constants.ENV_CAMPAIGN_STATE_MACHINE_ARN: self.campaign_state_machine_arn,
            constants.ENV_CAMPAIGN_STEPS_QUEUE_URL: self.campaign_steps_queue_url,
            constants.ENV_EVENT_BUS_NAME: self.event_bus_name,
            constants.ENV_USER_POOL_ID: self.user_pool_id,
            constants.ENV_CA_KEY_ID: self.ca_key_id,
            constants.ENV_CA_CERTIFICATE: self.imported_ca.certificate_pem if self.imported_ca else "",
            constants.ENV_FLEET_FILES_BUCKET: self.fleet_files_bucket,
            constants.ENV_FLEET_FILES_ENDPOINT: files_endpoint,
            constants.ENV_PUBLIC_API_URL: public_api_url,
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


def _stop_running(stepfunctions: Any, state_machine_arn: str) -> None:
    """Stop every running execution of the state machine, page by page without botocore's paginator (it would read
    its model from disk first: at a stop under load, half a second)."""
    request = {"stateMachineArn": state_machine_arn, "statusFilter": "RUNNING"}
    while True:
        page = stepfunctions.list_executions(**request)
        for execution in page["executions"]:
            _stop_execution(stepfunctions, execution["executionArn"])
        if not page.get("nextToken"):
            return
        request["nextToken"] = page["nextToken"]


def _stop_execution(stepfunctions: Any, execution_arn: str) -> None:
    """moto cannot stop an execution whose worker thread has not started yet (an AttributeError, as for its
    task tokens): one started a moment before the runtime stops is asked again, for up to a second."""
    for _ in range(_STOP_EXECUTION_ATTEMPTS - 1):
        try:
            stepfunctions.stop_execution(executionArn=execution_arn)
            return
        except AttributeError:
            time.sleep(_STOP_EXECUTION_PAUSE_SECONDS)
    stepfunctions.stop_execution(executionArn=execution_arn)
