"""The one error shape of the operator API, `{"statusCode", "message", "reasons"?}`, and its documentation.

Powertools already answers its own errors (404 for an unknown route, `NotFoundError`,
`BadRequestError`, ...) as `{"statusCode", "message"}`; the handlers here bring request
validation, bad page tokens and requests the domain refuses into the same shape.
"""

from http import HTTPStatus
from typing import Any, NotRequired

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError
from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse
from typing_extensions import TypedDict  # pydantic documents typing's TypedDict only from Python 3.12

from csms.commands.errors import InvalidCommandError
from csms.domain.pagination import InvalidPageTokenError
from csms.domain.violations import InvalidValuesError, RuleViolationError

router = Router()


# A typed dict rather than an `ApiModel`: any request may be answered an error, and pydantic comes with the
# first route that validates (`csms.api.resolver`), not with the resolver.
class Error(TypedDict):
    """Every error the API answers: its HTTP status, a message and, for an invalid request, each reason."""

    statusCode: int
    message: str
    reasons: NotRequired[list[str]]


def error_response(status: HTTPStatus, message: str, reasons: list[str] | None = None) -> Response[dict[str, Any]]:
    body: Error = {"statusCode": status.value, "message": message}
    if reasons is not None:
        body["reasons"] = reasons
    return Response(status_code=status.value, content_type=content_types.APPLICATION_JSON, body=dict(body))


def responses(*errors: HTTPStatus, success: HTTPStatus = HTTPStatus.OK) -> dict[int, OpenAPIResponse]:
    """A route's documented responses: `success` (with the route's return schema) and `errors`.

    Every route validates its request, so every route can also answer 422.
    """
    documented: dict[int, OpenAPIResponse] = {
        success.value: {"description": success.phrase}
        if success is not HTTPStatus.NO_CONTENT
        else {"description": success.phrase, "content": {}}
    }
    for status in (*errors, HTTPStatus.UNPROCESSABLE_ENTITY):
        documented[status.value] = error_documentation(status)
    return documented


def error_documentation(status: HTTPStatus, description: str | None = None) -> OpenAPIResponse:
    """An error response as the document shows it: the `Error` schema."""
    return {
        "description": description or status.phrase,
        "content": {content_types.APPLICATION_JSON: {"model": Error}},
    }


def invalid_request(error: RequestValidationError) -> Response[dict[str, Any]]:
    """422 with one reason per violation: where (`body.password`, `query.limit`) and what.

    Answered through `csms.api.access`, which first makes sure the caller may make the request.
    """
    reasons = [f"{'.'.join(str(part) for part in detail['loc'])}: {detail['msg']}" for detail in error.errors()]
    return error_response(HTTPStatus.UNPROCESSABLE_ENTITY, "Invalid request", reasons)


@router.exception_handler(InvalidPageTokenError)
def invalid_page_token(error: InvalidPageTokenError) -> Response[dict[str, Any]]:
    return error_response(HTTPStatus.BAD_REQUEST, "Invalid nextToken: pass one a previous page returned")


@router.exception_handler(InvalidValuesError)
def invalid_values(error: InvalidValuesError) -> Response[dict[str, Any]]:
    """422 with every reason, as a request that fails validation (a limit below the minimum current, ...)."""
    return error_response(HTTPStatus.UNPROCESSABLE_ENTITY, "Invalid request", error.reasons)


@router.exception_handler(InvalidCommandError)
def invalid_command(error: InvalidCommandError) -> Response[dict[str, Any]]:
    """422 with every reason (each schema violation, for example); any route that submits commands may raise it."""
    return error_response(HTTPStatus.UNPROCESSABLE_ENTITY, "Invalid command", error.reasons)


@router.exception_handler(RuleViolationError)
def rule_violated(error: RuleViolationError) -> Response[dict[str, Any]]:
    """400 with the rule the request breaks (an id too long, a tariff that does not exist, ...)."""
    return error_response(HTTPStatus.BAD_REQUEST, str(error))
