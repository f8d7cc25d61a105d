"""Threads sharing a boto3 Table build their condition expressions whole (`condition_expressions`): each
request's key condition keeps its own placeholders, whatever the other threads build at the same moment."""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from boto3.dynamodb.conditions import Key
from boto3.dynamodb.transform import TransformationInjector

from csms.local import condition_expressions

THREADS = 8
REQUESTS_EACH = 2_000


@pytest.fixture
def frequent_thread_switches() -> Iterator[None]:
    """Switch threads as often as the interpreter can, so that builds overlap."""
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(interval)


def _mixed_up_requests(injector: TransformationInjector) -> list[dict[str, Any]]:
    """Query parameters built by all the threads at once whose placeholders do not name both key attributes."""
    query = boto3.session.Session().client("dynamodb", region_name="us-east-1").meta.service_model
    model = query.operation_model("Query")
    mixed_up: list[dict[str, Any]] = []

    def build() -> None:
        for number in range(REQUESTS_EACH):
            params: dict[str, Any] = {
                "TableName": "t",
                "KeyConditionExpression": Key("chargePointId").eq(f"CP-{number}") & Key("itemKey").lt("NOTIFICATION"),
            }
            injector.inject_condition_expressions(params, model)
            if set(params["ExpressionAttributeNames"].values()) != {"chargePointId", "itemKey"}:
                mixed_up.append(params)

    threads = [threading.Thread(target=build) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return mixed_up


def test_threads_sharing_a_table_build_their_key_conditions_whole(frequent_thread_switches: None) -> None:
    condition_expressions.built_one_at_a_time()

    assert _mixed_up_requests(TransformationInjector()) == []
