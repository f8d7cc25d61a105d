"""The DynamoDB tables, built from `csms.tables.TABLES` so keys cannot drift from the code."""

from collections.abc import Iterable, Mapping

from aws_cdk import RemovalPolicy
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_iam as iam
from constructs import Construct

from csms.tables import TABLES, Key, TableSpec

_ATTRIBUTE_TYPES = {"S": dynamodb.AttributeType.STRING, "N": dynamodb.AttributeType.NUMBER}

# Explicit actions instead of `Table.grant_*`, whose `index/*` resource is a wildcard: grants
# below name the table and each of its indexes.
READ_ACTIONS = (
    "dynamodb:BatchGetItem",
    "dynamodb:ConditionCheckItem",
    "dynamodb:DescribeTable",
    "dynamodb:GetItem",
    "dynamodb:Query",
    "dynamodb:Scan",
)
WRITE_ACTIONS = (
    "dynamodb:BatchWriteItem",
    "dynamodb:DeleteItem",
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
)


def _attribute(key: Key) -> dynamodb.Attribute:
    return dynamodb.Attribute(name=key.name, type=_ATTRIBUTE_TYPES[key.type])


class Data(Construct):
    """One table per `TableSpec`: on-demand, point-in-time recovery, AWS-managed KMS key, retained."""

    def __init__(self, scope: Construct, construct_id: str) -> None:
        super().__init__(scope, construct_id)
        self.tables: dict[TableSpec, dynamodb.Table] = {spec: self._table(spec) for spec in TABLES}

    def _table(self, spec: TableSpec) -> dynamodb.Table:
        table = dynamodb.Table(
            self,
            spec.logical_name,
            partition_key=_attribute(spec.partition_key),
            sort_key=_attribute(spec.sort_key) if spec.sort_key else None,
            billing_mode=dynamodb.BillingMode.PAY_PER_REQUEST,
            point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
                point_in_time_recovery_enabled=True
            ),
            encryption=dynamodb.TableEncryption.AWS_MANAGED,
            time_to_live_attribute=spec.ttl_attribute,
            stream=dynamodb.StreamViewType.NEW_AND_OLD_IMAGES if spec.stream else None,
            removal_policy=RemovalPolicy.RETAIN,
        )
        for index in spec.indexes:
            table.add_global_secondary_index(
                index_name=index.name,
                partition_key=_attribute(index.partition_key),
                sort_key=_attribute(index.sort_key) if index.sort_key else None,
                projection_type=dynamodb.ProjectionType(index.projection_type),
            )
        return table

    @property
    def environment(self) -> Mapping[str, str]:
        """Every table's env var and physical name (`csms.settings.Settings` requires all)."""
        return {spec.env_var: table.table_name for spec, table in self.tables.items()}

    def grant_read(self, grantee: iam.IGrantable, specs: Iterable[TableSpec]) -> None:
        self._grant(grantee, specs, READ_ACTIONS)

    def grant_read_write(self, grantee: iam.IGrantable, specs: Iterable[TableSpec]) -> None:
        self._grant(grantee, specs, READ_ACTIONS + WRITE_ACTIONS)

    def grant_query_index(self, grantee: iam.IGrantable, spec: TableSpec, index_name: str) -> None:
        """Query of one index only: not the table's items, nor its other indexes."""
        if index_name not in {index.name for index in spec.indexes}:
            raise ValueError(f"{spec.logical_name} has no index {index_name}")
        arn = f"{self.tables[spec].table_arn}/index/{index_name}"
        iam.Grant.add_to_principal(grantee=grantee, actions=["dynamodb:Query"], resource_arns=[arn])

    def _grant(self, grantee: iam.IGrantable, specs: Iterable[TableSpec], actions: tuple[str, ...]) -> None:
        for spec in specs:
            table = self.tables[spec]
            resources = [table.table_arn] + [f"{table.table_arn}/index/{i.name}" for i in spec.indexes]
            iam.Grant.add_to_principal(grantee=grantee, actions=list(actions), resource_arns=resources)
