"""DynamoDB streams -> EventBridge: the domain events integrations subscribe to."""

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from csms.handlers.domain_events import publish_changes
from csms.observability import log_invocation, metrics


@log_invocation
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return publish_changes(event)
