"""The command state machine, as deployed, executed by moto (server mode) with a scripted charge point.

Everything but the WebSocket is real: the definition from `csms.commands.workflow_definition`,
moto's Step Functions and SQS, the local event source mapping, the worker's handler, the
DynamoDB adapters and the `$default` dispatcher matching the answers.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from csms import constants
from csms.adapters.step_functions import StepFunctionsWorkflows
from csms.commands.models import Command, CommandError, CommandStatus
from csms.composition import Services, compose, dynamodb_repositories
from csms.domain.filters import TransactionFilter
from csms.domain.ports import ConnectionGoneError
from csms.domain.transactions import TransactionStart
from csms.local.aws_backend import AwsBackend
from csms.local.event_sources.sqs_queue import QueuePoller
from csms.local.lambda_functions import LocalFunction
from csms.ocpp.dispatcher import Dispatcher, build_dispatcher
from csms.ocpp.registry import Session
from csms.settings import get_settings
from csms.timeutil import SystemClock
from csms.wire.versions import OcppVersion
from functions import command_worker
from tests.fakes import LocalKeySigner, RecordingPublisher
from tests.wired import wired

V16 = OcppVersion.V16
ANSWER_TIMEOUT_SECONDS = 2

# What the scripted charge point does with a CALL: (frame payload or CALLERROR, delay); None: no answer.
Reply = tuple[dict[str, Any] | tuple[str, str], float] | None


@dataclass
class ScriptedChargePoint:
    """A ConnectionSender whose other end answers through the real dispatcher, after a delay."""

    dispatcher: Dispatcher | None = None  # set once the services are composed with this sender
    replies: dict[str, Callable[[dict[str, Any]], Reply]] = field(default_factory=dict)
    gone: set[str] = field(default_factory=set)
    log: list[tuple[str, str, float]] = field(default_factory=list)  # (event, action, time)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def send(self, connection_id: str, frame: str) -> None:
        if connection_id in self.gone:
            raise ConnectionGoneError(connection_id)
        _, message_id, action, payload = json.loads(frame)
        self._record("call", action)
        reply = self.replies.get(action, lambda _: ({"status": "Accepted"}, 0.0))(payload)
        if reply is None:
            return
        answer, delay = reply
        raw = [3, message_id, answer] if isinstance(answer, dict) else [4, message_id, *answer, {}]
        session = Session("CP-" + connection_id.removeprefix("conn-"), V16, connection_id)
        threading.Timer(delay, self._answer, (action, json.dumps(raw), session)).start()

    def close(self, connection_id: str) -> None:
        return None

    def _answer(self, action: str, raw: str, session: Session) -> None:
        self._record("answer", action)
        assert self.dispatcher is not None
        self.dispatcher.process(raw, session)

    def _record(self, event: str, action: str) -> None:
        with self._lock:
            self.log.append((event, action, time.monotonic()))


@pytest.fixture(scope="module")
def backend() -> Iterator[AwsBackend]:
    started = AwsBackend(table_prefix="csms-test-workflow")
    started.start()
    try:
        yield started
    finally:
        started.stop()


@pytest.fixture
def charge_point() -> ScriptedChargePoint:
    return ScriptedChargePoint()


@pytest.fixture
def services(
    backend: AwsBackend, charge_point: ScriptedChargePoint, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Services]:
    environment = backend.environment(management_endpoint="http://127.0.0.1:9")
    environment[constants.ENV_COMMAND_TIMEOUT_SECONDS] = str(ANSWER_TIMEOUT_SECONDS)
    environment[constants.ENV_COMMAND_FOLLOW_UP_TIMEOUT_SECONDS] = "10"
    environment[constants.ENV_COMMAND_POLL_INTERVAL_SECONDS] = "1"
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    settings = get_settings()
    repositories = dynamodb_repositories(settings)
    composed = wired(
        compose(
            settings,
            repositories,
            charge_point,
            SystemClock(),
            StepFunctionsWorkflows(settings.command_state_machine_arn),
            RecordingPublisher(),
            StepFunctionsWorkflows(settings.rebalance_state_machine_arn),
            LocalKeySigner(),
            StepFunctionsWorkflows(settings.campaign_state_machine_arn),
        ),
        repositories,
    )
    charge_point.dispatcher = build_dispatcher(composed)
    monkeypatch.setattr("csms.handlers.command_worker.get_services", lambda: composed)
    poller = QueuePoller(
        backend.client("sqs"), settings.command_steps_queue_url, LocalFunction("worker", command_worker.handler, 30)
    )
    poller.start()
    try:
        yield composed
    finally:
        poller.stop()
        backend.stop_executions()


def connected(services: Services, charge_point_id: str) -> None:
    services.charge_points.connected(charge_point_id, "conn-" + charge_point_id.removeprefix("CP-"), V16)


def finished(services: Services, command: Command, timeout: float = 15.0) -> tuple[Command, str]:
    """The command once its workflow ended, and how the execution ended."""
    stepfunctions = StepFunctionsWorkflows(services.settings.command_state_machine_arn)._client
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        execution = stepfunctions.describe_execution(executionArn=command.execution_arn)
        if execution["status"] != "RUNNING":
            found = services.commands.get(command.command_id)
            assert found is not None
            return found, execution["status"]
        time.sleep(0.05)
    raise AssertionError(f"{command.action} still running: {services.commands.get(command.command_id)}")


def test_an_accepted_command(services: Services, charge_point: ScriptedChargePoint) -> None:
    connected(services, "CP-1")

    command, execution = finished(
        services, services.commands.submit("CP-1", "ChangeConfiguration", {"key": "K", "value": "V"})
    )

    assert (command.status, command.response, execution) == (
        CommandStatus.ACCEPTED,
        {"status": "Accepted"},
        "SUCCEEDED",
    )
    assert command.sent_at is not None
    assert command.sent_at <= command.answered_at == command.finished_at  # type: ignore[operator]


def test_a_callerror(services: Services, charge_point: ScriptedChargePoint) -> None:
    connected(services, "CP-2")
    charge_point.replies["ClearCache"] = lambda _: (("NotSupported", "No cache here"), 0.0)

    command, execution = finished(services, services.commands.submit("CP-2", "ClearCache", {}))

    assert (command.status, execution) == (CommandStatus.FAILED, "SUCCEEDED")
    assert command.error == CommandError("NotSupported", "No cache here")
    assert command.answered_at is not None


def test_no_answer_times_out_and_frees_the_charge_point(services: Services, charge_point: ScriptedChargePoint) -> None:
    connected(services, "CP-3")
    charge_point.replies["ClearCache"] = lambda _: None

    started = time.monotonic()
    command, _ = finished(services, services.commands.submit("CP-3", "ClearCache", {}))

    assert command.status is CommandStatus.TIMED_OUT
    assert command.error == CommandError("Timeout", "The charge point did not answer in time")
    assert time.monotonic() - started >= ANSWER_TIMEOUT_SECONDS
    # And the next command goes through
    charge_point.replies["ClearCache"] = lambda _: ({"status": "Accepted"}, 0.0)
    assert finished(services, services.commands.submit("CP-3", "ClearCache", {}))[0].status is CommandStatus.ACCEPTED


def test_an_offline_charge_point_fails_at_once(services: Services, charge_point: ScriptedChargePoint) -> None:
    connected(services, "CP-4")
    services.charge_points.disconnected("conn-4", "CP-4")

    started = time.monotonic()
    command, _ = finished(services, services.commands.submit("CP-4", "ClearCache", {}))

    assert command.status is CommandStatus.OFFLINE
    assert time.monotonic() - started < ANSWER_TIMEOUT_SECONDS
    assert charge_point.log == []


def test_a_gone_connection_is_offline_and_disconnects_the_charge_point(
    services: Services, charge_point: ScriptedChargePoint
) -> None:
    connected(services, "CP-5")
    charge_point.gone.add("conn-5")

    command, _ = finished(services, services.commands.submit("CP-5", "ClearCache", {}))

    assert command.status is CommandStatus.OFFLINE
    assert command.error is not None
    assert command.error.code == "Offline"
    assert not services.repositories.charge_points.get("CP-5").connected  # type: ignore[union-attr]


def test_commands_to_one_charge_point_go_one_at_a_time(services: Services, charge_point: ScriptedChargePoint) -> None:
    connected(services, "CP-6")
    charge_point.replies["GetConfiguration"] = lambda _: ({"configurationKey": []}, 0.5)
    charge_point.replies["ClearCache"] = lambda _: ({"status": "Accepted"}, 0.5)

    first = services.commands.submit("CP-6", "GetConfiguration", {})
    second = services.commands.submit("CP-6", "ClearCache", {})

    assert finished(services, first)[0].status is CommandStatus.ACCEPTED
    assert finished(services, second)[0].status is CommandStatus.ACCEPTED
    # In the order submitted, the second CALL going out only after the first one's answer
    assert [(event, action) for event, action, _ in charge_point.log] == [
        ("call", "GetConfiguration"),
        ("answer", "GetConfiguration"),
        ("call", "ClearCache"),
        ("answer", "ClearCache"),
    ]


def test_a_remote_start_follows_the_transaction(services: Services, charge_point: ScriptedChargePoint) -> None:
    connected(services, "CP-7")

    def start_transaction(payload: dict[str, Any]) -> Reply:
        # The charge point starts the transaction a moment after accepting
        def start() -> None:
            now = SystemClock().now()
            services.transactions.start("CP-7", TransactionStart(1, payload["idTag"], meter_start=0, timestamp=now))

        threading.Timer(1.5, start).start()
        return {"status": "Accepted"}, 0.0

    charge_point.replies["RemoteStartTransaction"] = start_transaction

    command, _ = finished(services, services.commands.start("CP-7", "TAG-7", connector_id=1))

    assert command.status is CommandStatus.ACCEPTED
    assert command.result is not None
    assert command.result["transactionStarted"] is True
    (transaction,) = services.repositories.transactions.page(TransactionFilter(charge_point_id="CP-7"), 10).items
    assert command.result["transactionId"] == transaction.transaction_id
