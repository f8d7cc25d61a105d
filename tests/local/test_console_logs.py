"""`csms local`'s log lines: the runtime's and the handlers' in one format, text by default or JSON."""

import json
import logging
from collections.abc import Iterator
from typing import Any, TextIO, cast

import pytest

from csms.cli import build_parser
from csms.local import console_logs
from csms.observability import logger


@pytest.fixture
def restored_logging() -> Iterator[None]:
    """`configure` sets process-wide logging; put it back for the other tests."""
    root = logging.getLogger()
    handlers_logger = logging.getLogger(logger.name)
    handler = cast(logging.StreamHandler[TextIO], logger.registered_handler)
    formatter: Any = logger.registered_formatter
    saved = (root.handlers[:], root.level, handlers_logger.level, handlers_logger.propagate, handler.stream)
    serializer = formatter.json_serializer
    try:
        yield
    finally:
        root.handlers[:], root.level = saved[0], saved[1]
        handlers_logger.setLevel(saved[2])
        handlers_logger.propagate = saved[3]
        handler.stream = saved[4]
        formatter.json_serializer = serializer
        logger.thread_safe_clear_keys()


def _log_a_runtime_line_and_a_handler_line() -> None:
    logging.getLogger("local-runtime.front-door").info("listening on %s", "127.0.0.1:9000")
    logger.append_keys(function_name="ocpp_message", function_request_id="req-1", charge_point_id="CP-1")
    logger.debug("Frame received", extra={"frame": '[2, "h-1", "Heartbeat", {}]'})


def test_text_lines_by_default(restored_logging: None, capsys: pytest.CaptureFixture[str]) -> None:
    console_logs.configure("DEBUG", build_parser().parse_args(["local"]).log_format)
    _log_a_runtime_line_and_a_handler_line()

    captured = capsys.readouterr()
    assert captured.out == ""
    runtime_line, handler_line = captured.err.splitlines()
    assert runtime_line.endswith(" INFO    local-runtime.front-door: listening on 127.0.0.1:9000")
    assert handler_line.endswith(
        ' DEBUG   ocpp_message: Frame received function_request_id=req-1 charge_point_id=CP-1 frame="[2, \\"h-1\\", '
        '\\"Heartbeat\\", {}]"'
    )


def test_json_lines(restored_logging: None, capsys: pytest.CaptureFixture[str]) -> None:
    console_logs.configure("DEBUG", build_parser().parse_args(["local", "--log-format", "json"]).log_format)
    _log_a_runtime_line_and_a_handler_line()

    captured = capsys.readouterr()
    assert captured.out == ""
    runtime_line, handler_line = (json.loads(line) for line in captured.err.splitlines())
    assert runtime_line["name"] == "local-runtime.front-door"
    assert runtime_line["message"] == "listening on 127.0.0.1:9000"
    assert handler_line["level"] == "DEBUG"
    assert handler_line["function_request_id"] == "req-1"
    assert handler_line["charge_point_id"] == "CP-1"


def test_no_other_log_format(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        build_parser().parse_args(["local", "--log-format", "xml"])
    assert "--log-format" in capsys.readouterr().err
