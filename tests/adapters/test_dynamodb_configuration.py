"""`DynamoDbConfigurationRepository` on moto: reported values in the charge point's partition."""

from collections.abc import Callable
from typing import Any

import pytest

from csms.composition import Repositories
from csms.domain.configuration_variables import ConfigurationVariable
from csms.domain.models import BootInfo, ConnectorStatus
from tests.contracts.test_configuration_repository import CONNECTOR_AVAILABLE, HEARTBEAT, T0


@pytest.mark.parametrize(
    ("variable", "item_key"),
    [
        (CONNECTOR_AVAILABLE, "VARIABLE#Connector#CCS#1#2#Available#Plug#Actual"),
        (HEARTBEAT, "VARIABLE#####HeartbeatInterval##Actual"),
        (ConfigurationVariable("V#1", component="", variable_instance="5%"), "VARIABLE#%####V%231#5%25#Actual"),
    ],
)
def test_a_value_is_kept_under_a_key_of_its_identity(
    repositories: Repositories, raw_table: Callable[[str], Any], variable: ConfigurationVariable, item_key: str
) -> None:
    # Names without `#` or `%` keep the keys they always had: a new report still replaces a stored value.
    repositories.configuration.put("CP-1", [variable])

    table = raw_table("charge_points_table")
    assert table.get_item(Key={"chargePointId": "CP-1", "itemKey": item_key})["Item"]["variable"] == variable.variable


def test_many_values_are_written_in_batches(repositories: Repositories) -> None:
    variables = [ConfigurationVariable(component="Ctrlr", variable=f"V{n:03}", value=str(n)) for n in range(60)]

    repositories.configuration.put("CP-1", variables)

    assert sorted(v.variable for v in repositories.configuration.list("CP-1")) == [v.variable for v in variables]


def test_reading_a_charge_point_reads_none_of_its_configuration(repositories: Repositories) -> None:
    # Given a charge point with a connector and much configuration
    charge_points = repositories.charge_points
    charge_points.record_boot("CP-1", BootInfo("Acme", "AC-22"), T0)
    charge_points.record_status("CP-1", ConnectorStatus(1, "Available", T0))
    repositories.configuration.put(
        "CP-1", [ConfigurationVariable(component="Ctrlr", variable=f"V{n}") for n in range(30)]
    )
    returned: list[int] = []

    def count_items(parsed: dict[str, Any], **_: Any) -> None:
        returned.append(len(parsed.get("Items", [])))

    events = charge_points._table.meta.client.meta.events  # type: ignore[attr-defined]
    events.register("after-call.dynamodb.Query", count_items)
    try:
        # When the charge point is read
        charge_point = charge_points.get("CP-1")
    finally:
        events.unregister("after-call.dynamodb.Query", count_items)

    # Then only its profile and connector were read
    assert charge_point is not None
    assert sum(returned) == 2
