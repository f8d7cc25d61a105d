"""Monitoring: one CloudWatch dashboard, and the alarms on-call must act on, all notifying one SNS topic.

cdk-monitoring-constructs builds the widgets and alarms of the AWS resources (the functions, the
queues, the state machine, the HTTP API) with one alarm action for all; the CSMS's own metrics
(`csms.metric_names`), the WebSocket API's and the tables' throttles are segments of the same
dashboard, built here.

What alarms, and why there:
- a function's errors (any, in 5 minutes): the OCPP handlers answer CALLERROR instead of raising
  and the schedules run every few minutes, so one raised error is a bug or AWS failing, and a
  rate would hide the rare failures of a schedule;
- a function's throttles (any): charge points or operators were refused;
- `InternalErrors` (any): a handler failed and the charge point got CALLERROR InternalError;
- a message in either dead-letter queue: a command step or a domain event given up;
- command executions failed, timed out, aborted or throttled: never part of a normal command. A
  command that fails (Offline, TimedOut, a CALLERROR) is a normal outcome: its workflow records why
  and succeeds, so a failed execution means the workflow broke (a step it could not complete);
- the operator API's 5xx answers (5 in 5 minutes);
- `BillingFailures` (any): a session could not be invoiced;
- `CriticalSecurityEvents` (any): a charger reported a critical security event (OCPP's list marks boots and
  firmware updates critical too) or the CSMS found one (repeated wrong passwords);
- a sudden drop in connected charge points: `connection_drop_threshold` more disconnects than
  connects within 5 minutes. CloudWatch has no gauge of open WebSocket connections; a charge point
  that reconnects (every 2 hours at least, API Gateway's limit) disconnects and connects within
  seconds, while an outage disconnects many and connects none.
Not alarmed: DynamoDB throttles (on the dashboard) reach on-call as the function errors or
InternalErrors they cause once the SDK's retries are spent.
"""

from collections.abc import Mapping

from aws_cdk import Duration, Stack
from aws_cdk import aws_apigatewayv2 as apigwv2
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions
from aws_cdk import aws_sqs as sqs
from aws_cdk import aws_stepfunctions as sfn
from cdk_monitoring_constructs import (
    AlarmFactoryDefaults,
    CustomMetricGroup,
    CustomMetricWithAlarm,
    CustomThreshold,
    DefaultDashboardFactory,
    ErrorCountThreshold,
    MaxMessageCountThreshold,
    MonitoringFacade,
    SnsAlarmActionStrategy,
)
from constructs import Construct

from csms import constants, metric_names
from csms.commands.models import CommandStatus
from csms.tables import TableSpec
from stacks.nag import acknowledge

# The final statuses of a command: what `CommandOutcomes` counts.
OUTCOMES = (
    CommandStatus.ACCEPTED,
    CommandStatus.REJECTED,
    CommandStatus.FAILED,
    CommandStatus.TIMED_OUT,
    CommandStatus.OFFLINE,
)
COMMAND_OUTCOME_DIMENSIONS = (metric_names.ACTION, metric_names.OUTCOME)
ALARM_PERIOD = Duration.minutes(5)
GRAPH_PERIOD = Duration.minutes(1)
# One alarm level: every alarm pages (the library names each by it).
CRITICAL = "Critical"
ANY = ErrorCountThreshold(max_error_count=0)  # alarms above 0
OPERATOR_API_5XX = ErrorCountThreshold(max_error_count=4)


class Monitoring(Construct):
    """`topic` receives every alarm (and its return to OK); `dashboard_url` opens the dashboard."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        functions: Mapping[str, lambda_.IFunction],
        websocket_api: apigwv2.IWebSocketApi,
        websocket_stage: str,
        http_api: apigwv2.IHttpApi,
        state_machine: sfn.IStateMachine,
        command_steps: sqs.IQueue,
        command_steps_dead_letters: sqs.IQueue,
        domain_events_dead_letters: sqs.IQueue,
        tables: Mapping[TableSpec, dynamodb.ITable],
        alarm_email: str | None,
        connection_drop_threshold: int,
    ) -> None:
        super().__init__(scope, construct_id)
        stack = Stack.of(self)
        self.topic = sns.Topic(self, "Alarms", display_name=f"{stack.stack_name} alarms", enforce_ssl=True)
        acknowledge(
            self.topic,
            "AwsSolutions-SNS2",
            "The topic carries alarm names and states only, no data; CloudWatch can publish to an "
            "encrypted topic only with a customer managed KMS key (USD 1 a month) whose policy lets it.",
        )
        if alarm_email:
            self.topic.add_subscription(subscriptions.EmailSubscription(alarm_email))
        notify = SnsAlarmActionStrategy(on_alarm_topic=self.topic, on_ok_topic=self.topic)
        self._facade = MonitoringFacade(
            self,
            "Facade",
            alarm_factory_defaults=AlarmFactoryDefaults(
                alarm_name_prefix=stack.stack_name, actions_enabled=True, action=notify, datapoints_to_alarm=1
            ),
            dashboard_factory=DefaultDashboardFactory(
                self,
                "Dashboards",
                dashboard_name_prefix=stack.stack_name,
                create_dashboard=True,
                create_summary_dashboard=False,
                create_alarm_dashboard=False,
            ),
        )
        self._charge_points(websocket_api, websocket_stage, connection_drop_threshold)
        self._calls()
        self._commands()
        self._billing()
        self._security()
        for name, function in functions.items():
            self._facade.monitor_lambda_function(
                lambda_function=function,
                human_readable_name=name,
                alarm_friendly_name=name,
                add_fault_count_alarm={CRITICAL: ANY},
                add_throttles_count_alarm={CRITICAL: ANY},
            )
        self._facade.monitor_api_gateway_v2_http_api(
            api=http_api,
            human_readable_name="Operator API",
            alarm_friendly_name="OperatorHttpApi",
            add5xx_count_alarm={CRITICAL: OPERATOR_API_5XX},
        )
        self._facade.monitor_step_function(
            state_machine=state_machine,
            human_readable_name="Command workflows",
            alarm_friendly_name="CommandWorkflows",
            add_failed_execution_count_alarm={CRITICAL: ANY},
            add_timed_out_execution_count_alarm={CRITICAL: ANY},
            add_aborted_execution_count_alarm={CRITICAL: ANY},
            add_throttled_execution_count_alarm={CRITICAL: ANY},
        )
        self._facade.monitor_sqs_queue_with_dlq(
            queue=command_steps,
            dead_letter_queue=command_steps_dead_letters,
            human_readable_name="Command steps",
            alarm_friendly_name="CommandSteps",
            add_dead_letter_queue_max_size_alarm={CRITICAL: MaxMessageCountThreshold(max_message_count=0)},
        )
        self._facade.monitor_sqs_queue(
            queue=domain_events_dead_letters,
            human_readable_name="Domain events dead letters",
            alarm_friendly_name="DomainEventsDeadLetters",
            add_queue_max_size_alarm={CRITICAL: MaxMessageCountThreshold(max_message_count=0)},
        )
        self._table_throttles(tables)
        dashboard = self._facade.created_dashboard()
        assert dashboard is not None  # create_dashboard=True
        self.dashboard_url = (
            f"https://console.aws.amazon.com/cloudwatch/home?region={stack.region}"
            f"#dashboards:name={dashboard.dashboard_name}"
        )

    def _charge_points(self, api: apigwv2.IWebSocketApi, stage: str, drop_threshold: int) -> None:
        connects = _count(metric_names.CONNECTS, "Connects", ALARM_PERIOD)
        disconnects = _count(metric_names.DISCONNECTS, "Disconnects", ALARM_PERIOD)
        drop = cloudwatch.MathExpression(
            expression="FILL(disconnects, 0) - FILL(connects, 0)",
            using_metrics={"disconnects": disconnects, "connects": connects},
            label="Disconnects less connects (5 minutes)",
            period=ALARM_PERIOD,
        )
        websocket = {"ApiId": api.api_id, "Stage": stage}
        self._facade.monitor_custom(
            human_readable_name="Charge points",
            alarm_friendly_name="ChargePoints",
            metric_groups=[
                CustomMetricGroup(
                    title="Connects and disconnects per minute",
                    metrics=[
                        _count(metric_names.CONNECTS, "Connects"),
                        _count(metric_names.DISCONNECTS, "Disconnects"),
                    ],
                ),
                CustomMetricGroup(
                    title="Connected charge points: net change in 5 minutes",
                    metrics=[
                        CustomMetricWithAlarm(
                            metric=drop,
                            alarm_friendly_name="ConnectionDrop",
                            add_alarm={
                                CRITICAL: CustomThreshold(
                                    threshold=drop_threshold,
                                    comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
                                    dedupe_string="ConnectionDrop",
                                    additional_description=(
                                        f"At least {drop_threshold} more charge points disconnected than "
                                        "connected within 5 minutes"
                                    ),
                                    treat_missing_data_override=cloudwatch.TreatMissingData.NOT_BREACHING,
                                )
                            },
                        )
                    ],
                ),
                CustomMetricGroup(
                    title="WebSocket API per minute",
                    metrics=[
                        _api_gateway(name, websocket)
                        for name in (
                            "ConnectCount",
                            "MessageCount",
                            "ClientError",
                            "IntegrationError",
                            "ExecutionError",
                        )
                    ],
                ),
            ],
        )

    def _calls(self) -> None:
        self._facade.monitor_custom(
            human_readable_name="OCPP calls from charge points",
            alarm_friendly_name="OcppCalls",
            metric_groups=[
                CustomMetricGroup(title="Calls per action per minute", metrics=[_per_action(metric_names.CALLS)]),
                CustomMetricGroup(
                    title="CALLERRORs per action per minute", metrics=[_per_action(metric_names.CALL_ERRORS)]
                ),
                CustomMetricGroup(
                    title="Handler failures (CALLERROR InternalError) and answers not recorded",
                    metrics=[
                        CustomMetricWithAlarm(
                            metric=_count(metric_names.INTERNAL_ERRORS, "InternalError", ALARM_PERIOD),
                            alarm_friendly_name="InternalErrors",
                            add_alarm={CRITICAL: _any("A handler failed: charge points got CALLERROR InternalError")},
                        ),
                        _count(metric_names.ANSWERS_FAILED, "Answers not recorded", ALARM_PERIOD),
                    ],
                ),
            ],
        )

    def _commands(self) -> None:
        self._facade.monitor_custom(
            human_readable_name="Remote commands",
            alarm_friendly_name="Commands",
            metric_groups=[
                CustomMetricGroup(
                    title="Command outcomes per minute",
                    metrics=[
                        cloudwatch.MathExpression(
                            expression=f"SUM({_outcome_search(outcome)})", label=outcome.value, period=GRAPH_PERIOD
                        )
                        for outcome in OUTCOMES
                    ],
                ),
                CustomMetricGroup(
                    title="Command outcomes per action per minute",
                    metrics=[_per_action(metric_names.COMMAND_OUTCOMES, COMMAND_OUTCOME_DIMENSIONS)],
                ),
            ],
        )

    def _billing(self) -> None:
        self._facade.monitor_custom(
            human_readable_name="Billing",
            alarm_friendly_name="Billing",
            metric_groups=[
                CustomMetricGroup(
                    title="Billing runs and invoices issued",
                    metrics=[
                        _count(metric_names.BILLING_RUNS, "Billing runs", ALARM_PERIOD),
                        _count(metric_names.INVOICES_ISSUED, "Invoices issued", ALARM_PERIOD),
                    ],
                ),
                CustomMetricGroup(
                    title="Sessions that failed",
                    metrics=[
                        CustomMetricWithAlarm(
                            metric=_count(metric_names.BILLING_FAILURES, "Billing failures", ALARM_PERIOD),
                            alarm_friendly_name="BillingFailures",
                            add_alarm={CRITICAL: _any("Sessions could not be invoiced (see the run's log)")},
                        ),
                        _count(metric_names.COST_UPDATE_FAILURES, "Cost update failures", ALARM_PERIOD),
                    ],
                ),
            ],
        )

    def _security(self) -> None:
        self._facade.monitor_custom(
            human_readable_name="Security",
            alarm_friendly_name="Security",
            metric_groups=[
                CustomMetricGroup(
                    title="Critical security events",
                    metrics=[
                        CustomMetricWithAlarm(
                            metric=_count(
                                metric_names.CRITICAL_SECURITY_EVENTS, "Critical security events", ALARM_PERIOD
                            ),
                            alarm_friendly_name="CriticalSecurityEvents",
                            add_alarm={
                                CRITICAL: _any(
                                    "A critical security event (SecurityEventRaised; GET /api/security-events)"
                                )
                            },
                        )
                    ],
                )
            ],
        )

    def _table_throttles(self, tables: Mapping[TableSpec, dynamodb.ITable]) -> None:
        self._facade.monitor_custom(
            human_readable_name="DynamoDB",
            alarm_friendly_name="DynamoDb",
            metric_groups=[
                CustomMetricGroup(
                    title="Throttled requests per table (read and write events)",
                    metrics=[_table_throttles(spec, table) for spec, table in tables.items()],
                )
            ],
        )


def _count(name: str, label: str, period: Duration = GRAPH_PERIOD) -> cloudwatch.Metric:
    """One of the CSMS's metrics without dimensions of its own (`service` only), summed."""
    return cloudwatch.Metric(
        namespace=constants.METRICS_NAMESPACE,
        metric_name=name,
        dimensions_map={"service": constants.POWERTOOLS_SERVICE_NAME},
        statistic=cloudwatch.Stats.SUM,
        period=period,
        label=label,
    )


def _search(dimensions: tuple[str, ...], name: str, condition: str = "") -> str:
    """SEARCH for the sums per minute of `name` with exactly these dimensions (and `service`)."""
    schema = ",".join([constants.METRICS_NAMESPACE, *dimensions, "service"])
    terms = " ".join([f'MetricName="{name}"', condition]).strip()
    return f"SEARCH('{{{schema}}} {terms}', 'Sum', {int(GRAPH_PERIOD.to_seconds())})"


def _outcome_search(outcome: CommandStatus) -> str:
    condition = f'{metric_names.OUTCOME}="{outcome.value}"'
    return _search(COMMAND_OUTCOME_DIMENSIONS, metric_names.COMMAND_OUTCOMES, condition)


def _per_action(name: str, dimensions: tuple[str, ...] = (metric_names.ACTION,)) -> cloudwatch.MathExpression:
    """One line per action (and per value of the other `dimensions`) of `name`, whatever occurs."""
    return cloudwatch.MathExpression(expression=_search(dimensions, name), label="", period=GRAPH_PERIOD)


def _api_gateway(name: str, dimensions: Mapping[str, str]) -> cloudwatch.Metric:
    return cloudwatch.Metric(
        namespace="AWS/ApiGateway",
        metric_name=name,
        dimensions_map=dict(dimensions),
        statistic=cloudwatch.Stats.SUM,
        period=GRAPH_PERIOD,
        label=name,
    )


def _table_throttles(spec: TableSpec, table: dynamodb.ITable) -> cloudwatch.MathExpression:
    """Read and write throttle events of one table (metric ids unique within the graph)."""
    reads, writes = f"reads{spec.logical_name}", f"writes{spec.logical_name}"
    return cloudwatch.MathExpression(
        expression=f"FILL({reads}, 0) + FILL({writes}, 0)",
        using_metrics={
            reads: _table_metric(table, "ReadThrottleEvents"),
            writes: _table_metric(table, "WriteThrottleEvents"),
        },
        label=spec.logical_name,
        period=ALARM_PERIOD,
    )


def _table_metric(table: dynamodb.ITable, name: str) -> cloudwatch.Metric:
    return cloudwatch.Metric(
        namespace="AWS/DynamoDB",
        metric_name=name,
        dimensions_map={"TableName": table.table_name},
        statistic=cloudwatch.Stats.SUM,
        period=ALARM_PERIOD,
    )


def _any(description: str) -> CustomThreshold:
    """An alarm on one or more in the alarm period."""
    return CustomThreshold(
        threshold=1,
        comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        additional_description=description,
        treat_missing_data_override=cloudwatch.TreatMissingData.NOT_BREACHING,
    )
