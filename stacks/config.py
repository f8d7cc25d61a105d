"""Deployment settings read from CDK context (`cdk.json` or `cdk deploy -c key=value`)."""

from dataclasses import dataclass
from pathlib import Path

from constructs import Node

from csms.function_catalogue import BILLING_RUN, CERTIFICATE_RENEWAL, COST_UPDATES, SITE_TICK

MAX_SCHEDULE_MINUTES = 1440
MAX_COMMAND_QUEUE_LIMIT = 1000


@dataclass(frozen=True)
class CustomDomain:
    """A domain for the OCPP endpoint; the ACM certificate must be in us-east-1 (CloudFront)."""

    domain_name: str
    certificate_arn: str


@dataclass(frozen=True)
class ViewerMtls:
    """CloudFront viewer mTLS on the OCPP endpoint (security profile 3): its trust store's CA bundle, an S3
    object holding the CSMS root (`GET /api/pki/ca`), which exists once the stack has run."""

    trust_store_bucket: str
    trust_store_key: str


@dataclass(frozen=True)
class ImportedCa:
    """An operator's own CA: an existing asymmetric KMS key (ECC_NIST_P256, SIGN_VERIFY) and its CA certificate
    (PEM), the root of the certificates the CSMS signs instead of a self-signed one."""

    key_arn: str
    certificate_pem: str


@dataclass(frozen=True)
class CsmsConfig:
    accept_unknown_charge_points: bool = False
    heartbeat_interval_seconds: int = 300
    command_timeout_seconds: int = 30
    # How many commands may wait for one charge point; one more is refused (HTTP 429).
    command_queue_limit: int = 100
    log_level: str = "INFO"
    custom_domain: CustomDomain | None = None
    # How often EventBridge Scheduler starts a billing run.
    billing_rate_minutes: int = 15
    # How often OCPP 2.0.1 charge points are sent the running cost of long sessions (CostUpdated).
    cost_update_interval_minutes: int = 15
    # How often the site tick rebalances sites whose limit changes with time (or whose chargers are to be
    # retried); rebalances plan for the lowest limit over this and two minutes more: keep it short.
    site_tick_minutes: int = 1
    # Lambda SnapStart for the functions someone waits on (`LambdaFunction.snap_start`); it has a
    # monthly cost of its own (README, "Cold start").
    snap_start: bool = False
    # The console's build to upload (`npm run build` in console/); None: the repository's console/dist.
    console_dist: str | None = None
    # An e-mail address the alarm topic notifies (it confirms the subscription first); None: nobody yet.
    alarm_email: str | None = None
    # How many more charge points disconnecting than connecting within 5 minutes is a sudden drop.
    connection_drop_threshold: int = 10
    # The CA (`csms.pki`): O of its certificates, a station certificate's validity, how many days before it expires
    # the renewal run asks for a new one, and how often that run goes.
    certificate_organization: str = "CSMS"
    certificate_validity_days: int = 365
    certificate_renewal_window_days: int = 30
    certificate_renewal_rate_minutes: int = 60
    # CloudFront viewer mTLS in mode optional; None: off (the default).
    viewer_mtls: ViewerMtls | None = None
    # The operator's own CA (caKeyArn with caCertificate); None: the stack makes the key, the root is self-signed.
    imported_ca: ImportedCa | None = None

    @classmethod
    def from_context(cls, node: Node) -> "CsmsConfig":
        """Context keys: acceptUnknownChargePoints, heartbeatIntervalSeconds, commandTimeoutSeconds,
        commandQueueLimit, logLevel, billingRateMinutes, costUpdateIntervalMinutes, siteTickMinutes, snapStart,
        consoleDist, alarmEmail, connectionDropThreshold, certificateOrganization, certificateValidityDays,
        certificateRenewalWindowDays, certificateRenewalRateMinutes, domainName with certificateArn (both or
        neither), viewerMtls (true: also viewerMtlsTrustStoreBucket and viewerMtlsTrustStoreKey), and caKeyArn
        with caCertificate (a PEM file's path, or the PEM) for an operator's own CA.
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
        queue_limit = int(node.try_get_context("commandQueueLimit") or defaults.command_queue_limit)
        if not 1 <= queue_limit <= MAX_COMMAND_QUEUE_LIMIT:
            raise ValueError(f"commandQueueLimit must be in [1, {MAX_COMMAND_QUEUE_LIMIT}], got {queue_limit}")
        accept_unknown = node.try_get_context("acceptUnknownChargePoints") or defaults.accept_unknown_charge_points
        return cls(
            accept_unknown_charge_points=_flag(accept_unknown),
            heartbeat_interval_seconds=heartbeat,
            command_timeout_seconds=command_timeout,
            command_queue_limit=queue_limit,
            log_level=str(node.try_get_context("logLevel") or defaults.log_level).upper(),
            custom_domain=CustomDomain(domain_name, certificate_arn) if domain_name else None,
            billing_rate_minutes=_schedule_minutes(
                node, BILLING_RUN.trigger.rate_setting, defaults.billing_rate_minutes
            ),
            cost_update_interval_minutes=_schedule_minutes(
                node, COST_UPDATES.trigger.rate_setting, defaults.cost_update_interval_minutes
            ),
            site_tick_minutes=_schedule_minutes(node, SITE_TICK.trigger.rate_setting, defaults.site_tick_minutes),
            snap_start=_flag(node.try_get_context("snapStart") or defaults.snap_start),
            console_dist=node.try_get_context("consoleDist") or defaults.console_dist,
            alarm_email=_email(node.try_get_context("alarmEmail")),
            connection_drop_threshold=_at_least_one(
                "connectionDropThreshold",
                int(node.try_get_context("connectionDropThreshold") or defaults.connection_drop_threshold),
            ),
            certificate_organization=str(
                node.try_get_context("certificateOrganization") or defaults.certificate_organization
            ),
            certificate_validity_days=_at_least_one(
                "certificateValidityDays",
                int(node.try_get_context("certificateValidityDays") or defaults.certificate_validity_days),
            ),
            certificate_renewal_window_days=_at_least_one(
                "certificateRenewalWindowDays",
                int(node.try_get_context("certificateRenewalWindowDays") or defaults.certificate_renewal_window_days),
            ),
            certificate_renewal_rate_minutes=_schedule_minutes(
                node, CERTIFICATE_RENEWAL.trigger.rate_setting, defaults.certificate_renewal_rate_minutes
            ),
            viewer_mtls=_viewer_mtls(node),
            imported_ca=_imported_ca(node),
        )


def _viewer_mtls(node: Node) -> ViewerMtls | None:
    if not _flag(node.try_get_context("viewerMtls") or False):
        return None
    bucket, key = node.try_get_context("viewerMtlsTrustStoreBucket"), node.try_get_context("viewerMtlsTrustStoreKey")
    if not bucket or not key:
        raise ValueError(
            "viewerMtls needs viewerMtlsTrustStoreBucket and viewerMtlsTrustStoreKey (the CSMS root in S3)"
        )
    return ViewerMtls(str(bucket), str(key))


def _imported_ca(node: Node) -> ImportedCa | None:
    key_arn, certificate = node.try_get_context("caKeyArn"), node.try_get_context("caCertificate")
    if not key_arn and not certificate:
        return None
    if not key_arn or not certificate:
        raise ValueError("caKeyArn and caCertificate go together (an existing KMS key and its CA certificate)")
    if not str(key_arn).startswith("arn:") or ":key/" not in str(key_arn):
        raise ValueError(f"caKeyArn must be a KMS key ARN (arn:aws:kms:region:account:key/id), got {key_arn!r}")
    text = str(certificate)
    certificate_pem = text if text.lstrip().startswith("-----BEGIN") else Path(text).read_text()
    from cryptography import x509  # noqa: PLC0415 - only an imported CA needs it at synth

    try:
        x509.load_pem_x509_certificate(certificate_pem.encode())
    except ValueError as error:
        raise ValueError(f"caCertificate is not a PEM certificate: {error}") from error
    return ImportedCa(str(key_arn), certificate_pem)


def _flag(value: object) -> bool:
    """A yes/no setting: JSON true from cdk.json, or a string from `-c`."""
    return str(value).lower() in {"true", "1", "yes"}


def _schedule_minutes(node: Node, key: str, default: int) -> int:
    """A schedule's rate in minutes: EventBridge Scheduler's rate() takes whole minutes, here up to a day."""
    minutes = int(node.try_get_context(key) or default)
    if not 1 <= minutes <= MAX_SCHEDULE_MINUTES:
        raise ValueError(f"{key} must be in [1, {MAX_SCHEDULE_MINUTES}], got {minutes}")
    return minutes


def _email(value: object) -> str | None:
    """An address for SNS to mail (it sends a confirmation link first); a typo fails the synth, not the deploy."""
    if not value:
        return None
    address = str(value).strip()
    local, _, domain = address.partition("@")
    if not local or "." not in domain or " " in address:
        raise ValueError(f"alarmEmail must be an e-mail address, got {address!r}")
    return address


def _at_least_one(key: str, value: int) -> int:
    if value < 1:
        raise ValueError(f"{key} must be at least 1, got {value}")
    return value
