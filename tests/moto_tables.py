"""One moto per test package, with every table of `csms.tables.TABLES`, emptied before each test.

Starting moto and loading botocore's service models for every test costs about 0.2 s a test, so a
package's conftest imports both fixtures: `moto_tables` starts moto once for the package, and `aws`
(overriding the root one) empties the tables before each test, which still starts from empty tables.
"""

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from csms import tables
from tests.conftest import TEST_ENVIRONMENT

REGION = TEST_ENVIRONMENT["AWS_DEFAULT_REGION"]


@pytest.fixture(scope="package")
def moto_tables() -> Iterator[Any]:
    """The DynamoDB resource of a moto holding every table."""
    with mock_aws():
        resource = boto3.resource("dynamodb", region_name=REGION)
        for spec in tables.TABLES:
            resource.meta.client.create_table(**spec.create_table_request(TEST_ENVIRONMENT[spec.env_var]))
        yield resource


@pytest.fixture
def aws(moto_tables: Any) -> None:
    """moto with every table created and empty (overrides the root `aws` fixture)."""
    for spec in tables.TABLES:
        table = moto_tables.Table(TEST_ENVIRONMENT[spec.env_var])
        key_names = [key["AttributeName"] for key in spec.key_schema()]
        items = table.scan(
            ProjectionExpression=", ".join(f"#k{i}" for i in range(len(key_names))),
            ExpressionAttributeNames={f"#k{i}": name for i, name in enumerate(key_names)},
        )["Items"]
        if items:
            with table.batch_writer() as batch:
                for item in items:
                    batch.delete_item(Key=item)
