"""A status that arrives late never replaces a newer one (both versions, fakes and DynamoDB alike)."""

from typing import Any

import pytest

from csms.composition import Services
from csms.domain.models import ConnectorStatus
from csms.wire.versions import OcppVersion
from tests.unit.stations import Station


def connector_1(station: Station) -> ConnectorStatus:
    evse_id = 1 if station.version is OcppVersion.V201 else None
    connector = station.services.repositories.charge_points.get_connector(station.charge_point_id, evse_id, 1)
    assert connector is not None
    return connector


@pytest.mark.parametrize(
    ("version", "newer", "older", "shown"),
    [
        pytest.param(
            OcppVersion.V16,
            {"connectorId": 1, "errorCode": "NoError", "status": "Charging", "timestamp": "2026-11-23T09:10:00Z"},
            {"connectorId": 1, "errorCode": "NoError", "status": "Preparing", "timestamp": "2026-11-23T09:05:00Z"},
            "Charging",
            id="1.6",
        ),
        pytest.param(
            OcppVersion.V201,
            {"timestamp": "2026-11-23T09:10:00Z", "connectorStatus": "Occupied", "evseId": 1, "connectorId": 1},
            {"timestamp": "2026-11-23T09:05:00Z", "connectorStatus": "Available", "evseId": 1, "connectorId": 1},
            "Occupied",
            id="2.0.1",
        ),
    ],
)
def test_a_late_status_notification_does_not_replace_a_newer_one(
    services_on_each_storage: Services,
    version: OcppVersion,
    newer: dict[str, Any],
    older: dict[str, Any],
    shown: str,
) -> None:
    station = Station(services_on_each_storage, version)

    # When a connector's status arrives before an older one of the same connector
    station.call("StatusNotification", newer)
    station.call("StatusNotification", older)

    # Then the newer one is shown
    assert connector_1(station).status == shown
