"""Billing: the billing run function and the EventBridge Scheduler schedule that starts it.

The function reads the billing queue (the transactions table's sparse index) and issues
invoices: it may read and update transactions and put invoices, nothing else. The schedule's
role may invoke this one function only.
"""

from collections.abc import Mapping

from aws_cdk import Duration, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_scheduler as scheduler
from constructs import Construct

from csms.tables import BILLING_QUEUE_INDEX, INVOICES, TRANSACTIONS
from stacks.constructs.data import Data
from stacks.constructs.runtime import FunctionRuntime

BILLING_TIMEOUT = Duration.minutes(5)


class Billing(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        runtime: FunctionRuntime,
        data: Data,
        environment: Mapping[str, str],
        rate_minutes: int,
    ) -> None:
        super().__init__(scope, construct_id)
        self.function = runtime.function(
            self,
            "Run",
            module="billing_run",
            description="Scheduled billing run: invoices completed sessions exactly once",
            environment=environment,
            timeout=BILLING_TIMEOUT,
        )
        transactions = data.tables[TRANSACTIONS]
        iam.Grant.add_to_principal(
            grantee=self.function,
            actions=["dynamodb:Query"],
            resource_arns=[f"{transactions.table_arn}/index/{BILLING_QUEUE_INDEX}"],
        )
        # TransactWriteItems is authorized per item: PutItem on the invoice, UpdateItem on the transaction.
        iam.Grant.add_to_principal(
            grantee=self.function, actions=["dynamodb:UpdateItem"], resource_arns=[transactions.table_arn]
        )
        iam.Grant.add_to_principal(
            grantee=self.function,
            actions=["dynamodb:PutItem", "dynamodb:ConditionCheckItem"],
            resource_arns=[data.tables[INVOICES].table_arn],
        )

        self.schedule_role = iam.Role(
            self,
            "ScheduleRole",
            assumed_by=iam.ServicePrincipal(
                "scheduler.amazonaws.com",
                conditions={"StringEquals": {"aws:SourceAccount": Stack.of(self).account}},
            ),
            description="EventBridge Scheduler: invokes the billing run",
        )
        # The function itself, not `grant_invoke`'s "<arn>:*" (any version or alias).
        self.schedule_role.add_to_policy(
            iam.PolicyStatement(actions=["lambda:InvokeFunction"], resources=[self.function.function_arn])
        )
        unit = "minute" if rate_minutes == 1 else "minutes"
        self.schedule = scheduler.CfnSchedule(
            self,
            "Schedule",
            description=f"A billing run every {rate_minutes} {unit}",
            schedule_expression=f"rate({rate_minutes} {unit})",
            flexible_time_window=scheduler.CfnSchedule.FlexibleTimeWindowProperty(mode="OFF"),
            target=scheduler.CfnSchedule.TargetProperty(
                arn=self.function.function_arn,
                role_arn=self.schedule_role.role_arn,
                input='{"source": "schedule"}',
                # A failed run is simply retried by the next one: the queue keeps what was not invoiced.
                retry_policy=scheduler.CfnSchedule.RetryPolicyProperty(maximum_retry_attempts=0),
            ),
        )
