"""Reading back a charge point's notifications of one kind since a time (what follow-ups read)."""

from datetime import UTC, datetime, timedelta

from csms.composition import Repositories
from csms.domain.models import Notification

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def test_notifications_of_a_kind_since_a_time_oldest_first(repositories: Repositories) -> None:
    charge_points = repositories.charge_points
    charge_points.record_notification("CP-1", "FirmwareStatusNotification", "a", T0, {"status": "Downloading"})
    charge_points.record_notification(
        "CP-1", "FirmwareStatusNotification", "b", T0 + timedelta(seconds=2), {"status": "Installed", "n": 1.5}
    )
    charge_points.record_notification(
        "CP-1", "FirmwareStatusNotification", "c", T0 + timedelta(seconds=1), {"status": "Installing"}
    )
    charge_points.record_notification("CP-1", "LogStatusNotification", "d", T0, {"status": "Uploaded"})
    charge_points.record_notification("CP-2", "FirmwareStatusNotification", "e", T0, {"status": "Idle"})

    found = charge_points.list_notifications("CP-1", "FirmwareStatusNotification", T0 + timedelta(seconds=1))

    assert found == [
        Notification("CP-1", "FirmwareStatusNotification", "c", T0 + timedelta(seconds=1), {"status": "Installing"}),
        Notification(
            "CP-1", "FirmwareStatusNotification", "b", T0 + timedelta(seconds=2), {"status": "Installed", "n": 1.5}
        ),
    ]
    assert charge_points.list_notifications("CP-1", "FirmwareStatusNotification", T0 + timedelta(hours=1)) == []
