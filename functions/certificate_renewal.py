"""EventBridge Scheduler (every `certificateRenewalRateMinutes`): asks chargers to renew certificates expiring soon."""

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from csms.handlers.schedules import renew_certificates
from csms.observability import log_invocation, metrics


@log_invocation
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return renew_certificates()
