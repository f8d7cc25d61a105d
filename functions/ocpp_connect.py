"""`$connect` route: binds the connection to its charge point and answers the subprotocol."""

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from csms.handlers.connection import open_connection
from csms.observability import log_invocation, metrics


@log_invocation
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return open_connection(event)
