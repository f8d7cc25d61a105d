"""Billing: the billing run function and the EventBridge Scheduler schedule that starts it.

The function reads the billing queue (the transactions table's sparse index) and issues
invoices: it may read and update transactions, put invoices and add to the billed totals (items of
the idempotency table), nothing else.
"""

from collections.abc import Mapping

from aws_cdk import aws_iam as iam
from constructs import Construct

from csms.function_catalogue import BILLING_RUN
from csms.tables import BILLING_QUEUE_INDEX, IDEMPOTENCY, INVOICES, TRANSACTIONS
from stacks.constructs.data import Data
from stacks.constructs.rate_schedule import RateSchedule
from stacks.constructs.runtime import FunctionRuntime


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
        self.function = runtime.function(self, "Run", BILLING_RUN, environment=environment)
        data.grant_query_index(self.function, TRANSACTIONS, BILLING_QUEUE_INDEX)
        # TransactWriteItems is authorized per item: PutItem on the invoice, UpdateItem on the transaction
        # and on the billed totals of its day and month.
        iam.Grant.add_to_principal(
            grantee=self.function,
            actions=["dynamodb:UpdateItem"],
            resource_arns=[data.tables[TRANSACTIONS].table_arn, data.tables[IDEMPOTENCY].table_arn],
        )
        iam.Grant.add_to_principal(
            grantee=self.function,
            actions=["dynamodb:PutItem", "dynamodb:ConditionCheckItem"],
            resource_arns=[data.tables[INVOICES].table_arn],
        )

        # A failed run is simply retried by the next one: the queue keeps what was not invoiced.
        RateSchedule(self, "Schedule", function=self.function, rate_minutes=rate_minutes, what=BILLING_RUN.trigger.what)
