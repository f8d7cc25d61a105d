"""CloudWatch alarms on the functions that serve charge points."""

from collections.abc import Mapping

from aws_cdk import Duration
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_lambda as lambda_
from constructs import Construct


class Monitoring(Construct):
    """One alarm per function: any error in five minutes (OCPP handlers answer CALLERROR, not raise)."""

    def __init__(self, scope: Construct, construct_id: str, *, functions: Mapping[str, lambda_.IFunction]) -> None:
        super().__init__(scope, construct_id)
        for name, function in functions.items():
            function.metric_errors(period=Duration.minutes(5)).create_alarm(
                self,
                f"{name}Errors",
                alarm_description=f"The {name} function raised errors",
                threshold=1,
                evaluation_periods=1,
                comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
                treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
            )
