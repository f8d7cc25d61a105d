"""Each function's environment, validated once at start (pydantic-settings)."""

from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from csms import constants
from csms.tables import TableSpec


class Settings(BaseSettings):
    """Configuration read from environment variables named in `csms.constants`."""

    model_config = SettingsConfigDict(case_sensitive=True, extra="ignore")

    charge_points_table: str = Field(alias=constants.ENV_CHARGE_POINTS_TABLE)
    connections_table: str = Field(alias=constants.ENV_CONNECTIONS_TABLE)
    id_tokens_table: str = Field(alias=constants.ENV_ID_TOKENS_TABLE)
    transactions_table: str = Field(alias=constants.ENV_TRANSACTIONS_TABLE)
    meter_values_table: str = Field(alias=constants.ENV_METER_VALUES_TABLE)
    idempotency_table: str = Field(alias=constants.ENV_IDEMPOTENCY_TABLE)
    calls_table: str = Field(alias=constants.ENV_CALLS_TABLE)
    commands_table: str = Field(alias=constants.ENV_COMMANDS_TABLE)
    reservations_table: str = Field(alias=constants.ENV_RESERVATIONS_TABLE)
    tariffs_table: str = Field(alias=constants.ENV_TARIFFS_TABLE)
    invoices_table: str = Field(alias=constants.ENV_INVOICES_TABLE)
    # https://{api-id}.execute-api.{region}.amazonaws.com/{stage}, or that of `csms local`'s front door.
    websocket_management_endpoint: str = Field(default="", alias=constants.ENV_WEBSOCKET_MANAGEMENT_ENDPOINT)
    # Shared with CloudFront (origin custom header); empty disables the check (never on AWS).
    origin_verify_secret: str = Field(default="", alias=constants.ENV_ORIGIN_VERIFY_SECRET)
    accept_unknown_charge_points: bool = Field(default=False, alias=constants.ENV_ACCEPT_UNKNOWN_CHARGE_POINTS)
    # Below API Gateway's 10 minute idle timeout.
    heartbeat_interval_seconds: int = Field(default=300, ge=10, lt=600, alias=constants.ENV_HEARTBEAT_INTERVAL_SECONDS)
    # Remote commands: the workflow, the queue its worker consumes, and how long it waits for the
    # charge point's answer, for a follow-up (remote start, reset), for a firmware update.
    command_state_machine_arn: str = Field(default="", alias=constants.ENV_COMMAND_STATE_MACHINE_ARN)
    command_steps_queue_url: str = Field(default="", alias=constants.ENV_COMMAND_STEPS_QUEUE_URL)
    command_timeout_seconds: int = Field(default=30, ge=1, le=3600, alias=constants.ENV_COMMAND_TIMEOUT_SECONDS)
    command_follow_up_timeout_seconds: int = Field(
        default=300, ge=1, alias=constants.ENV_COMMAND_FOLLOW_UP_TIMEOUT_SECONDS
    )
    firmware_update_timeout_seconds: int = Field(
        default=3600, ge=1, alias=constants.ENV_FIRMWARE_UPDATE_TIMEOUT_SECONDS
    )
    command_poll_interval_seconds: int = Field(default=5, ge=1, alias=constants.ENV_COMMAND_POLL_INTERVAL_SECONDS)
    # How many commands may wait for one charge point; one more is refused at once (HTTP 429).
    command_queue_limit: int = Field(default=100, ge=1, le=1000, alias=constants.ENV_COMMAND_QUEUE_LIMIT)
    # The EventBridge bus domain events go to (only the domain events function needs it).
    event_bus_name: str = Field(default="", alias=constants.ENV_EVENT_BUS_NAME)
    # OCPP 2.0.1 CostUpdated: how often a running session's charge point is sent its cost so far (the
    # schedule's rate); a session gets its first update once it has run this long.
    cost_update_interval_seconds: float = Field(default=900, gt=0, alias=constants.ENV_COST_UPDATE_INTERVAL_SECONDS)

    def table_name(self, spec: TableSpec) -> str:
        """The physical name of `spec`'s table (the value of its environment variable)."""
        for name, field_info in type(self).model_fields.items():
            if field_info.alias == spec.env_var:
                return str(getattr(self, name))
        raise KeyError(f"no setting for {spec.env_var}")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
