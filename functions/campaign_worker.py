"""Campaign steps queue (SQS, batch size 1): performs one step (a round) of a campaign's workflow."""

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from csms.handlers.campaign_worker import perform_steps
from csms.observability import log_invocation, metrics


@log_invocation
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> None:
    perform_steps(event)
