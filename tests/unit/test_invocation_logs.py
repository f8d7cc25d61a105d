"""One invocation's log context (function request id, charge point id) on its own lines only.

`csms local` runs handlers concurrently on threads of one process, where the Powertools logger is
one module-level object: keys one invocation appends must not show on another's lines.
"""

import json
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, cast

import pytest
from aws_lambda_powertools.utilities.typing import LambdaContext

from csms.composition import Services
from csms.handlers import message
from csms.local.lambda_events import lambda_context
from csms.observability import logger
from csms.wire.versions import OcppVersion
from functions import ocpp_message
from tests.unit.stations import message_event

CHARGE_POINTS = ("CP-A", "CP-B")


class LineCapture(logging.Handler):
    """Keeps each line as the logger formats it, with the thread that wrote it."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[tuple[str, dict[str, Any]]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append((record.threadName or "", json.loads(self.format(record))))


class InterleavingCapture(LineCapture):
    """Each thread's first record waits until every thread has reached one, so that each is formatted
    after the others appended their keys."""

    def __init__(self, threads: int) -> None:
        super().__init__()
        self._barrier = threading.Barrier(threads, timeout=10)
        self._waited: set[str | None] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        # Before Handler.handle takes the handler's lock, so the other threads can reach theirs.
        if record.threadName not in self._waited:
            self._waited.add(record.threadName)
            self._barrier.wait()
        return True


@contextmanager
def capturing(handler: LineCapture) -> Iterator[LineCapture]:
    """Lines of the Powertools logger (the standard logger of its name underneath), formatted by its formatter."""
    handler.setFormatter(logger.registered_formatter)
    underlying = logging.getLogger(logger.name)
    level = underlying.level
    underlying.addHandler(handler)
    underlying.setLevel(logging.DEBUG)  # "Frame received", written after the charge point's keys are appended
    try:
        yield handler
    finally:
        underlying.removeHandler(handler)
        underlying.setLevel(level)


def test_concurrent_invocations_keep_their_own_log_context(
    fake_services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(message, "get_services", lambda: fake_services)
    contexts = {charge_point_id: lambda_context("ocpp_message") for charge_point_id in CHARGE_POINTS}
    for charge_point_id in CHARGE_POINTS:
        fake_services.charge_points.connected(charge_point_id, f"conn-{charge_point_id}", OcppVersion.V16)
    failures: list[BaseException] = []

    def invoke(charge_point_id: str) -> None:
        event = message_event(OcppVersion.V16, '[2, "h-1", "Heartbeat", {}]', charge_point_id)
        try:
            ocpp_message.handler(event, cast(LambdaContext, contexts[charge_point_id]))
        except BaseException as error:
            failures.append(error)

    threads = [threading.Thread(target=invoke, args=(cp,), name=cp) for cp in CHARGE_POINTS]
    with capturing(InterleavingCapture(threads=len(threads))) as capture:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)

    assert failures == []
    assert {thread_name for thread_name, _ in capture.lines} == set(CHARGE_POINTS)
    for charge_point_id, line in capture.lines:
        assert line.get("charge_point_id") == charge_point_id, line
        assert line.get("connection_id") == f"conn-{charge_point_id}", line
        assert line.get("function_request_id") == contexts[charge_point_id].aws_request_id, line


def test_an_invocation_starts_without_the_keys_of_the_one_before_on_its_thread(
    fake_services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As on a warm Lambda: one thread, one invocation after the other.
    monkeypatch.setattr(message, "get_services", lambda: fake_services)
    fake_services.charge_points.connected("CP-A", "conn-CP-A", OcppVersion.V16)
    heartbeat = '[2, "h-1", "Heartbeat", {}]'
    first, second = lambda_context("ocpp_message"), lambda_context("ocpp_message")
    with capturing(LineCapture()) as capture:
        ocpp_message.handler(message_event(OcppVersion.V16, heartbeat, "CP-A"), cast(LambdaContext, first))
        # A frame on a connection that is not current: logged before any charge point key is appended
        ocpp_message.handler(message_event(OcppVersion.V16, heartbeat, "CP-B"), cast(LambdaContext, second))

    warning = next(line for _, line in capture.lines if line["level"] == "WARNING")
    assert warning["function_request_id"] == second.aws_request_id
    assert "charge_point_id" not in warning
