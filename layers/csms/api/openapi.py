"""The OpenAPI document, generated from the routes, and Swagger UI to try the API in a browser.

Every operation names its resource (`Tag`), a summary, a description and a stable camelCase
operationId (`tests/api/test_openapi_document.py` holds them), and every request body examples.

The document and Swagger UI are public by design: they describe the API of an open-source project
and hold no data (the page embeds the document anyway). What Swagger UI then calls needs a token
as any client does: its "Authorize" takes one and keeps it (`persistAuthorization`), and a link to
`/api/docs#token=...` (the console's) fills it in, so a signed-in user can try the API at once. The
fragment never reaches a server; the page drops it from the address once read.
"""

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response, content_types
from aws_lambda_powertools.event_handler.middlewares import NextMiddleware

from csms.constants import API_DOCS_PATH, API_OPENAPI_PATH

if TYPE_CHECKING:
    from aws_lambda_powertools.event_handler.openapi.params import Body

BEARER = "bearer"
# An operation that needs no token (its own `security` replaces the document's).
OPEN: dict[str, object] = {"security": []}


class Tag(StrEnum):
    """The resources of the API, as the document groups its operations."""

    HEALTH = "Health"
    ACCOUNT = "Account"
    OVERVIEW = "Overview"
    CHARGERS = "Chargers"
    NOTIFICATIONS = "Notifications"
    COMMANDS = "Commands"
    ID_TOKENS = "Id tokens"
    TRANSACTIONS = "Transactions"
    RESERVATIONS = "Reservations"
    TARIFFS = "Tariffs"
    SITES = "Sites"
    BILLING = "Billing"
    USERS = "Users"
    SECURITY = "Security"
    CERTIFICATES = "Certificates"
    CAMPAIGNS = "Campaigns"
    FILES = "Files"
    FIRMWARE = "Firmware"


TAG_DESCRIPTIONS: dict[Tag, str] = {
    Tag.HEALTH: "Liveness, for load balancers and uptime probes; the one operation that needs no token.",
    Tag.ACCOUNT: "Who the token is for and which role it has (viewers, operators, admins).",
    Tag.OVERVIEW: "The network at a glance: charger counts, active sessions, energy and revenue of today and "
    "this month (UTC), the latest faults and security events.",
    Tag.CHARGERS: "Charge points (OCPP 1.6J and 2.0.1): registering them with their HTTP Basic password, their "
    "state, connectors, reported configuration, local list, the charging profiles they hold and their composite "
    "schedule.",
    Tag.NOTIFICATIONS: "What charge points notified, kept as sent: faults (StatusNotification), security events, "
    "firmware, diagnostics and log status, NotifyEvent, reports, and more, each with a severity and a summary.",
    Tag.COMMANDS: "Remote commands: any action the charger's OCPP version defines, validated against its official "
    "schema, or a version-independent shortcut (start, stop, reset, unlock, availability, local list). Each "
    "answers 202 with a command id; GET /api/commands/{commandId} follows it to its final status.",
    Tag.ID_TOKENS: "The tokens (RFID cards, app ids) that may charge, their status, expiry, group and tariff.",
    Tag.TRANSACTIONS: "Charging sessions of both OCPP versions in one model, newest first, each with its meter "
    "values as sent, its energy (Wh, a decimal string) and why billing could not price it, if so.",
    Tag.RESERVATIONS: "Connectors and EVSEs held for an id token (ReserveNow) and what became of each.",
    Tag.TARIFFS: "What charging costs. A session is priced by the tariff of its id token, else of the token's "
    "group, else of the charger, else the tariff `default`, and keeps a copy of it: changing a tariff never "
    "changes a session already started. Prices are decimal strings in the tariff's currency: per kWh, per "
    "minute of charging, per session, per idle minute after a grace period, bounded by a minimum and maximum "
    "net price, plus a tax rate. Amounts are exact; the net and the total are rounded once, half up, to the "
    "currency's minor unit.",
    Tag.BILLING: "Invoicing completed sessions exactly once: a billing run (on a schedule, or on demand) prices "
    "each session with its tariff copy and issues its invoice in one atomic write that also takes it out of "
    "the billing queue, so concurrent or repeated runs neither bill a session twice nor lose one. Every amount "
    "(net, tax, total, line amounts) and energy is a decimal string; `net` + `tax` = `total`. Invoices are "
    "listed, read one by one, or exported as CSV.",
    Tag.SITES: "Grid connections that chargers share (load balancing): the current the connection may carry per "
    "phase, its phases and voltage, the minimum current below which a vehicle is paused rather than starved, lower "
    "limits by time of day in the site's time zone, and a live limit set from outside (a building energy manager, a "
    "grid operator's signal) that overrides them until it expires. A charger joins a site with `PUT "
    "/api/chargers/{id}` (`siteId`, `maxCurrentAmps`, `phases`). Currents and voltages are JSON numbers: they are "
    "neither money nor energy.",
    Tag.USERS: "The people who may sign in (the Cognito user pool) and their role group. Admins only.",
    Tag.SECURITY: "Security events: what chargers reported (SecurityEventNotification) and the CSMS's own findings "
    "(repeated wrong passwords, ...); the certificates chargers trust; their password rotation.",
    Tag.CERTIFICATES: "The CSMS's own certificate authority (its key in AWS KMS): its root certificate, and the "
    "certificates it signed for chargers (SignCertificate), with their status; revoking one.",
    Tag.CAMPAIGNS: "Fleet campaigns: one configuration change or command rolled out to the chargers a target "
    "chooses, a canary first, then batches, each charger through the command workflow; halting itself when too many "
    "fail; paused, resumed and cancelled by operators.",
    Tag.FILES: "Short file links: what chargers are given to upload a log or download firmware when a presigned S3 "
    "URL is too long for the OCPP field (512 characters); the random token in the path is the capability, no API "
    "token is needed.",
    Tag.FIRMWARE: "Firmware images: registered for one vendor and model with the version they install (and, for "
    "secure updates, their signing certificate and signature), uploaded to the URL the registration answers, and "
    "rolled out by firmware campaigns.",
}


def body_examples(**examples: tuple[str, Any]) -> "Body":
    """A request body (`Annotated[Model, body_examples(...)]`) documented with examples, `name=(summary, value)`."""
    # Powertools' OpenAPI models and parameters need pydantic: imported with the first routes that need them,
    # not with the resolver (`csms.api.resolver`).
    from aws_lambda_powertools.event_handler.openapi.models import Example  # noqa: PLC0415
    from aws_lambda_powertools.event_handler.openapi.params import Body  # noqa: PLC0415

    return Body(
        openapi_examples={name: Example(summary=summary, value=value) for name, (summary, value) in examples.items()}
    )


# `/api/docs#token=...` fills in "Authorize". The token is taken from the fragment, which no server
# sees, and dropped from the address (and the history) before Swagger UI starts: its deep linking
# reads the fragment as a place in the page and would write it back. It is handed to Swagger UI once
# the page has loaded (`ui` is Swagger UI, made by the page's last script), which keeps it as its
# "Authorize" does (`persistAuthorization`: in the browser's local storage).
_PREFILL_TOKEN_SCRIPT = """<script>
(function () {
  var token = new URLSearchParams(window.location.hash.slice(1)).get("token");
  if (!token) { return; }
  window.history.replaceState(null, "", window.location.pathname + window.location.search);
  window.addEventListener("load", function () {
    ui.preauthorizeApiKey("SCHEME", token);
    ui.authActions.persistAuthorizationIfNeeded();  // kept for the next visit, as "Authorize" keeps it
  });
})();
</script>
""".replace("SCHEME", BEARER)


def enable_docs(app: APIGatewayHttpResolver) -> None:
    """Serve the document at `API_OPENAPI_PATH` and Swagger UI at `API_DOCS_PATH`."""
    from aws_lambda_powertools.event_handler.openapi.models import HTTPBearer  # noqa: PLC0415
    from aws_lambda_powertools.event_handler.openapi.models import Tag as OpenApiTag  # noqa: PLC0415

    app.configure_openapi(
        title="CSMS operator API",
        version="1",
        description=(
            "Charge points, their notifications and commands, id tokens, sessions, reservations, tariffs and "
            "billing of the CSMS, an OCPP 1.6J and 2.0.1 charging station management system. Every error is "
            "`{statusCode, message, reasons?}`; lists are paged with `limit` and `nextToken`; money and energy "
            'are JSON strings holding decimal numbers ("11.50", "1000.5"), counts and ids are numbers.'
        ),
        tags=[OpenApiTag(name=tag.value, description=TAG_DESCRIPTIONS[tag]) for tag in Tag],
        security_schemes={
            BEARER: HTTPBearer(
                description="A Cognito access token (on AWS: the console's sign-in, or the machine-to-machine "
                "client's with scope csms/operator), or a token of `csms local`"
            )
        },
        security=[{BEARER: []}],
    )
    app.enable_swagger(path=API_DOCS_PATH, persist_authorization=True, middlewares=[_prefill_token])

    @app.get(API_OPENAPI_PATH, include_in_schema=False)
    def openapi_document() -> Response[str]:
        return Response(200, content_types.APPLICATION_JSON, app.get_openapi_json_schema())


def _prefill_token(app: APIGatewayHttpResolver, next_middleware: NextMiddleware) -> Response[str]:
    """Swagger UI's page, with the script that takes a token from the address into "Authorize"."""
    response: Response[str] = next_middleware(app)
    if isinstance(response.body, str) and "SwaggerUIBundle(" in response.body:
        # First in the body, before Swagger UI's scripts (the bundle inlined after it holds "<body>" too).
        head, body, rest = response.body.partition("<body>")
        response.body = f"{head}{body}\n{_PREFILL_TOKEN_SCRIPT}{rest}"
    return response
