"""An EventBridge Scheduler schedule that invokes one function at a fixed rate.

Its role may invoke that function only. A failed run is not retried: every scheduled function
here picks up what an earlier run left, a rate later.
"""

from aws_cdk import Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_scheduler as scheduler
from constructs import Construct


class RateSchedule(Construct):
    def __init__(
        self, scope: Construct, construct_id: str, *, function: lambda_.IFunction, rate_minutes: int, what: str
    ) -> None:
        """`what` names a run in descriptions ("a billing run")."""
        super().__init__(scope, construct_id)
        self.role = iam.Role(
            self,
            "Role",
            assumed_by=iam.ServicePrincipal(
                "scheduler.amazonaws.com",
                conditions={"StringEquals": {"aws:SourceAccount": Stack.of(self).account}},
            ),
            description=f"EventBridge Scheduler: invokes {what}",
        )
        # The function itself, not `grant_invoke`'s "<arn>:*" (any version or alias).
        invoke = iam.PolicyStatement(actions=["lambda:InvokeFunction"], resources=[function.function_arn])
        self.role.add_to_policy(invoke)
        unit = "minute" if rate_minutes == 1 else "minutes"
        self.schedule = scheduler.CfnSchedule(
            self,
            "Schedule",
            description=f"{what[0].upper()}{what[1:]} every {rate_minutes} {unit}",
            schedule_expression=f"rate({rate_minutes} {unit})",
            flexible_time_window=scheduler.CfnSchedule.FlexibleTimeWindowProperty(mode="OFF"),
            target=scheduler.CfnSchedule.TargetProperty(
                arn=function.function_arn,
                role_arn=self.role.role_arn,
                input='{"source": "schedule"}',
                retry_policy=scheduler.CfnSchedule.RetryPolicyProperty(maximum_retry_attempts=0),
            ),
        )
