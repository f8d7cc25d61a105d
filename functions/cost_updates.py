"""EventBridge Scheduler (every `costUpdateIntervalMinutes`): OCPP 2.0.1 CostUpdated to running sessions."""

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from csms.handlers.schedules import send_cost_updates
from csms.observability import log_invocation, metrics


@log_invocation
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return send_cost_updates()
