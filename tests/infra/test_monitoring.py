"""The dashboard, the alarms on-call acts on, and the topic they all notify."""

import json
from typing import Any

import pytest
from aws_cdk.assertions import Template

from csms import metric_names
from csms.function_catalogue import FUNCTIONS
from tests.infra.conftest import synthesize
from tests.infra.queries import function_id, of_type

pytestmark = pytest.mark.infra


@pytest.fixture(scope="module")
def alarms(resources: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Alarm properties by alarm name (without the stack name's prefix)."""
    return {
        r["Properties"]["AlarmName"].removeprefix("Csms-"): r["Properties"]
        for r in of_type(resources, "AWS::CloudWatch::Alarm").values()
    }


@pytest.fixture(scope="module")
def topic_id(resources: dict[str, Any]) -> str:
    (logical_id,) = of_type(resources, "AWS::SNS::Topic")
    return logical_id


@pytest.fixture(scope="module")
def dashboard(resources: dict[str, Any]) -> str:
    """The dashboard body as CloudFormation joins it (tokens as JSON objects)."""
    (board,) = of_type(resources, "AWS::CloudWatch::Dashboard").values()
    return json.dumps(board["Properties"]["DashboardBody"])


def metrics_of(alarm: dict[str, Any]) -> list[tuple[str, str]]:
    """(namespace, metric name) of every metric the alarm reads."""
    return [
        (m["MetricStat"]["Metric"]["Namespace"], m["MetricStat"]["Metric"]["MetricName"])
        for m in alarm["Metrics"]
        if "MetricStat" in m
    ]


def test_every_alarm_notifies_the_topic_and_its_return_to_ok(alarms: dict[str, Any], topic_id: str) -> None:
    assert alarms
    for name, alarm in alarms.items():
        assert alarm["ActionsEnabled"] is True, name
        assert alarm["AlarmActions"] == [{"Ref": topic_id}], name
        assert alarm["OKActions"] == [{"Ref": topic_id}], name


def test_the_topic_takes_tls_only(template: Template, topic_id: str) -> None:
    (policy,) = template.find_resources("AWS::SNS::TopicPolicy").values()
    assert policy["Properties"]["Topics"] == [{"Ref": topic_id}]
    (deny,) = policy["Properties"]["PolicyDocument"]["Statement"]
    assert deny["Effect"] == "Deny"
    assert deny["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}


def test_no_address_is_subscribed_unless_the_context_names_one(template: Template) -> None:
    template.resource_count_is("AWS::SNS::Subscription", 0)


def test_alarm_email_subscribes_the_address(tmp_path_factory: pytest.TempPathFactory) -> None:
    template = synthesize(tmp_path_factory.mktemp("cdk.out"), alarmEmail="oncall@example.com").template
    (subscription,) = template.find_resources("AWS::SNS::Subscription").values()
    assert subscription["Properties"]["Protocol"] == "email"
    assert subscription["Properties"]["Endpoint"] == "oncall@example.com"


def test_every_function_alarms_on_any_error_and_any_throttle(resources: dict[str, Any], alarms: dict[str, Any]) -> None:
    for function in FUNCTIONS:
        for kind, metric in (("Fault", "Errors"), ("Throttled", "Throttles")):
            alarm = alarms[f"{function.name}-{kind}-Count-Critical"]
            assert metrics_of(alarm) == [("AWS/Lambda", metric)]
            (dimension,) = alarm["Metrics"][0]["MetricStat"]["Metric"]["Dimensions"]
            assert dimension["Value"] == {"Ref": function_id(resources, function.module)}
            assert (alarm["Threshold"], alarm["ComparisonOperator"]) == (0, "GreaterThanThreshold")


@pytest.mark.parametrize("queue", ["CommandSteps-DLQ", "DomainEventsDeadLetters"])
def test_a_message_in_a_dead_letter_queue_raises_an_alarm(alarms: dict[str, Any], queue: str) -> None:
    alarm = alarms[f"{queue}-Queue-Message-Count-Max-Critical"]
    assert metrics_of(alarm) == [("AWS/SQS", "ApproximateNumberOfMessagesVisible")]
    assert (alarm["Threshold"], alarm["ComparisonOperator"]) == (0, "GreaterThanThreshold")


def test_command_executions_that_no_command_ends_with_raise_an_alarm(alarms: dict[str, Any]) -> None:
    """A command that fails is a normal outcome whose execution succeeds (its record says why)."""
    watched = {
        metric for name, alarm in alarms.items() if name.startswith("CommandWorkflows-") for metric in metrics_of(alarm)
    }
    assert watched == {
        ("AWS/States", "ExecutionsFailed"),
        ("AWS/States", "ExecutionsTimedOut"),
        ("AWS/States", "ExecutionsAborted"),
        ("AWS/States", "ExecutionThrottled"),
    }


def test_operator_api_server_errors_raise_an_alarm(alarms: dict[str, Any]) -> None:
    alarm = alarms["OperatorHttpApi-Fault-Count-Critical"]
    assert metrics_of(alarm) == [("AWS/ApiGateway", "5xx")]
    assert alarm["Threshold"] == 4


@pytest.mark.parametrize(
    ("alarm_name", "metric"),
    [
        ("OcppCalls-InternalErrors-Critical", metric_names.INTERNAL_ERRORS),
        ("Billing-BillingFailures-Critical", metric_names.BILLING_FAILURES),
        ("Security-CriticalSecurityEvents-Critical", metric_names.CRITICAL_SECURITY_EVENTS),
    ],
)
def test_the_csms_own_failures_raise_an_alarm(alarms: dict[str, Any], alarm_name: str, metric: str) -> None:
    alarm = alarms[alarm_name]
    assert metrics_of(alarm) == [("Csms", metric)]
    assert alarm["Metrics"][0]["MetricStat"]["Metric"]["Dimensions"] == [{"Name": "service", "Value": "csms"}]
    assert alarm["Metrics"][0]["MetricStat"]["Stat"] == "Sum"
    assert (alarm["Threshold"], alarm["ComparisonOperator"]) == (1, "GreaterThanOrEqualToThreshold")


def test_a_sudden_drop_in_connected_charge_points_raises_an_alarm(alarms: dict[str, Any]) -> None:
    alarm = alarms["ChargePoints-ConnectionDrop-Critical"]
    (expression,) = [m["Expression"] for m in alarm["Metrics"] if "Expression" in m]
    assert expression == "FILL(disconnects, 0) - FILL(connects, 0)"
    assert sorted(metrics_of(alarm)) == [("Csms", metric_names.CONNECTS), ("Csms", metric_names.DISCONNECTS)]
    assert (alarm["Threshold"], alarm["ComparisonOperator"]) == (10, "GreaterThanOrEqualToThreshold")


def test_the_drop_threshold_comes_from_the_context(tmp_path_factory: pytest.TempPathFactory) -> None:
    resources = synthesize(tmp_path_factory.mktemp("cdk.out"), connectionDropThreshold="100").template.to_json()[
        "Resources"
    ]
    (alarm,) = [
        r["Properties"]
        for r in of_type(resources, "AWS::CloudWatch::Alarm").values()
        if r["Properties"]["AlarmName"].endswith("ConnectionDrop-Critical")
    ]
    assert alarm["Threshold"] == 100


def test_the_dashboard_shows_what_the_issue_lists(dashboard: str) -> None:
    """Connections, calls per action and CALLERRORs, command outcomes, billing runs and invoices, Lambda
    errors, throttles and duration, API Gateway errors, failed executions, DLQ depths, DynamoDB throttles."""
    for shown in (
        metric_names.CONNECTS,
        metric_names.DISCONNECTS,
        "ConnectCount",
        'MetricName=\\\\\\"Calls\\\\\\"',
        'MetricName=\\\\\\"CallErrors\\\\\\"',
        'MetricName=\\\\\\"CommandOutcomes\\\\\\"',
        metric_names.BILLING_RUNS,
        metric_names.INVOICES_ISSUED,
        "Errors",
        "Throttles",
        "Duration",
        "5xx",
        "IntegrationError",
        "ExecutionsFailed",
        "ApproximateNumberOfMessagesVisible",
        "ReadThrottleEvents",
        "WriteThrottleEvents",
    ):
        assert shown in dashboard, shown
    for outcome in ("Accepted", "Rejected", "Failed", "TimedOut", "Offline"):
        assert f'outcome=\\\\\\"{outcome}\\\\\\"' in dashboard, outcome
