"""Operator API requests (API Gateway HTTP API, payload 2.0), routed by the Powertools resolver of `csms.api`."""

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from csms.api.app import app
from csms.initialization import initialized_ahead_of_requests

if initialized_ahead_of_requests():
    app.prepare_every_route()


def handle_request(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
