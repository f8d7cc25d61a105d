"""What a kept notification says at a glance: its severity and one-line summary, read from its payload."""

from datetime import UTC, datetime
from typing import Any

import pytest

from csms.domain.models import Notification
from csms.domain.notifications import Severity, severity, summary

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def notification(kind: str, details: dict[str, Any]) -> Notification:
    return Notification("CP-1", kind, "m-1", T0, details)


def monitor_event(trigger: str, **fields: Any) -> dict[str, Any]:
    return {
        "eventId": 1,
        "timestamp": "2026-11-23T09:00:00Z",
        "trigger": trigger,
        "actualValue": "true",
        "eventNotificationType": "HardWiredMonitor",
        "component": {"name": "Connector", "evse": {"id": 1, "connectorId": 1}},
        "variable": {"name": "Problem"},
        **fields,
    }


@pytest.mark.parametrize(
    ("kind", "details", "expected_severity", "expected_summary"),
    [
        (
            "StatusNotification",
            {"connectorId": 2, "errorCode": "HighTemperature", "status": "Available", "vendorErrorCode": "T9"},
            Severity.WARNING,
            "Connector 2 Available: HighTemperature (T9)",
        ),
        (
            "StatusNotification",
            {"timestamp": "t", "connectorStatus": "Faulted", "evseId": 1, "connectorId": 2},
            Severity.ERROR,
            "EVSE 1 connector 2 Faulted",
        ),
        (
            "SecurityEventNotification",
            {"type": "FirmwareUpdated", "timestamp": "t"},
            Severity.WARNING,
            "Security event FirmwareUpdated",
        ),
        ("FirmwareStatusNotification", {"status": "Installed"}, Severity.INFO, "Firmware Installed"),
        (
            "FirmwareStatusNotification",
            {"status": "InvalidSignature", "requestId": 3},
            Severity.ERROR,
            "Firmware InvalidSignature",
        ),
        (
            "DiagnosticsStatusNotification",
            {"status": "UploadFailed"},
            Severity.ERROR,
            "Diagnostics upload UploadFailed",
        ),
        ("LogStatusNotification", {"status": "Uploading", "requestId": 2}, Severity.INFO, "Log upload Uploading"),
        (
            "PublishFirmwareStatusNotification",
            {"status": "Published", "location": ["http://lc/firmware/a", "ftp://lc/firmware/a"], "requestId": 4},
            Severity.INFO,
            "Firmware publishing Published at http://lc/firmware/a, ftp://lc/firmware/a",
        ),
        *[
            ("PublishFirmwareStatusNotification", {"status": status}, Severity.INFO, f"Firmware publishing {status}")
            for status in ("Downloading", "ChecksumVerified")
        ],
        *[
            ("PublishFirmwareStatusNotification", {"status": status}, Severity.ERROR, f"Firmware publishing {status}")
            for status in ("DownloadFailed", "InvalidChecksum", "PublishFailed")
        ],
        (
            "NotifyEvent",
            {"generatedAt": "t", "seqNo": 0, "eventData": [monitor_event("Alerting"), monitor_event("Periodic")]},
            Severity.WARNING,
            "Connector.Problem = true (Alerting) and 1 more",
        ),
        (
            "NotifyEvent",
            {"generatedAt": "t", "seqNo": 0, "eventData": [monitor_event("Alerting", cleared=True)]},
            Severity.INFO,
            "Connector.Problem = true (Alerting), cleared",
        ),
        ("NotifyReport", {"requestId": 7, "generatedAt": "t", "seqNo": 0}, Severity.INFO, "NotifyReport (request 7)"),
        ("DataTransfer", {"vendorId": "Acme"}, Severity.INFO, "DataTransfer"),
    ],
)
def test_severity_and_summary(
    kind: str, details: dict[str, Any], expected_severity: Severity, expected_summary: str
) -> None:
    kept = notification(kind, details)

    assert (severity(kept), summary(kept)) == (expected_severity, expected_summary)
