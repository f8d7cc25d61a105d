"""Fixtures for the adapter tests: the real DynamoDB repositories on moto, and raw table access.

One moto serves the whole package and `aws` empties its tables before each test (`tests.moto_tables`).
"""

from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest

from csms.composition import Repositories, Services
from csms.settings import Settings
from tests.moto_tables import aws, moto_tables

__all__ = ["aws", "moto_tables"]  # the shared moto fixtures, used by this package's tests


@pytest.fixture
def repositories(dynamodb_services: Services) -> Repositories:
    return dynamodb_services.repositories


@pytest.fixture
def raw_table(aws: None, settings: Settings) -> Callable[[str], Any]:
    """A boto3 Table by its settings field name (e.g. "charge_points_table"), to read what was stored."""
    dynamodb = boto3.resource("dynamodb")

    def table(setting: str) -> Any:
        return dynamodb.Table(getattr(settings, setting))

    return table


class Requests:
    """AWS requests counted by service and operation (`dynamodb.GetItem`), from a botocore `before-call` hook."""

    def __init__(self) -> None:
        self.counted: Counter[str] = Counter()

    def __call__(self, event_name: str, **_: Any) -> None:
        _, service, operation = event_name.split(".", 2)
        self.counted[f"{service}.{operation}"] += 1

    def take(self) -> Counter[str]:
        taken, self.counted = self.counted, Counter()
        return taken


@pytest.fixture
def requests(aws: None) -> Iterator[Requests]:
    """Counts the requests of every client built from the default session after it (build the services after)."""
    if boto3.DEFAULT_SESSION is None:
        boto3.setup_default_session()
    session = boto3.DEFAULT_SESSION
    assert session is not None
    counting = Requests()
    session.events.register("before-call", counting)
    yield counting
    session.events.unregister("before-call", counting)
