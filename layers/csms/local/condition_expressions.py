"""boto3's DynamoDB condition expressions built one at a time, in a runtime whose threads share their tables.

A boto3 Table (its client) turns `Key(...)`/`Attr(...)` conditions into expressions with one placeholder
counter, which it resets for every request. On Lambda one invocation at a time uses a client; in `csms local`
the handler threads share the services, and so the clients. Two threads building at once reset each other's
counter, and a request can go out with two attributes under one placeholder (moto then refuses a Query whose
key condition lost its partition key; a filter could silently test the wrong attribute). Building one at a
time takes microseconds and changes nothing else.
"""

from __future__ import annotations

import threading
from typing import Any

from boto3.dynamodb.transform import TransformationInjector

_boto3_inject_condition_expressions = TransformationInjector.inject_condition_expressions
_building = threading.Lock()


def _inject_one_at_a_time(self: TransformationInjector, params: Any, model: Any, **kwargs: Any) -> None:
    with _building:
        _boto3_inject_condition_expressions(self, params, model, **kwargs)


def built_one_at_a_time() -> None:
    """Install for every Table made from now on (idempotent)."""
    TransformationInjector.inject_condition_expressions = _inject_one_at_a_time  # type: ignore[method-assign]
