"""Every table of `csms.tables.TABLES` is deployed as specified."""

from typing import Any

import pytest
from aws_cdk.assertions import Match, Template

from csms.tables import TABLES, TableSpec
from tests.infra.queries import table_id

pytestmark = pytest.mark.infra


def _key_schema(partition: str, sort: str | None) -> list[dict[str, str]]:
    schema = [{"AttributeName": partition, "KeyType": "HASH"}]
    if sort:
        schema.append({"AttributeName": sort, "KeyType": "RANGE"})
    return schema


def test_one_table_per_spec(template: Template) -> None:
    template.resource_count_is("AWS::DynamoDB::Table", len(TABLES))


@pytest.mark.parametrize("spec", TABLES, ids=lambda spec: spec.logical_name)
def test_table_matches_its_spec(resources: dict[str, Any], spec: TableSpec) -> None:
    table = resources[table_id(resources, spec)]
    props = table["Properties"]

    assert props["KeySchema"] == spec.key_schema()
    assert props["BillingMode"] == "PAY_PER_REQUEST"
    assert props["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
    assert props["SSESpecification"] == {"SSEEnabled": True}
    assert table["DeletionPolicy"] == "Retain"
    expected_ttl = {"AttributeName": spec.ttl_attribute, "Enabled": True} if spec.ttl_attribute else None
    assert props.get("TimeToLiveSpecification") == expected_ttl
    expected_indexes = [
        {
            "IndexName": index.name,
            "KeySchema": _key_schema(index.partition_key.name, index.sort_key.name if index.sort_key else None),
            "Projection": {"ProjectionType": index.projection_type},
        }
        for index in spec.indexes
    ]
    assert props.get("GlobalSecondaryIndexes", []) == expected_indexes
    # The deployed attribute types are the ones the local tables are created with.
    assert sorted(props["AttributeDefinitions"], key=str) == sorted(
        spec.create_table_request("any")["AttributeDefinitions"], key=str
    )


def test_tables_have_generated_names(template: Template) -> None:
    template.all_resources_properties("AWS::DynamoDB::Table", {"TableName": Match.absent()})
