"""`$connect` REQUEST authorizer: identifies and authenticates the charge point."""

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from csms.handlers.connection import authorize_connection
from csms.observability import log_invocation, metrics


@log_invocation
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return authorize_connection(event)
