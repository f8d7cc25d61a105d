"""/api/chargers/{id}/notifications and /api/notifications: what charge points notified, newest first."""

from datetime import UTC, datetime, timedelta

from csms.composition import Services
from csms.domain.models import SentNotification
from tests.api.conftest import OperatorApi

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
FAULT = {"connectorId": 1, "errorCode": "GroundFailure", "status": "Faulted", "info": "RCD tripped"}
TAMPER = {"type": "TamperDetectionActivated", "timestamp": "2026-11-23T09:02:00Z", "techInfo": "lid open"}
FIRMWARE = {"status": "InstallationFailed", "requestId": 4}


def notify(services: Services, charger_id: str, kind: str, minutes: int, details: dict[str, object]) -> None:
    services.repositories.charge_points.record_notification(  # type: ignore[attr-defined]
        charger_id, kind, f"{kind}-{minutes}", T0 + timedelta(minutes=minutes), details
    )


def arrange(api: OperatorApi, services: Services) -> None:
    for charger_id in ("CP-1", "CP-2"):
        assert api.request("PUT", f"/api/chargers/{charger_id}", {"password": "correct-horse-battery"}).status == 200
    notify(services, "CP-1", "StatusNotification", 1, FAULT)
    notify(services, "CP-1", "SecurityEventNotification", 2, TAMPER)
    notify(services, "CP-1", "FirmwareStatusNotification", 3, FIRMWARE)
    notify(services, "CP-2", "SecurityEventNotification", 4, {"type": "StartupOfTheDevice", "timestamp": "x"})


def test_a_chargers_notifications_come_newest_first_with_severity_and_summary(
    api: OperatorApi, services: Services
) -> None:
    arrange(api, services)

    response = api.get("/api/chargers/CP-1/notifications")

    assert response.status == 200, response.text
    assert response.body["nextToken"] is None
    assert response.body["items"] == [
        {
            "chargerId": "CP-1",
            "kind": "FirmwareStatusNotification",
            "timestamp": "2026-11-23T09:03:00Z",
            "messageId": "FirmwareStatusNotification-3",
            "severity": "error",
            "summary": "Firmware InstallationFailed",
            "details": FIRMWARE,
        },
        {
            "chargerId": "CP-1",
            "kind": "SecurityEventNotification",
            "timestamp": "2026-11-23T09:02:00Z",
            "messageId": "SecurityEventNotification-2",
            "severity": "warning",
            "summary": "Security event TamperDetectionActivated: lid open",
            "details": TAMPER,
        },
        {
            "chargerId": "CP-1",
            "kind": "StatusNotification",
            "timestamp": "2026-11-23T09:01:00Z",
            "messageId": "StatusNotification-1",
            "severity": "error",
            "summary": "Connector 1 Faulted: GroundFailure (RCD tripped)",
            "details": FAULT,
        },
    ]


def test_they_are_filtered_by_kind_and_time_and_paged(api: OperatorApi, services: Services) -> None:
    arrange(api, services)

    def kinds(**query: object) -> list[str]:
        response = api.get("/api/chargers/CP-1/notifications", **query)
        assert response.status == 200, response.text
        return [item["kind"] for item in response.body["items"]]

    assert kinds(kind="StatusNotification") == ["StatusNotification"]
    assert kinds(since="2026-11-23T09:02:00Z") == ["FirmwareStatusNotification", "SecurityEventNotification"]
    assert [[item["messageId"] for item in page] for page in api.pages("/api/chargers/CP-1/notifications", 2)] == [
        ["FirmwareStatusNotification-3", "SecurityEventNotification-2"],
        ["StatusNotification-1"],
    ]


def test_an_unknown_kind_is_invalid_and_an_unknown_charger_not_found(api: OperatorApi, services: Services) -> None:
    arrange(api, services)

    assert api.get("/api/chargers/CP-1/notifications", kind="Heartbeat").status == 422
    assert api.get("/api/chargers/CP-9/notifications").status == 404


def test_the_fleets_newest_come_from_every_charger(api: OperatorApi, services: Services) -> None:
    arrange(api, services)

    response = api.get("/api/notifications", limit=3)
    security = api.get("/api/notifications", kind="SecurityEventNotification")

    assert response.status == 200, response.text
    assert [(item["chargerId"], item["kind"]) for item in response.body["items"]] == [
        ("CP-2", "SecurityEventNotification"),
        ("CP-1", "FirmwareStatusNotification"),
        ("CP-1", "SecurityEventNotification"),
    ]
    assert [item["summary"] for item in security.body["items"]] == [
        "Security event StartupOfTheDevice",
        "Security event TamperDetectionActivated: lid open",
    ]


def test_a_notification_a_charger_sends_is_listed(api: OperatorApi, services: Services) -> None:
    """Through the domain service that keeps them, as the OCPP handlers call it."""
    assert api.request("PUT", "/api/chargers/CP-1", {"password": "correct-horse-battery"}).status == 200
    services.charge_points.notified("CP-1", SentNotification("LogStatusNotification", "m-1", {"status": "Uploaded"}))

    [item] = api.get("/api/chargers/CP-1/notifications").body["items"]

    assert (item["kind"], item["severity"], item["summary"]) == ("LogStatusNotification", "info", "Log upload Uploaded")
