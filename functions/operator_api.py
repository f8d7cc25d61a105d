"""Operator HTTP API (API Gateway HTTP API payload v2, Powertools event handler)."""

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from csms.api.app import app
from csms.observability import logger


@logger.inject_lambda_context(clear_state=True)
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
