"""The runtime keeps what moto would work out again for every request (`moto_dynamodb.parsed_once`): one
UpdateExpression tree serves every UpdateItem with that expression, each with its own values and item, and an
expression moto refuses is refused every time."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import pytest
from botocore.exceptions import ClientError
from moto.dynamodb.parsing import validators as moto_validators
from moto.dynamodb.parsing.expressions import UpdateExpressionParser  # type: ignore[attr-defined]  # untyped

from csms import tables
from csms.local import moto_dynamodb
from csms.local.aws_backend import AwsBackend, table_name
from tests.local.moto_backend import started_backend

PREFIX = "parsed"
EXPRESSION = "SET #status = :status, #count = if_not_exists(#count, :zero) + :one REMOVE #idle"


@pytest.fixture(scope="module")
def backend() -> Iterator[AwsBackend]:
    with started_backend(PREFIX) as started:
        yield started


def _update(dynamodb: Any, charger: str, status: str, expression: str = EXPRESSION) -> None:
    dynamodb.update_item(
        TableName=table_name(tables.CHARGE_POINTS, PREFIX),
        Key={"chargePointId": {"S": charger}, "itemKey": {"S": "CONNECTOR#0#1"}},
        UpdateExpression=expression,
        ExpressionAttributeNames={"#status": "status", "#count": "count", "#idle": "idleSince"},
        ExpressionAttributeValues={":status": {"S": status}, ":zero": {"N": "0"}, ":one": {"N": "1"}},
    )


def _item(dynamodb: Any, charger: str) -> dict[str, Any]:
    return dynamodb.get_item(
        TableName=table_name(tables.CHARGE_POINTS, PREFIX),
        Key={"chargePointId": {"S": charger}, "itemKey": {"S": "CONNECTOR#0#1"}},
    )["Item"]


def test_one_expression_tree_serves_updates_with_their_own_values(backend: AwsBackend) -> None:
    dynamodb = backend.client("dynamodb")

    for status in ("Available", "Preparing", "Charging"):
        _update(dynamodb, "CP-A", status)
    _update(dynamodb, "CP-B", "Faulted")

    assert _item(dynamodb, "CP-A")["status"] == {"S": "Charging"}
    assert _item(dynamodb, "CP-A")["count"] == {"N": "3"}
    assert _item(dynamodb, "CP-B")["status"] == {"S": "Faulted"}
    assert _item(dynamodb, "CP-B")["count"] == {"N": "1"}
    assert UpdateExpressionParser.make(EXPRESSION) is UpdateExpressionParser.make(EXPRESSION)


def test_moto_validates_a_copy_of_the_kept_tree_made_from_its_pickle(backend: AwsBackend) -> None:
    _update(backend.client("dynamodb"), "CP-D", "Available")
    kept = UpdateExpressionParser.make(EXPRESSION)

    copied = moto_validators.deepcopy(kept)

    assert copied is not kept
    assert _shape(copied) == _shape(kept) == _shape(copy.deepcopy(kept))
    assert moto_validators.deepcopy is moto_dynamodb._copy_for_validation
    anything_else = {"values": [1, {"x": 2}]}
    assert moto_validators.deepcopy(anything_else) == anything_else
    assert moto_validators.deepcopy(anything_else) is not anything_else


def test_an_expression_moto_refuses_is_refused_every_time(backend: AwsBackend) -> None:
    dynamodb = backend.client("dynamodb")
    for _ in range(2):
        with pytest.raises(ClientError) as refused:
            _update(dynamodb, "CP-C", "Available", expression="SET #status = :status SET #count = :one")
        assert refused.value.response["Error"]["Code"] == "ValidationException"


def _shape(value: Any) -> Any:
    """A tree as nested plain values: each node's type and attributes (its parent link left out)."""
    if isinstance(value, list | tuple):
        return [_shape(member) for member in value]
    if hasattr(value, "__dict__"):
        attributes = {name: _shape(member) for name, member in vars(value).items() if name != "parent"}
        return type(value).__name__, attributes
    return value


def test_the_checks_of_an_expressions_shape_see_each_requests_names(backend: AwsBackend) -> None:
    """Passed once for an expression with its names, the shape checks still refuse it with other names."""
    dynamodb = backend.client("dynamodb")
    expression = "SET #first = :one, #second = :one"

    def update(first: str, second: str) -> None:
        dynamodb.update_item(
            TableName=table_name(tables.CHARGE_POINTS, PREFIX),
            Key={"chargePointId": {"S": "CP-E"}, "itemKey": {"S": "CONNECTOR#0#1"}},
            UpdateExpression=expression,
            ExpressionAttributeNames={"#first": first, "#second": second},
            ExpressionAttributeValues={":one": {"N": "1"}},
        )

    for _ in range(2):
        update("status", "count")
    for first, second, refusal in [
        ("count", "count", "Two document paths overlap"),
        ("status", "itemKey", "Cannot update attribute itemKey"),
    ]:
        for _ in range(2):
            with pytest.raises(ClientError) as refused:
                update(first, second)
            assert refused.value.response["Error"]["Code"] == "ValidationException"
            assert refusal in refused.value.response["Error"]["Message"]
    update("status", "count")
    assert _item(dynamodb, "CP-E")["count"] == {"N": "1"}


def test_a_condition_expression_lexed_once_is_evaluated_with_each_requests_values(backend: AwsBackend) -> None:
    dynamodb = backend.client("dynamodb")
    condition = "attribute_not_exists(#at) OR #at < :at"

    def stamp(at: str) -> bool:
        try:
            dynamodb.update_item(
                TableName=table_name(tables.CHARGE_POINTS, PREFIX),
                Key={"chargePointId": {"S": "CP-F"}, "itemKey": {"S": "CONNECTOR#0#1"}},
                UpdateExpression="SET #at = :at",
                ConditionExpression=condition,
                ExpressionAttributeNames={"#at": "lastSeen"},
                ExpressionAttributeValues={":at": {"S": at}},
            )
        except dynamodb.exceptions.ConditionalCheckFailedException:
            return False
        return True

    outcomes = [stamp(at) for at in ("2026-01-02", "2026-01-01", "2026-01-03", "2026-01-03")]

    assert outcomes == [True, False, True, False]
    assert _item(dynamodb, "CP-F")["lastSeen"] == {"S": "2026-01-03"}
