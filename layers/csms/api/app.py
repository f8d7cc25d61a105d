"""The operator API resolver: the same app serves API Gateway HTTP API and the local runtime."""

import json
from http import HTTPStatus
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.middlewares import NextMiddleware

from csms.api import access, errors
from csms.api.conditional_get import conditional_get
from csms.api.resolver import OperatorApiResolver
from csms.domain.identity import InvalidPercentEncodingError, percent_decoded


def json_body(text: str) -> Any:
    """A request body read as JSON; what Python's parser gives up on other than by a decode error (a number of
    thousands of digits, nesting beyond its recursion limit) is a decode error too, which Powertools answers 422."""
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        raise
    except (ValueError, RecursionError) as error:
        raise json.JSONDecodeError(f"unreadable JSON: {type(error).__name__}", text, 0) from error


app = OperatorApiResolver(json_body_deserializer=json_body)


def decode_path_parameters(resolver: APIGatewayHttpResolver, next_middleware: NextMiddleware) -> Response:
    """Routes match the raw path, so `/api/chargers/CP%2001` would otherwise give "CP%2001".

    Decoded as a charge point decodes its id when it connects (`percent_decoded`): an encoding
    that refuses a connection is a 400 here.
    """
    arguments = resolver.context.get("_route_args", {})
    try:
        decoded = {
            name: percent_decoded(value) if isinstance(value, str) else value for name, value in arguments.items()
        }
    except InvalidPercentEncodingError:
        return errors.error_response(
            HTTPStatus.BAD_REQUEST, "Invalid percent-encoding in the path: '%' must start %XX of UTF-8"
        )
    resolver.append_context(_route_args=decoded)
    return next_middleware(resolver)


app.use(middlewares=[access.enforce_roles, conditional_get, decode_path_parameters])
# Every request may need these exception handlers; each resource's routes come with its first request.
app.include_router(errors.router)
app.include_router(access.router)
