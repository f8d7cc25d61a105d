"""Fixtures for the adapter tests: the real DynamoDB repositories on moto, and raw table access.

Starting moto and loading botocore's service models for every test costs about 0.2 s a test, so
here one moto (with every table of `csms.tables.TABLES`) serves the whole package and `aws` empties
the tables before each test instead: each test still starts from empty tables, as with the
root `aws` fixture it overrides.
"""

from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from csms import tables
from csms.services import Repositories, Services
from csms.settings import Settings
from tests.conftest import TEST_ENVIRONMENT

REGION = TEST_ENVIRONMENT["AWS_DEFAULT_REGION"]


@pytest.fixture(scope="package")
def _moto_tables() -> Iterator[Any]:
    with mock_aws():
        client = boto3.client("dynamodb", region_name=REGION)
        for spec in tables.TABLES:
            client.create_table(**spec.create_table_request(TEST_ENVIRONMENT[spec.env_var]))
        yield client


@pytest.fixture
def aws(_moto_tables: Any) -> None:
    """moto with every table created and empty (overrides the root `aws` fixture)."""
    resource = boto3.resource("dynamodb", region_name=REGION)
    for spec in tables.TABLES:
        table = resource.Table(TEST_ENVIRONMENT[spec.env_var])
        key_names = [key["AttributeName"] for key in spec.key_schema()]
        items = table.scan(
            ProjectionExpression=", ".join(f"#k{i}" for i in range(len(key_names))),
            ExpressionAttributeNames={f"#k{i}": name for i, name in enumerate(key_names)},
        )["Items"]
        with table.batch_writer() as batch:
            for item in items:
                batch.delete_item(Key=item)


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
