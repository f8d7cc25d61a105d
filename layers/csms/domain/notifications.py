"""The notifications the CSMS keeps, by kind, and what each says to an operator at a glance.

A notification is kept as the charge point sent it (`Notification.details`, its payload); its
severity and a one-line summary are read from that payload when it is shown, so what is stored
never depends on how it is presented.
"""

from collections.abc import Callable, Mapping
from enum import StrEnum
from typing import Any

from csms.domain.models import Notification


class NotificationKind(StrEnum):
    """The OCPP action that brought the notification (a StatusNotification only when it reports a fault)."""

    STATUS = "StatusNotification"
    SECURITY_EVENT = "SecurityEventNotification"
    FIRMWARE_STATUS = "FirmwareStatusNotification"
    PUBLISH_FIRMWARE_STATUS = "PublishFirmwareStatusNotification"
    DIAGNOSTICS_STATUS = "DiagnosticsStatusNotification"
    LOG_STATUS = "LogStatusNotification"
    EVENT = "NotifyEvent"
    REPORT = "NotifyReport"
    MONITORING_REPORT = "NotifyMonitoringReport"
    CUSTOMER_INFORMATION = "NotifyCustomerInformation"
    DISPLAY_MESSAGES = "NotifyDisplayMessages"
    CHARGING_PROFILES_REPORT = "ReportChargingProfiles"
    CHARGING_LIMIT = "NotifyChargingLimit"
    CHARGING_LIMIT_CLEARED = "ClearedChargingLimit"
    EV_CHARGING_NEEDS = "NotifyEVChargingNeeds"
    EV_CHARGING_SCHEDULE = "NotifyEVChargingSchedule"
    DATA_TRANSFER = "DataTransfer"


class Severity(StrEnum):
    ERROR = "error"  # something is broken: a fault, a failed firmware update or upload
    WARNING = "warning"  # worth a look: a security event, an alerting monitor
    INFO = "info"


FIRMWARE_INSTALLED = "Installed"
# FirmwareStatusNotification statuses that end an update unsuccessfully (both versions).
FIRMWARE_FAILURES = frozenset({"DownloadFailed", "InstallationFailed", "InstallVerificationFailed", "InvalidSignature"})
# 2.0.1 PublishFirmwareStatusNotification: the local controller published the image, or failed to.
FIRMWARE_PUBLISHED = "Published"
PUBLISH_FAILURES = frozenset({"DownloadFailed", "InvalidChecksum", "PublishFailed"})
# Diagnostics (1.6) and log (both versions) upload statuses that say the upload failed.
UPLOAD_FAILURES = frozenset(
    {"UploadFailed", "UploadFailure", "BadMessage", "PermissionDenied", "NotSupportedOperation"}
)


def severity(notification: Notification) -> Severity:
    details = notification.details
    match notification.kind:
        case NotificationKind.STATUS:
            faulted = _status(details) == "Faulted"
            return Severity.ERROR if faulted else Severity.WARNING
        case NotificationKind.SECURITY_EVENT:
            return Severity.WARNING
        case NotificationKind.FIRMWARE_STATUS:
            return Severity.ERROR if details.get("status") in FIRMWARE_FAILURES else Severity.INFO
        case NotificationKind.PUBLISH_FIRMWARE_STATUS:
            return Severity.ERROR if details.get("status") in PUBLISH_FAILURES else Severity.INFO
        case NotificationKind.DIAGNOSTICS_STATUS | NotificationKind.LOG_STATUS:
            return Severity.ERROR if details.get("status") in UPLOAD_FAILURES else Severity.INFO
        case NotificationKind.EVENT:
            alerting = any(
                event.get("trigger") == "Alerting" and not event.get("cleared") for event in _events(details)
            )
            return Severity.WARNING if alerting else Severity.INFO
        case _:
            return Severity.INFO


def summary(notification: Notification) -> str:
    """One line for a list: what happened, with the payload's most telling fields."""
    summarize = _SUMMARIES.get(notification.kind)
    return summarize(notification.details) if summarize else _generic(notification)


def _status(details: Mapping[str, Any]) -> str:
    """A StatusNotification's status: 1.6 `status`, 2.0.1 `connectorStatus`."""
    return str(details.get("status") or details.get("connectorStatus") or "")


def _status_summary(details: Mapping[str, Any]) -> str:
    where = f"Connector {details.get('connectorId')}"
    if "evseId" in details:
        where = f"EVSE {details['evseId']} connector {details.get('connectorId')}"
    error = details.get("errorCode")
    said = [text for text in (details.get("info"), details.get("vendorErrorCode")) if text]
    text = f"{where} {_status(details)}"
    if error and error != "NoError":
        text += f": {error}"
    return text + (f" ({', '.join(map(str, said))})" if said else "")


def _security_summary(details: Mapping[str, Any]) -> str:
    info = details.get("techInfo")
    return f"Security event {details.get('type')}" + (f": {info}" if info else "")


def _publish_summary(details: Mapping[str, Any]) -> str:
    text = f"Firmware publishing {details.get('status')}"
    locations = details.get("location")
    return text + (f" at {', '.join(map(str, locations))}" if isinstance(locations, list) and locations else "")


def _event_summary(details: Mapping[str, Any]) -> str:
    events = _events(details)
    if not events:
        return "NotifyEvent"
    first = events[0]
    component = first.get("component", {}).get("name", "?")
    variable = first.get("variable", {}).get("name", "?")
    text = f"{component}.{variable} = {first.get('actualValue')} ({first.get('trigger')})"
    if first.get("cleared"):
        text += ", cleared"
    return text + (f" and {len(events) - 1} more" if len(events) > 1 else "")


def _events(details: Mapping[str, Any]) -> list[dict[str, Any]]:
    events = details.get("eventData")
    return [event for event in events if isinstance(event, dict)] if isinstance(events, list) else []


def _generic(notification: Notification) -> str:
    request_id = notification.details.get("requestId")
    return notification.kind + (f" (request {request_id})" if request_id is not None else "")


_SUMMARIES: dict[str, Callable[[Mapping[str, Any]], str]] = {
    NotificationKind.STATUS: _status_summary,
    NotificationKind.SECURITY_EVENT: _security_summary,
    NotificationKind.FIRMWARE_STATUS: lambda details: f"Firmware {details.get('status')}",
    NotificationKind.PUBLISH_FIRMWARE_STATUS: _publish_summary,
    NotificationKind.DIAGNOSTICS_STATUS: lambda details: f"Diagnostics upload {details.get('status')}",
    NotificationKind.LOG_STATUS: lambda details: f"Log upload {details.get('status')}",
    NotificationKind.EVENT: _event_summary,
}
