"""EventBridge Scheduler (every `siteTickMinutes`): rebalances sites whose limit changes with time or whose
chargers are to be retried."""

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from csms.handlers.schedules import run_site_tick
from csms.observability import log_invocation, metrics


@log_invocation
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return run_site_tick()
