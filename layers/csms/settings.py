"""Each function's environment, validated once at start.

Read with the standard library rather than pydantic-settings, whose import alone costs about a
fifth of `import boto3` on every cold start (`bench.cold_import`).
"""

from collections.abc import Callable
from dataclasses import dataclass, field, fields
from functools import lru_cache
from os import environ
from typing import Any

from csms import constants
from csms.tables import TableSpec

_TRUE = {"1", "true", "t", "yes", "y", "on"}
_FALSE = {"0", "false", "f", "no", "n", "off"}


class SettingsError(ValueError):
    """An environment variable is missing or its value is not valid."""


def _boolean(text: str) -> bool:
    if text.strip().lower() in _TRUE:
        return True
    if text.strip().lower() in _FALSE:
        return False
    raise ValueError(f"not a boolean: {text!r}")


def _setting(
    env_var: str,
    default: Any = None,
    parse: Callable[[str], Any] = str,
    valid: Callable[[Any], bool] = lambda _value: True,
    rule: str = "",
) -> Any:
    """A setting read from `env_var` (required when it has no default), parsed and checked."""
    return field(metadata={"env_var": env_var, "default": default, "parse": parse, "valid": valid, "rule": rule})


@dataclass
class Settings:
    """Configuration read from environment variables named in `csms.constants`."""

    charge_points_table: str = _setting(constants.ENV_CHARGE_POINTS_TABLE)
    connections_table: str = _setting(constants.ENV_CONNECTIONS_TABLE)
    id_tokens_table: str = _setting(constants.ENV_ID_TOKENS_TABLE)
    transactions_table: str = _setting(constants.ENV_TRANSACTIONS_TABLE)
    meter_values_table: str = _setting(constants.ENV_METER_VALUES_TABLE)
    idempotency_table: str = _setting(constants.ENV_IDEMPOTENCY_TABLE)
    calls_table: str = _setting(constants.ENV_CALLS_TABLE)
    commands_table: str = _setting(constants.ENV_COMMANDS_TABLE)
    reservations_table: str = _setting(constants.ENV_RESERVATIONS_TABLE)
    tariffs_table: str = _setting(constants.ENV_TARIFFS_TABLE)
    sites_table: str = _setting(constants.ENV_SITES_TABLE)
    invoices_table: str = _setting(constants.ENV_INVOICES_TABLE)
    load_balancing_table: str = _setting(constants.ENV_LOAD_BALANCING_TABLE)
    security_events_table: str = _setting(constants.ENV_SECURITY_EVENTS_TABLE)
    certificates_table: str = _setting(constants.ENV_CERTIFICATES_TABLE)
    campaigns_table: str = _setting(constants.ENV_CAMPAIGNS_TABLE)
    # https://{api-id}.execute-api.{region}.amazonaws.com/{stage}, or that of `csms local`'s front door.
    websocket_management_endpoint: str = _setting(constants.ENV_WEBSOCKET_MANAGEMENT_ENDPOINT, default="")
    # Shared with CloudFront (origin custom header); empty disables the check (never on AWS).
    origin_verify_secret: str = _setting(constants.ENV_ORIGIN_VERIFY_SECRET, default="")
    accept_unknown_charge_points: bool = _setting(
        constants.ENV_ACCEPT_UNKNOWN_CHARGE_POINTS, default=False, parse=_boolean
    )
    # Below API Gateway's 10 minute idle timeout.
    heartbeat_interval_seconds: int = _setting(
        constants.ENV_HEARTBEAT_INTERVAL_SECONDS, 300, int, lambda value: 10 <= value < 600, "from 10 to 599"
    )
    # Remote commands: the workflow, the queue its worker consumes, and how long it waits for the
    # charge point's answer, for a follow-up (remote start, reset), for a firmware update.
    command_state_machine_arn: str = _setting(constants.ENV_COMMAND_STATE_MACHINE_ARN, default="")
    command_steps_queue_url: str = _setting(constants.ENV_COMMAND_STEPS_QUEUE_URL, default="")
    # Rebalancing sites (`csms.rebalancing`): its workflow and the queue its worker consumes.
    rebalance_state_machine_arn: str = _setting(constants.ENV_REBALANCE_STATE_MACHINE_ARN, default="")
    rebalance_steps_queue_url: str = _setting(constants.ENV_REBALANCE_STEPS_QUEUE_URL, default="")
    # Campaigns (`csms.campaigns`): their workflow and the queue its worker consumes.
    campaign_state_machine_arn: str = _setting(constants.ENV_CAMPAIGN_STATE_MACHINE_ARN, default="")
    campaign_steps_queue_url: str = _setting(constants.ENV_CAMPAIGN_STEPS_QUEUE_URL, default="")
    command_timeout_seconds: int = _setting(
        constants.ENV_COMMAND_TIMEOUT_SECONDS, 30, int, lambda value: 1 <= value <= 3600, "from 1 to 3600"
    )
    command_follow_up_timeout_seconds: int = _setting(
        constants.ENV_COMMAND_FOLLOW_UP_TIMEOUT_SECONDS, 300, int, lambda value: value >= 1, "at least 1"
    )
    firmware_update_timeout_seconds: int = _setting(
        constants.ENV_FIRMWARE_UPDATE_TIMEOUT_SECONDS, 3600, int, lambda value: value >= 1, "at least 1"
    )
    command_poll_interval_seconds: int = _setting(
        constants.ENV_COMMAND_POLL_INTERVAL_SECONDS, 5, int, lambda value: value >= 1, "at least 1"
    )
    # How many commands may wait for one charge point; one more is refused at once (HTTP 429).
    command_queue_limit: int = _setting(
        constants.ENV_COMMAND_QUEUE_LIMIT, 100, int, lambda value: 1 <= value <= 1000, "from 1 to 1000"
    )
    # The EventBridge bus domain events go to (only the domain events function needs it).
    event_bus_name: str = _setting(constants.ENV_EVENT_BUS_NAME, default="")
    # OCPP 2.0.1 CostUpdated: how often a running session's charge point is sent its cost so far (the
    # schedule's rate); a session gets its first update once it has run this long.
    cost_update_interval_seconds: float = _setting(
        constants.ENV_COST_UPDATE_INTERVAL_SECONDS, 900.0, float, lambda value: value > 0, "above 0"
    )
    # How often the site tick runs (the schedule's rate): rebalances plan that far ahead, and a bit more
    # (`csms.rebalancing.site_tick.look_ahead`).
    site_tick_interval_seconds: float = _setting(
        constants.ENV_SITE_TICK_INTERVAL_SECONDS, 60.0, float, lambda value: value > 0, "above 0"
    )
    # The operator users' Cognito user pool (the operator API's users endpoints; empty elsewhere).
    user_pool_id: str = _setting(constants.ENV_USER_POOL_ID, default="")

    # Where charge points connect, for a security profile upgrade's network profile (the operator API; empty: none).
    csms_ocpp_url: str = _setting(constants.ENV_CSMS_OCPP_URL, default="")
    # The FleetFiles bucket (only the functions that presign its URLs have it) and `csms local`'s S3 endpoint.
    fleet_files_bucket: str = _setting(constants.ENV_FLEET_FILES_BUCKET, default="")
    fleet_files_endpoint: str = _setting(constants.ENV_FLEET_FILES_ENDPOINT, default="")
    # The operator API's URL, for short file links (the functions that give chargers file URLs; empty: none).
    public_api_url: str = _setting(constants.ENV_PUBLIC_API_URL, default="")

    # The CA (`csms.pki`): its KMS key (only the functions that sign have it), the O of its certificates, a station
    # certificate's validity, and how many days before it expires the renewal run asks for a new one.
    ca_key_id: str = _setting(constants.ENV_CA_KEY_ID, default="")
    # An imported CA's certificate (PEM) for that key, the root instead of a self-signed one (empty: none).
    ca_certificate: str = _setting(constants.ENV_CA_CERTIFICATE, default="")
    certificate_organization: str = _setting(
        constants.ENV_CERTIFICATE_ORGANIZATION, "CSMS", str, lambda value: 1 <= len(value) <= 64, "1 to 64 characters"
    )
    certificate_validity_days: int = _setting(
        constants.ENV_CERTIFICATE_VALIDITY_DAYS, 365, int, lambda value: 1 <= value <= 3650, "from 1 to 3650"
    )
    certificate_renewal_window_days: int = _setting(
        constants.ENV_CERTIFICATE_RENEWAL_WINDOW_DAYS, 30, int, lambda value: 1 <= value <= 365, "from 1 to 365"
    )

    @classmethod
    def from_environment(cls) -> "Settings":
        """The settings from `os.environ`; raises `SettingsError` naming every variable that is wrong."""
        values: dict[str, Any] = {}
        problems: list[str] = []
        for setting in fields(cls):
            env_var, default = setting.metadata["env_var"], setting.metadata["default"]
            text = environ.get(env_var)
            if text is None:
                if default is None:
                    problems.append(f"{env_var}: missing")
                values[setting.name] = default
                continue
            try:
                value = setting.metadata["parse"](text)
            except ValueError:
                problems.append(f"{env_var}: not a valid value: {text!r}")
                continue
            if not setting.metadata["valid"](value):
                problems.append(f"{env_var}: {setting.metadata['rule']}, not {text!r}")
            values[setting.name] = value
        if problems:
            raise SettingsError("; ".join(problems))
        return cls(**values)

    def table_name(self, spec: TableSpec) -> str:
        """The physical name of `spec`'s table (the value of its environment variable)."""
        for setting in fields(self):
            if setting.metadata["env_var"] == spec.env_var:
                return str(getattr(self, setting.name))
        raise KeyError(f"no setting for {spec.env_var}")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings.from_environment()
