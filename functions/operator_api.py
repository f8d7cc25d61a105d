"""Operator HTTP API (API Gateway HTTP API payload v2, Powertools event handler)."""

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from csms.handlers.operator_api import handle_request
from csms.observability import log_invocation, metrics


@log_invocation
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return handle_request(event, context)
