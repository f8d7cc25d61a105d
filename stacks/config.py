"""Deployment settings read from CDK context (`cdk.json` or `cdk deploy -c key=value`)."""

from dataclasses import dataclass

from constructs import Node


@dataclass(frozen=True)
class CustomDomain:
    """A domain for the OCPP endpoint; the ACM certificate must be in us-east-1 (CloudFront)."""

    domain_name: str
    certificate_arn: str


@dataclass(frozen=True)
class CsmsConfig:
    accept_unknown_charge_points: bool = False
    heartbeat_interval_seconds: int = 300
    command_timeout_seconds: int = 30
    log_level: str = "INFO"
    custom_domain: CustomDomain | None = None
    # How often EventBridge Scheduler starts a billing run.
    billing_rate_minutes: int = 15

    @classmethod
    def from_context(cls, node: Node) -> "CsmsConfig":
        """Context keys: acceptUnknownChargePoints, heartbeatIntervalSeconds, commandTimeoutSeconds,
        logLevel, billingRateMinutes, and domainName with certificateArn (both or neither).
        `-c` passes strings, cdk.json JSON."""
        defaults = cls()
        domain_name = node.try_get_context("domainName")
        certificate_arn = node.try_get_context("certificateArn")
        if bool(domain_name) != bool(certificate_arn):
            raise ValueError("set both domainName and certificateArn, or neither")
        heartbeat = int(node.try_get_context("heartbeatIntervalSeconds") or defaults.heartbeat_interval_seconds)
        # API Gateway closes a WebSocket connection idle for 10 minutes.
        if not 10 <= heartbeat < 600:
            raise ValueError(f"heartbeatIntervalSeconds must be in [10, 600), got {heartbeat}")
        command_timeout = int(node.try_get_context("commandTimeoutSeconds") or defaults.command_timeout_seconds)
        if not 1 <= command_timeout <= 3600:
            raise ValueError(f"commandTimeoutSeconds must be in [1, 3600], got {command_timeout}")
        billing_rate = int(node.try_get_context("billingRateMinutes") or defaults.billing_rate_minutes)
        if not 1 <= billing_rate <= 1440:
            raise ValueError(f"billingRateMinutes must be in [1, 1440], got {billing_rate}")
        accept_unknown = node.try_get_context("acceptUnknownChargePoints") or defaults.accept_unknown_charge_points
        return cls(
            accept_unknown_charge_points=str(accept_unknown).lower() in {"true", "1", "yes"},
            heartbeat_interval_seconds=heartbeat,
            command_timeout_seconds=command_timeout,
            log_level=str(node.try_get_context("logLevel") or defaults.log_level).upper(),
            custom_domain=CustomDomain(domain_name, certificate_arn) if domain_name else None,
            billing_rate_minutes=billing_rate,
        )
