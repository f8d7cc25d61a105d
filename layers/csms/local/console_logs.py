"""`csms local`'s log lines, one format for the runtime's own records and the handlers' (Powertools).

Both go through a Powertools formatter, so both carry the keys of the invocation that wrote them
(function name, request id, charge point id...). `text` (the default) writes each as one readable
line, `timestamp LEVEL name: message key=value ...`; `json` as one JSON object, as CloudWatch gets them.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Mapping
from typing import TextIO, cast

from aws_lambda_powertools.logging.formatter import LambdaPowertoolsFormatter

from csms.observability import logger

# Keys a text line leaves out: in its head already, the same on every line, or repeated by `exception`.
_OMITTED_FROM_TEXT = frozenset(
    {
        "timestamp",
        "level",
        "name",
        "function_name",
        "service",
        "message",
        "location",
        "exception",
        "exception_name",
        "stack_trace",
        "cold_start",
        "function_memory_size",
        "function_arn",
        "sampling_rate",
        "xray_trace_id",
    }
)


_settings: list[str] = []


def configure(level_name: str, log_format: str) -> None:
    """The root logger's lines (the runtime, moto, websockets) and the handlers' in `log_format`, all
    on stderr (stdout has the banner), each once: the handlers' logger does not also pass them to root."""
    _settings[:] = [level_name, log_format]
    root_formatter = LambdaPowertoolsFormatter(name="%(name)s")
    if log_format == "text":
        root_formatter.json_serializer = text_line
        logger.registered_formatter.json_serializer = text_line  # type: ignore[attr-defined]
    root_handler = logging.StreamHandler(sys.stderr)
    root_handler.setFormatter(root_formatter)
    root = logging.getLogger()
    root.addHandler(root_handler)
    root.setLevel(level_name)
    logger.setLevel(level_name)
    handlers_logger = logging.getLogger(logger.name)
    handlers_logger.propagate = False
    cast(logging.StreamHandler[TextIO], logger.registered_handler).setStream(sys.stderr)


def settings() -> list[str]:
    """`configure`'s arguments, for a child process to log as this one does (none: not configured)."""
    return list(_settings)


def text_line(log: Mapping[str, object]) -> str:
    """One Powertools log record (the dict its formatter builds) as a readable line."""
    name = log.get("function_name") or log.get("name") or log.get("service")
    head = f"{log.get('timestamp')} {log.get('level', ''):<7} {name}: {log.get('message')}"
    keys = [f"{key}={_value(value)}" for key, value in log.items() if key not in _OMITTED_FROM_TEXT]
    line = " ".join([head, *keys])
    exception = log.get("exception")
    return f"{line}\n{exception}" if exception else line


def _value(value: object) -> str:
    if isinstance(value, str) and value and not any(character.isspace() for character in value):
        return value
    return json.dumps(value, default=str)
