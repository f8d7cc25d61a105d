"""`$default` route: one OCPP-J frame in, its CALLRESULT or CALLERROR out."""

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from csms.handlers.message import handle_message
from csms.observability import log_invocation, metrics


@log_invocation
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return handle_message(event)
