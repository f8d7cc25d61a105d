"""EventBridge Scheduler (every `billingRateMinutes`): invoices every completed session not invoiced yet."""

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from csms.handlers.schedules import run_billing
from csms.observability import log_invocation, metrics


@log_invocation
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return run_billing()
