"""Reported configuration, one item per value in the charge point's partition of ChargePoints."""

from typing import Any

from boto3.dynamodb.conditions import Key

from csms.adapters.dynamodb.codec import integer, item, query_all, timestamp
from csms.domain.configuration_variables import ConfigurationVariable

# Sorts after "NOTIFICATION#": the charge point repository's `get()` (itemKey < "NOTIFICATION#")
# never reads configuration, however many values a charge point reports.
VARIABLE_PREFIX = "VARIABLE#"


class DynamoDbConfigurationRepository:
    def __init__(self, charge_points_table: Any) -> None:
        self._table = charge_points_table

    def put(self, charge_point_id: str, variables: list[ConfigurationVariable]) -> None:
        # A batch holds each key once: the last report of a value wins, as it would in sequence.
        unique = {_item_key(variable): variable for variable in variables}
        with self._table.batch_writer() as batch:
            for item_key, variable in unique.items():
                batch.put_item(
                    Item=item(
                        chargePointId=charge_point_id,
                        itemKey=item_key,
                        component=variable.component,
                        componentInstance=variable.component_instance,
                        evseId=variable.evse_id,
                        connectorId=variable.connector_id,
                        variable=variable.variable,
                        variableInstance=variable.variable_instance,
                        attributeType=variable.attribute_type,
                        value=variable.value,
                        mutability=variable.mutability,
                        reportedAt=variable.reported_at,
                    )
                )

    def list(self, charge_point_id: str) -> list[ConfigurationVariable]:
        entries = query_all(
            self._table,
            KeyConditionExpression=Key("chargePointId").eq(charge_point_id)
            & Key("itemKey").begins_with(VARIABLE_PREFIX),
        )
        return [_variable(entry) for entry in entries]


def _item_key(variable: ConfigurationVariable) -> str:
    return VARIABLE_PREFIX + "#".join(_key_part(part) for part in variable.identity)


def _key_part(part: object) -> str:
    """A part of the identity that no other spells alike: a charge point may name things `a#b`,
    `%` or ``, so a part's own `%` and `#` are escaped and an empty name (`%`) differs from none."""
    if part is None:
        return ""
    text = str(part)
    return text.replace("%", "%25").replace("#", "%23") if text else "%"


def _variable(entry: dict[str, Any]) -> ConfigurationVariable:
    return ConfigurationVariable(
        component=entry.get("component"),
        component_instance=entry.get("componentInstance"),
        evse_id=integer(entry.get("evseId")),
        connector_id=integer(entry.get("connectorId")),
        variable=entry["variable"],
        variable_instance=entry.get("variableInstance"),
        attribute_type=entry["attributeType"],
        value=entry.get("value"),
        mutability=entry.get("mutability"),
        reported_at=timestamp(entry.get("reportedAt")),
    )
