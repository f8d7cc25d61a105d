"""The OpenAPI document, generated from the routes, and Swagger UI to try the API in a browser."""

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response, content_types
from aws_lambda_powertools.event_handler.openapi.models import HTTPBearer

OPENAPI_PATH = "/api/openapi.json"
DOCS_PATH = "/api/docs"
BEARER = "bearer"


def enable_docs(app: APIGatewayHttpResolver) -> None:
    """Serve the document at `OPENAPI_PATH` and Swagger UI at `DOCS_PATH` (both behind authorization)."""
    app.configure_openapi(
        title="CSMS operator API",
        version="1",
        description=(
            "Charge points, id tokens, transactions, reservations and commands of the CSMS. "
            "Every error is `{statusCode, message, reasons?}`; lists are paged with `limit` and `nextToken`."
        ),
        security_schemes={
            BEARER: HTTPBearer(
                description="A Cognito access token with scope csms/operator (on AWS), or the local runtime's token"
            )
        },
        security=[{BEARER: []}],
    )
    app.enable_swagger(path=DOCS_PATH, persist_authorization=True)

    @app.get(OPENAPI_PATH, include_in_schema=False)
    def openapi_document() -> Response[str]:
        return Response(200, content_types.APPLICATION_JSON, app.get_openapi_json_schema())
