"""Every Lambda function of the CSMS, once: its name, handler, trigger, timeout, memory and SnapStart.

The CDK stack creates each function from its entry and attaches the trigger its construct owns;
the embedded runtime (`csms local`) imports the same handler and invokes it the way that trigger
would. An infrastructure test holds the synthesized template to this catalogue, both ways.
"""

from dataclasses import dataclass
from typing import Generic, TypeVar

from csms import constants

# The function code is this package folder; Lambda names a handler relative to it.
FUNCTIONS_PACKAGE = "functions"


@dataclass(frozen=True)
class WebSocketAuthorizer:
    """The REQUEST authorizer of the WebSocket API's `$connect` route."""


@dataclass(frozen=True)
class WebSocketRoute:
    """A route of the WebSocket API."""

    route_key: str


@dataclass(frozen=True)
class HttpApi:
    """Every route of the operator HTTP API (payload format 2.0)."""


@dataclass(frozen=True)
class SqsQueue:
    """An SQS event source mapping on the queue whose URL the function's environment variable
    `url_setting` holds."""

    url_setting: str
    batch_size: int


@dataclass(frozen=True)
class TableStreams:
    """One DynamoDB stream event source mapping per table whose spec asks for a stream
    (`TableSpec.stream`), reporting batch item failures."""

    batch_size: int
    retry_attempts: int


@dataclass(frozen=True)
class Schedule:
    """An EventBridge Scheduler schedule at the rate the CDK context key `rate_setting` gives."""

    rate_setting: str
    what: str  # a run, as descriptions name it ("a billing run")


Trigger = WebSocketAuthorizer | WebSocketRoute | HttpApi | SqsQueue | TableStreams | Schedule
TriggerT_co = TypeVar("TriggerT_co", bound=Trigger, covariant=True)


@dataclass(frozen=True)
class LambdaFunction(Generic[TriggerT_co]):
    name: str  # as the stack names its alarms ("Message": MessageErrors)
    module: str  # functions/<module>.py, whose `handler` Lambda invokes
    description: str
    trigger: TriggerT_co
    timeout_seconds: int = 10
    memory_mb: int = 512
    # A charge point or an operator waits on its cold start: SnapStart pays here, when the stack turns it on.
    snap_start: bool = False

    @property
    def handler(self) -> str:
        """The handler as Lambda names it, relative to the function code (`functions/`)."""
        return f"{self.module}.handler"

    @property
    def import_path(self) -> str:
        return f"{FUNCTIONS_PACKAGE}.{self.module}"


OCPP_AUTHORIZER = LambdaFunction(
    "Authorizer",
    "ocpp_authorizer",
    "$connect REQUEST authorizer: identifies and authenticates the charge point",
    WebSocketAuthorizer(),
    snap_start=True,
)
OCPP_CONNECT = LambdaFunction(
    "Connect",
    "ocpp_connect",
    "$connect: records the connection and negotiates the OCPP subprotocol",
    WebSocketRoute("$connect"),
    snap_start=True,
)
OCPP_DISCONNECT = LambdaFunction(
    "Disconnect", "ocpp_disconnect", "$disconnect: removes the connection record", WebSocketRoute("$disconnect")
)
OCPP_MESSAGE = LambdaFunction(
    "Message", "ocpp_message", "$default: handles every OCPP-J frame", WebSocketRoute("$default"), snap_start=True
)
OPERATOR_API = LambdaFunction(
    "OperatorApi",
    "operator_api",
    "Operator REST API (HTTP API, payload v2)",
    HttpApi(),
    timeout_seconds=29,
    snap_start=True,
)
COMMAND_WORKER = LambdaFunction(
    "CommandWorker",
    "command_worker",
    "Performs the steps of command workflows (lock, send the CALL, record, follow up)",
    SqsQueue(constants.ENV_COMMAND_STEPS_QUEUE_URL, batch_size=1),
    timeout_seconds=30,
)
REBALANCE_WORKER = LambdaFunction(
    "RebalanceWorker",
    "rebalance_worker",
    "Performs the steps of site rebalances (allocate, send TxProfiles in safe stages, settle their answers)",
    SqsQueue(constants.ENV_REBALANCE_STEPS_QUEUE_URL, batch_size=1),
    timeout_seconds=60,
)
CAMPAIGN_WORKER = LambdaFunction(
    "CampaignWorker",
    "campaign_worker",
    "Performs the rounds of campaigns (settle a batch's chargers, halt, start the next ones through commands)",
    SqsQueue(constants.ENV_CAMPAIGN_STEPS_QUEUE_URL, batch_size=1),
    # A round may start a whole batch (up to 1,000 chargers, each a command submitted).
    timeout_seconds=300,
)
DOMAIN_EVENTS = LambdaFunction(
    "DomainEvents",
    "domain_events",
    "Publishes domain events (DynamoDB stream changes) on the EventBridge bus",
    TableStreams(batch_size=100, retry_attempts=10),
    timeout_seconds=60,
)
BILLING_RUN = LambdaFunction(
    "BillingRun",
    "billing_run",
    "Scheduled billing run: invoices completed sessions exactly once",
    Schedule("billingRateMinutes", "a billing run"),
    timeout_seconds=300,
)
COST_UPDATES = LambdaFunction(
    "CostUpdates",
    "cost_updates",
    "Scheduled OCPP 2.0.1 CostUpdated to charge points of long-running sessions",
    Schedule("costUpdateIntervalMinutes", "a round of cost updates"),
    timeout_seconds=300,
)
SITE_TICK = LambdaFunction(
    "SiteTick",
    "site_tick",
    "Scheduled site tick: rebalances sites whose limit changes with time or whose chargers are to be retried",
    Schedule("siteTickMinutes", "a site tick"),
    timeout_seconds=120,
)
CERTIFICATE_RENEWAL = LambdaFunction(
    "CertificateRenewal",
    "certificate_renewal",
    "Scheduled certificate renewal: asks chargers whose certificate expires soon to send SignCertificate",
    Schedule("certificateRenewalRateMinutes", "a certificate renewal run"),
    timeout_seconds=300,
)

FUNCTIONS: tuple[LambdaFunction[Trigger], ...] = (
    OCPP_AUTHORIZER,
    OCPP_CONNECT,
    OCPP_DISCONNECT,
    OCPP_MESSAGE,
    OPERATOR_API,
    COMMAND_WORKER,
    REBALANCE_WORKER,
    CAMPAIGN_WORKER,
    DOMAIN_EVENTS,
    BILLING_RUN,
    COST_UPDATES,
    CERTIFICATE_RENEWAL,
    SITE_TICK,
)
