"""Fixtures for the adapter tests: the real DynamoDB repositories on moto, and raw table access.

One moto serves the whole package and `aws` empties its tables before each test (`tests.moto_tables`).
"""

from collections.abc import Callable
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
