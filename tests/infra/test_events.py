"""Domain events: the bus, the streams that feed it, and the publisher's narrow permissions."""

from typing import Any

import pytest

from csms import constants, tables
from tests.infra.queries import function_id, of_type, role_statements, table_id

pytestmark = pytest.mark.infra


def _bus_id(resources: dict[str, Any]) -> str:
    (bus,) = of_type(resources, "AWS::Events::EventBus")
    return bus


def test_streamed_tables_have_new_and_old_images(resources: dict[str, Any]) -> None:
    for spec in tables.TABLES:
        props = resources[table_id(resources, spec)]["Properties"]
        expected = {"StreamViewType": "NEW_AND_OLD_IMAGES"} if spec.stream else None
        assert props.get("StreamSpecification") == expected, spec.logical_name
    assert {tables.CHARGE_POINTS, tables.TRANSACTIONS} <= {spec for spec in tables.TABLES if spec.stream}


def test_the_publisher_consumes_each_stream_with_partial_failures_and_a_dead_letter_queue(
    resources: dict[str, Any],
) -> None:
    function = function_id(resources, "domain_events")
    mappings = [
        m["Properties"]
        for m in of_type(resources, "AWS::Lambda::EventSourceMapping").values()
        if m["Properties"]["FunctionName"] == {"Ref": function}
    ]
    streamed = [spec for spec in tables.TABLES if spec.stream]
    assert sorted(m["EventSourceArn"]["Fn::GetAtt"][0] for m in mappings) == sorted(
        table_id(resources, spec) for spec in streamed
    )
    (dead_letters,) = [i for i in of_type(resources, "AWS::SQS::Queue") if i.startswith("DomainEventsDeadLetters")]
    for mapping in mappings:
        assert mapping["StartingPosition"] == "LATEST"
        assert mapping["BatchSize"] == 100
        assert mapping["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
        assert mapping["BisectBatchOnFunctionError"] is True
        assert mapping["MaximumRetryAttempts"] == 10
        destination = mapping["DestinationConfig"]["OnFailure"]["Destination"]
        assert destination == {"Fn::GetAtt": [dead_letters, "Arn"]}
    queue = resources[dead_letters]["Properties"]
    assert queue["SqsManagedSseEnabled"] is True


def test_the_publisher_may_put_events_on_its_bus_and_write_only_rebalance_requests_and_commands(
    resources: dict[str, Any],
) -> None:
    function = function_id(resources, "domain_events")
    bus = _bus_id(resources)
    env = resources[function]["Properties"]["Environment"]["Variables"]
    assert env[constants.ENV_EVENT_BUS_NAME] == {"Ref": bus}
    statements = role_statements(resources, function)
    put = [
        s for s in statements if "events:PutEvents" in ([s["Action"]] if isinstance(s["Action"], str) else s["Action"])
    ]
    assert put == [{"Action": "events:PutEvents", "Effect": "Allow", "Resource": {"Fn::GetAtt": [bus, "Arn"]}}]
    # Its only writes: a site's rebalance request (running/pending) in the LoadBalancing table, and the
    # site TxDefaultProfile commands it submits (the command, and a ticket of the charger's queue in Calls).
    writes = {"dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem"}
    writable = {table_id(resources, spec) for spec in (tables.LOAD_BALANCING, tables.COMMANDS, tables.CALLS)}
    for statement in statements:
        actions = [statement["Action"]] if isinstance(statement["Action"], str) else statement["Action"]
        if writes & set(actions):
            written = statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
            for resource in written:
                assert any(f"'{table}'" in repr(resource) for table in writable), statement


def test_the_bus_name_is_an_output(template: Any, resources: dict[str, Any]) -> None:
    (output,) = template.find_outputs("EventBusName").values()
    assert output["Value"] == {"Ref": _bus_id(resources)}
