"""Domain events: the EventBridge bus, and the function that fills it from DynamoDB streams.

Events are derived from the stream (new and old images) of each table whose changes they announce
(`TableSpec.stream`), so they are published after the reply to the charge point, at least once,
with no extra request on the OCPP hot path. A batch's failed records are retried on their own
(`report_batch_item_failures`); a record that keeps failing goes to the dead-letter queue.
"""

from collections.abc import Mapping

from aws_cdk import Duration, Stack
from aws_cdk import aws_events as events
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_lambda_event_sources as event_sources
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from csms import constants
from csms.function_catalogue import DOMAIN_EVENTS
from csms.tables import TABLES
from stacks.constructs.data import Data
from stacks.constructs.runtime import FunctionRuntime
from stacks.nag import acknowledge

STREAM_MAX_RECORD_AGE = Duration.days(1)


class DomainEvents(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        runtime: FunctionRuntime,
        data: Data,
        environment: Mapping[str, str],
    ) -> None:
        super().__init__(scope, construct_id)
        self.bus = events.EventBus(self, "Bus", event_bus_name=f"{Stack.of(self).stack_name}-events")
        self.dead_letters = sqs.Queue(
            self,
            "DeadLetters",
            encryption=sqs.QueueEncryption.SQS_MANAGED,
            enforce_ssl=True,
            retention_period=Duration.days(14),
        )
        acknowledge(
            self.dead_letters,
            "AwsSolutions-SQS3",
            "This queue is itself the dead-letter destination (the stream event source mapping's "
            "on-failure destination, holding the batch details of records that could not be published); "
            "it is not consumed by anything that could fail into another queue, and an alarm watches it.",
        )
        self.function: lambda_.Function = runtime.function(
            self,
            "Publisher",
            DOMAIN_EVENTS,
            environment={**environment, constants.ENV_EVENT_BUS_NAME: self.bus.event_bus_name},
        )
        # Only PutEvents, only on this bus (not `grant_put_events_to`, which is the same statement).
        self.function.add_to_role_policy(
            iam.PolicyStatement(actions=["events:PutEvents"], resources=[self.bus.event_bus_arn])
        )
        self.streamed = [spec for spec in TABLES if spec.stream]
        for spec in self.streamed:
            # Adds the stream read grant (DescribeStream, GetRecords, GetShardIterator on the
            # stream ARN, ListStreams) and the dead-letter queue's SendMessage.
            self.function.add_event_source(
                event_sources.DynamoEventSource(
                    data.tables[spec],
                    starting_position=lambda_.StartingPosition.LATEST,
                    batch_size=DOMAIN_EVENTS.trigger.batch_size,
                    report_batch_item_failures=True,
                    retry_attempts=DOMAIN_EVENTS.trigger.retry_attempts,
                    max_record_age=STREAM_MAX_RECORD_AGE,
                    bisect_batch_on_error=True,
                    on_failure=event_sources.SqsDlq(self.dead_letters),
                )
            )
