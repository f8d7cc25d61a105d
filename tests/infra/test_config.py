"""CDK context parsing."""

from typing import Any

import aws_cdk as cdk
import pytest

from stacks.config import CsmsConfig, CustomDomain

pytestmark = pytest.mark.infra


def _config(**context: Any) -> CsmsConfig:
    return CsmsConfig.from_context(cdk.App(context=context).node)


def test_defaults() -> None:
    assert _config() == CsmsConfig(
        accept_unknown_charge_points=False,
        heartbeat_interval_seconds=300,
        command_timeout_seconds=30,
        log_level="INFO",
        custom_domain=None,
    )


@pytest.mark.parametrize(("value", "expected"), [(True, True), ("true", True), ("1", True), ("false", False)])
def test_accept_unknown_charge_points(value: object, expected: bool) -> None:
    assert _config(acceptUnknownChargePoints=value).accept_unknown_charge_points is expected


@pytest.mark.parametrize(("value", "expected"), [(None, False), (True, True), ("true", True), ("false", False)])
def test_snap_start(value: object, expected: bool) -> None:
    context = {} if value is None else {"snapStart": value}
    assert _config(**context).snap_start is expected


def test_heartbeat_from_cli_string() -> None:
    assert _config(heartbeatIntervalSeconds="120").heartbeat_interval_seconds == 120


@pytest.mark.parametrize("value", [5, 600, "900"])
def test_heartbeat_must_stay_below_the_idle_timeout(value: object) -> None:
    with pytest.raises(ValueError, match="heartbeatIntervalSeconds"):
        _config(heartbeatIntervalSeconds=value)


def test_command_timeout_from_cli_string() -> None:
    assert _config(commandTimeoutSeconds="45").command_timeout_seconds == 45


@pytest.mark.parametrize("value", [-1, "3601"])
def test_command_timeout_is_bounded(value: object) -> None:
    with pytest.raises(ValueError, match="commandTimeoutSeconds"):
        _config(commandTimeoutSeconds=value)


def test_command_queue_limit_from_cli_string() -> None:
    assert _config().command_queue_limit == 100
    assert _config(commandQueueLimit="20").command_queue_limit == 20


@pytest.mark.parametrize("value", [-1, "1001"])
def test_command_queue_limit_is_bounded(value: object) -> None:
    with pytest.raises(ValueError, match="commandQueueLimit"):
        _config(commandQueueLimit=value)


def test_custom_domain() -> None:
    config = _config(domainName="ocpp.example.com", certificateArn="arn:aws:acm:us-east-1:1:certificate/x")
    assert config.custom_domain == CustomDomain("ocpp.example.com", "arn:aws:acm:us-east-1:1:certificate/x")


def test_domain_without_certificate_is_refused() -> None:
    with pytest.raises(ValueError, match="certificateArn"):
        _config(domainName="ocpp.example.com")


@pytest.mark.parametrize("key", ["billingRateMinutes", "costUpdateIntervalMinutes"])
def test_schedule_rates_are_whole_minutes_up_to_a_day(key: str) -> None:
    assert _config(billingRateMinutes="5", costUpdateIntervalMinutes="10") == CsmsConfig(
        billing_rate_minutes=5, cost_update_interval_minutes=10
    )
    for value in (-1, "1441"):
        with pytest.raises(ValueError, match=key):
            _config(**{key: value})


def test_alarm_email() -> None:
    assert _config().alarm_email is None
    assert _config(alarmEmail=" oncall@example.com ").alarm_email == "oncall@example.com"


@pytest.mark.parametrize("value", ["oncall", "oncall@example", "@example.com", "on call@example.com"])
def test_alarm_email_must_be_an_address(value: str) -> None:
    with pytest.raises(ValueError, match="alarmEmail"):
        _config(alarmEmail=value)


def test_connection_drop_threshold() -> None:
    assert _config().connection_drop_threshold == 10
    assert _config(connectionDropThreshold="50").connection_drop_threshold == 50
    with pytest.raises(ValueError, match="connectionDropThreshold"):
        _config(connectionDropThreshold="-1")


def test_console_dist() -> None:
    assert _config().console_dist is None
    assert _config(consoleDist="/tmp/dist").console_dist == "/tmp/dist"  # noqa: S108
