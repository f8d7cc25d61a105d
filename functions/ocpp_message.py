"""`$default` route: one OCPP-J frame in, its CALLRESULT or CALLERROR out."""

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from csms.handlers.message import handle_message
from csms.observability import logger, metrics


@logger.inject_lambda_context(clear_state=True)
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return handle_message(event)
