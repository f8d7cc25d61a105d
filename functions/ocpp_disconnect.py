"""`$disconnect` route: forgets the connection if it is still the charge point's current one."""

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from csms.handlers.connection import close_connection
from csms.observability import log_invocation, metrics


@log_invocation
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return close_connection(event)
