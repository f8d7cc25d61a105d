"""Lambda functions: runtime, layer, logs, environment and least-privilege roles."""

from typing import Any

import pytest
from aws_cdk.assertions import Template

from csms import constants
from csms.function_catalogue import FUNCTIONS
from csms.tables import (
    CALLS,
    CAMPAIGNS,
    CERTIFICATES,
    CHARGE_POINTS,
    COMMANDS,
    CONNECTIONS,
    ID_TOKENS,
    IDEMPOTENCY,
    INVOICES,
    LOAD_BALANCING,
    METER_VALUES,
    RESERVATIONS,
    SECURITY_EVENTS,
    SITES,
    TABLES,
    TARIFFS,
    TRANSACTIONS,
)
from tests.infra.conftest import PROJECT_ROOT
from tests.infra.queries import actions_on, api_id, function_id, of_type, role_statements, table_id

pytestmark = pytest.mark.infra

MODULES = tuple(function.module for function in FUNCTIONS)
WRITE_ACTIONS = {"dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem"}
READ_ACTION = "dynamodb:GetItem"


def test_the_functions_are_those_of_the_catalogue(resources: dict[str, Any]) -> None:
    # Every function is the catalogue's, and the other way round: CDK's own helper functions, the
    # only others a template could hold, run on Node.js, but for the console's BucketDeployment.
    ours = [
        function["Properties"]
        for logical_id, function in of_type(resources, "AWS::Lambda::Function").items()
        if function["Properties"]["Runtime"].startswith("python")
        and not logical_id.startswith("CustomCDKBucketDeployment")
    ]
    assert sorted(props["Handler"] for props in ours) == sorted(function.handler for function in FUNCTIONS)
    by_handler = {props["Handler"]: props for props in ours}
    for function in FUNCTIONS:
        props = by_handler[function.handler]
        assert (props["Description"], props["Timeout"], props["MemorySize"]) == (
            function.description,
            function.timeout_seconds,
            function.memory_mb,
        )
        assert (PROJECT_ROOT / "functions" / f"{function.module}.py").is_file()


@pytest.mark.parametrize("module", MODULES)
def test_function_runtime(resources: dict[str, Any], module: str) -> None:
    props = resources[function_id(resources, module)]["Properties"]

    assert props["Runtime"] == "python3.12"
    assert props["Architectures"] == ["arm64"]
    assert props["TracingConfig"] == {"Mode": "Active"}
    (layer,) = props["Layers"]
    assert layer["Ref"] in of_type(resources, "AWS::Lambda::LayerVersion")
    log_group = resources[props["LoggingConfig"]["LogGroup"]["Ref"]]
    assert log_group["Properties"]["RetentionInDays"] == 30
    environment = props["Environment"]["Variables"]
    assert environment["POWERTOOLS_SERVICE_NAME"] == constants.POWERTOOLS_SERVICE_NAME
    assert environment["POWERTOOLS_METRICS_NAMESPACE"] == constants.METRICS_NAMESPACE
    assert environment["LOG_LEVEL"] == "INFO"
    assert environment[constants.ENV_ACCEPT_UNKNOWN_CHARGE_POINTS] == "false"
    assert environment[constants.ENV_HEARTBEAT_INTERVAL_SECONDS] == "300"
    assert environment[constants.ENV_COMMAND_TIMEOUT_SECONDS] == "30"
    assert environment[constants.ENV_COMMAND_QUEUE_LIMIT] == "100"
    # `csms.settings.Settings` requires every table name, whatever the function may access.
    for spec in TABLES:
        assert environment[spec.env_var] == {"Ref": table_id(resources, spec)}


def test_layer_is_for_the_runtime(template: Template) -> None:
    template.has_resource_properties(
        "AWS::Lambda::LayerVersion",
        {"CompatibleRuntimes": ["python3.12"], "CompatibleArchitectures": ["arm64"]},
    )


def test_only_the_authorizer_knows_the_origin_secret(resources: dict[str, Any]) -> None:
    for module in MODULES:
        environment = resources[function_id(resources, module)]["Properties"]["Environment"]["Variables"]
        has_secret = constants.ENV_ORIGIN_VERIFY_SECRET in environment
        assert has_secret == (module == "ocpp_authorizer"), module
    authorizer = resources[function_id(resources, "ocpp_authorizer")]["Properties"]
    secret = authorizer["Environment"]["Variables"][constants.ENV_ORIGIN_VERIFY_SECRET]
    assert "{{resolve:secretsmanager:" in str(secret)


@pytest.mark.parametrize("module", ["ocpp_connect", "ocpp_message", "operator_api", "command_worker"])
def test_management_endpoint(resources: dict[str, Any], module: str) -> None:
    environment = resources[function_id(resources, module)]["Properties"]["Environment"]["Variables"]
    endpoint = ["https://", {"Ref": api_id(resources, "WEBSOCKET")}, ".execute-api.", {"Ref": "AWS::Region"}]
    endpoint += [".", {"Ref": "AWS::URLSuffix"}, "/ocpp"]
    assert environment[constants.ENV_WEBSOCKET_MANAGEMENT_ENDPOINT] == {"Fn::Join": ["", endpoint]}


# module -> (tables it may read, tables it may write)
ACCESS = {
    # Counts and reports repeated wrong passwords; checks client certificates against the inventory.
    "ocpp_authorizer": (
        {CHARGE_POINTS, CERTIFICATES, IDEMPOTENCY, SECURITY_EVENTS},
        {IDEMPOTENCY, SECURITY_EVENTS},
    ),
    # Whether a connection's certificate is still not revoked.
    "ocpp_connect": ({CHARGE_POINTS, CONNECTIONS, CERTIFICATES}, {CHARGE_POINTS, CONNECTIONS}),
    "ocpp_disconnect": ({CHARGE_POINTS, CONNECTIONS}, {CHARGE_POINTS, CONNECTIONS}),
    # Commands: a 2.0.1 session's start submits SetDisplayMessage.
    "ocpp_message": (
        {
            CHARGE_POINTS,
            CONNECTIONS,
            ID_TOKENS,
            TRANSACTIONS,
            METER_VALUES,
            IDEMPOTENCY,
            CALLS,
            RESERVATIONS,
            TARIFFS,
            COMMANDS,
            SECURITY_EVENTS,
            CERTIFICATES,
        },
        {
            CHARGE_POINTS,
            TRANSACTIONS,
            METER_VALUES,
            IDEMPOTENCY,
            CALLS,
            RESERVATIONS,
            COMMANDS,
            SECURITY_EVENTS,
            CERTIFICATES,
        },
    ),
    "operator_api": (set(TABLES), set(TABLES)),
    # Charge points and connections: a connection found gone when sending is recorded as such;
    # reservations and configuration (charge points) follow accepted ReserveNow/GetConfiguration answers;
    # an accepted CertificateSigned supersedes the charger's earlier certificates.
    "command_worker": (
        {CHARGE_POINTS, CONNECTIONS, TRANSACTIONS, CALLS, COMMANDS, RESERVATIONS, CERTIFICATES},
        {CHARGE_POINTS, CONNECTIONS, CALLS, COMMANDS, RESERVATIONS, CERTIFICATES},
    ),
    # Submits SetChargingProfile commands (a ticket of the charge point's queue, in Calls); reads the sessions'
    # latest meter values (their current, kept in the allocation's history).
    "rebalance_worker": (
        {SITES, TRANSACTIONS, CHARGE_POINTS, METER_VALUES, LOAD_BALANCING, COMMANDS, CALLS},
        {LOAD_BALANCING, COMMANDS, CALLS},
    ),
    # A campaign and its chargers; the chargers' profiles; submits each charger's commands and reads them back;
    # short links to firmware downloads (Idempotency items).
    "campaign_worker": (
        {CAMPAIGNS, CHARGE_POINTS, COMMANDS, CALLS, IDEMPOTENCY},
        {CAMPAIGNS, COMMANDS, CALLS, IDEMPOTENCY},
    ),
    # Reads the streams of its tables (stream ARNs); requests rebalances (a site's charger, its record);
    # submits a charger's site TxDefaultProfile or its clearing (its installed profiles are in ChargePoints).
    "domain_events": ({CHARGE_POINTS, LOAD_BALANCING, COMMANDS, CALLS}, {LOAD_BALANCING, COMMANDS, CALLS}),
    # Reads every site, its allocation and its chargers; requests rebalances.
    "site_tick": ({SITES, CHARGE_POINTS, LOAD_BALANCING}, {LOAD_BALANCING}),
    # Queries the certificates' status index, reads their chargers, submits TriggerMessage commands, and records
    # on a certificate that renewal was asked (or that it expired).
    "certificate_renewal": ({CHARGE_POINTS, COMMANDS, CALLS}, {CERTIFICATES, COMMANDS, CALLS}),
    # Queries the billing queue index only; TransactWriteItems puts invoices and updates transactions.
    # It adds to the billed totals (items of the idempotency table) in the same write as the invoice.
    "billing_run": (set(), {TRANSACTIONS, INVOICES, IDEMPOTENCY}),
    # Queries the running cost index only and updates a transaction only to record a failure
    # (`test_cost_updates.py`); submits CostUpdated commands (each takes a ticket of its charge
    # point's command queue, in Calls).
    "cost_updates": ({CHARGE_POINTS, METER_VALUES, COMMANDS, CALLS}, {TRANSACTIONS, COMMANDS, CALLS}),
}


@pytest.mark.parametrize("module", MODULES)
def test_table_access_is_least_privilege(resources: dict[str, Any], module: str) -> None:
    statements = role_statements(resources, function_id(resources, module))
    readable, writable = ACCESS[module]
    for spec in TABLES:
        actions = actions_on(statements, table_id(resources, spec))
        assert (READ_ACTION in actions) == (spec in readable), spec.logical_name
        assert bool(actions & WRITE_ACTIONS) == (spec in writable), spec.logical_name


def test_authorizer_cannot_write_charge_points(resources: dict[str, Any]) -> None:
    statements = role_statements(resources, function_id(resources, "ocpp_authorizer"))
    actions = actions_on(statements, table_id(resources, CHARGE_POINTS))
    assert actions
    assert not actions & WRITE_ACTIONS


@pytest.mark.parametrize("module", MODULES)
def test_no_wildcard_actions(resources: dict[str, Any], module: str) -> None:
    for statement in role_statements(resources, function_id(resources, module)):
        actions = statement["Action"]
        assert not any(action.endswith("*") for action in ([actions] if isinstance(actions, str) else actions))


MANAGES_CONNECTIONS = {"ocpp_connect", "ocpp_message", "operator_api", "command_worker"}


@pytest.mark.parametrize(("module", "allowed"), [(m, m in MANAGES_CONNECTIONS) for m in MODULES])
def test_manage_connections(resources: dict[str, Any], module: str, allowed: bool) -> None:
    statements = role_statements(resources, function_id(resources, module))
    granted = any(s["Action"] == "execute-api:ManageConnections" for s in statements)
    assert granted == allowed


def test_roles_have_no_managed_policies(template: Template) -> None:
    """The functions' roles; CDK's deploy-time function that uploads the console has its own."""
    lambda_roles = {
        i: r
        for i, r in template.find_resources("AWS::IAM::Role").items()
        if r["Properties"]["AssumeRolePolicyDocument"]["Statement"][0]["Principal"]
        == {"Service": "lambda.amazonaws.com"}
        and not i.startswith("CustomCDKBucketDeployment")
    }
    assert len(lambda_roles) == len(MODULES)
    for role in lambda_roles.values():
        assert "ManagedPolicyArns" not in role["Properties"]
