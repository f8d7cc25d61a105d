"""Names shared by the CDK stack, the Lambda handlers, the embedded runtime and the tests.

Changing a value here changes it everywhere, so infrastructure and code cannot drift.
"""

from typing import Final

# Environment variables read by `csms.settings.Settings`.
ENV_CHARGE_POINTS_TABLE: Final = "CHARGE_POINTS_TABLE"
ENV_CONNECTIONS_TABLE: Final = "CONNECTIONS_TABLE"
ENV_ID_TOKENS_TABLE: Final = "ID_TOKENS_TABLE"
ENV_TRANSACTIONS_TABLE: Final = "TRANSACTIONS_TABLE"
ENV_METER_VALUES_TABLE: Final = "METER_VALUES_TABLE"
ENV_IDEMPOTENCY_TABLE: Final = "IDEMPOTENCY_TABLE"
ENV_CALLS_TABLE: Final = "CALLS_TABLE"
ENV_COMMANDS_TABLE: Final = "COMMANDS_TABLE"
ENV_RESERVATIONS_TABLE: Final = "RESERVATIONS_TABLE"
ENV_TARIFFS_TABLE: Final = "TARIFFS_TABLE"
ENV_SITES_TABLE: Final = "SITES_TABLE"
ENV_INVOICES_TABLE: Final = "INVOICES_TABLE"
ENV_LOAD_BALANCING_TABLE: Final = "LOAD_BALANCING_TABLE"
ENV_SECURITY_EVENTS_TABLE: Final = "SECURITY_EVENTS_TABLE"
ENV_CERTIFICATES_TABLE: Final = "CERTIFICATES_TABLE"
ENV_CAMPAIGNS_TABLE: Final = "CAMPAIGNS_TABLE"
ENV_WEBSOCKET_MANAGEMENT_ENDPOINT: Final = "WEBSOCKET_MANAGEMENT_ENDPOINT"
ENV_ORIGIN_VERIFY_SECRET: Final = "ORIGIN_VERIFY_SECRET"  # noqa: S105 - a variable name
ENV_ACCEPT_UNKNOWN_CHARGE_POINTS: Final = "ACCEPT_UNKNOWN_CHARGE_POINTS"
ENV_HEARTBEAT_INTERVAL_SECONDS: Final = "HEARTBEAT_INTERVAL_SECONDS"
ENV_COMMAND_STATE_MACHINE_ARN: Final = "COMMAND_STATE_MACHINE_ARN"
ENV_COMMAND_STEPS_QUEUE_URL: Final = "COMMAND_STEPS_QUEUE_URL"
ENV_REBALANCE_STATE_MACHINE_ARN: Final = "REBALANCE_STATE_MACHINE_ARN"
ENV_REBALANCE_STEPS_QUEUE_URL: Final = "REBALANCE_STEPS_QUEUE_URL"
ENV_CAMPAIGN_STATE_MACHINE_ARN: Final = "CAMPAIGN_STATE_MACHINE_ARN"
ENV_CAMPAIGN_STEPS_QUEUE_URL: Final = "CAMPAIGN_STEPS_QUEUE_URL"
ENV_COMMAND_TIMEOUT_SECONDS: Final = "COMMAND_TIMEOUT_SECONDS"
ENV_COMMAND_FOLLOW_UP_TIMEOUT_SECONDS: Final = "COMMAND_FOLLOW_UP_TIMEOUT_SECONDS"
ENV_FIRMWARE_UPDATE_TIMEOUT_SECONDS: Final = "FIRMWARE_UPDATE_TIMEOUT_SECONDS"
ENV_COMMAND_POLL_INTERVAL_SECONDS: Final = "COMMAND_POLL_INTERVAL_SECONDS"
ENV_COMMAND_QUEUE_LIMIT: Final = "COMMAND_QUEUE_LIMIT"
ENV_EVENT_BUS_NAME: Final = "EVENT_BUS_NAME"
ENV_COST_UPDATE_INTERVAL_SECONDS: Final = "COST_UPDATE_INTERVAL_SECONDS"
ENV_SITE_TICK_INTERVAL_SECONDS: Final = "SITE_TICK_INTERVAL_SECONDS"
# The Cognito user pool whose users the operator API manages (`/api/users`); only that function reads it.
ENV_USER_POOL_ID: Final = "USER_POOL_ID"

# Where charge points connect (`wss://…/ocpp/`): the CSMS URL a security profile upgrade sets on a 2.0.1 charger.
ENV_CSMS_OCPP_URL: Final = "CSMS_OCPP_URL"

# The FleetFiles bucket (charger logs, firmware: `csms.domain.file_store`) and, for `csms local` only, the S3
# endpoint its presigned URLs name (empty on AWS).
ENV_FLEET_FILES_BUCKET: Final = "FLEET_FILES_BUCKET"
ENV_FLEET_FILES_ENDPOINT: Final = "FLEET_FILES_ENDPOINT"
# The operator API's public URL (`https://<host>/api/`), under which short file links are served (`/files/<token>`,
# `csms.domain.short_links`) when a presigned URL is too long for the OCPP field it goes in.
ENV_PUBLIC_API_URL: Final = "PUBLIC_API_URL"

# The CA (`csms.pki`): its KMS key, the organization (O) of its certificates, their validity, and how long before a
# certificate expires the renewal run asks its station for a new one.
ENV_CA_KEY_ID: Final = "CA_KEY_ID"
# An operator's own CA certificate (PEM) for that key, the root in place of a self-signed one (empty: none).
ENV_CA_CERTIFICATE: Final = "CA_CERTIFICATE"
ENV_CERTIFICATE_ORGANIZATION: Final = "CSMS_CERTIFICATE_ORGANIZATION"
ENV_CERTIFICATE_VALIDITY_DAYS: Final = "CERTIFICATE_VALIDITY_DAYS"
ENV_CERTIFICATE_RENEWAL_WINDOW_DAYS: Final = "CERTIFICATE_RENEWAL_WINDOW_DAYS"

# Headers set by the CloudFront viewer-request function (and by `csms local`'s stand-in for it,
# which applies the same rewrite). The origin-verify header is added by CloudFront as an origin
# custom header, so a client that reaches execute-api directly cannot forge an identity.
CHARGE_POINT_ID_HEADER: Final = "x-ocpp-charge-point-id"
ORIGIN_VERIFY_HEADER: Final = "x-origin-verify"

# Public OCPP path prefix: charge points connect to wss://<domain>/ocpp/{chargePointId}.
OCPP_PATH_PREFIX: Final = "/ocpp/"

# Keys of the authorizer context, which API Gateway hands to every later event of the
# connection (`requestContext.authorizer`), so message handlers need no lookup.
AUTHORIZER_CHARGE_POINT_ID: Final = "chargePointId"
AUTHORIZER_OCPP_VERSION: Final = "ocppVersion"
# Which password the connection was admitted with (`csms.domain.identity.password_fingerprint`).
AUTHORIZER_CREDENTIALS: Final = "credentials"

# Powertools
POWERTOOLS_SERVICE_NAME: Final = "csms"
METRICS_NAMESPACE: Final = "Csms"

# Operator API paths served without a token, with their methods: by routes without the authorizer on
# AWS and by `csms local` alike. Liveness, and the OpenAPI document and Swagger UI, which are public by
# design (`csms.api.openapi`); what Swagger UI then calls needs a token as any client does. Paths in API Gateway's
# syntax (`{name}` for one segment).
API_HEALTH_PATH: Final = "/api/health"
API_DOCS_PATH: Final = "/api/docs"
API_OPENAPI_PATH: Final = "/api/openapi.json"
# Short file links: the token in the path is the capability (`csms.domain.short_links`), chargers send no token.
API_FILES_PATH: Final = "/api/files/{token}"
PUBLIC_API_ROUTES: Final[dict[str, tuple[str, ...]]] = {
    API_HEALTH_PATH: ("GET", "HEAD"),
    API_DOCS_PATH: ("GET",),
    API_OPENAPI_PATH: ("GET",),
    API_FILES_PATH: ("GET", "HEAD", "PUT"),
}

# The OAuth2 scope of the operator API (Cognito resource server `csms`, scope `operator`): what a
# machine-to-machine client asks for and the API Gateway authorizer requires.
OPERATOR_SCOPE: Final = "csms/operator"
