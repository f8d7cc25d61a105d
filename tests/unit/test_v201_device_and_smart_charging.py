"""OCPP 2.0.1 reports and notifications beyond transactions: each answered with a schema-valid CALLRESULT.

`Station.call` fails on a CALLERROR (the dispatcher answers InternalError when a handler's
response breaks the official schema) and validates the CALLRESULT payload itself.
"""

from typing import Any

import pytest

from csms.composition import Services
from csms.domain.configuration_variables import ConfigurationVariable
from tests.unit.stations import Station

NOW_TEXT = "2026-11-23T12:00:00.000Z"
SCHEDULE = {
    "id": 1,
    "chargingRateUnit": "W",
    "chargingSchedulePeriod": [{"startPeriod": 0, "limit": 11000.0}],
}
PROFILE = {
    "id": 7,
    "stackLevel": 0,
    "chargingProfilePurpose": "TxDefaultProfile",
    "chargingProfileKind": "Absolute",
    "chargingSchedule": [{**SCHEDULE, "startSchedule": NOW_TEXT}],
}

NOTIFICATIONS: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
    (
        "ReportChargingProfiles",
        {"requestId": 3, "chargingLimitSource": "CSO", "evseId": 1, "chargingProfile": [PROFILE], "tbc": False},
        {},
    ),
    (
        "NotifyDisplayMessages",
        {
            "requestId": 4,
            "messageInfo": [{"id": 1, "priority": "NormalCycle", "message": {"format": "UTF8", "content": "Hi"}}],
        },
        {},
    ),
    (
        "NotifyChargingLimit",
        {"chargingLimit": {"chargingLimitSource": "EMS", "isGridCritical": False}, "evseId": 1},
        {},
    ),
    ("ClearedChargingLimit", {"chargingLimitSource": "EMS", "evseId": 1}, {}),
    (
        "NotifyEVChargingNeeds",
        {
            "evseId": 1,
            "chargingNeeds": {
                "requestedEnergyTransfer": "AC_three_phase",
                "acChargingParameters": {
                    "energyAmount": 20000,
                    "evMinCurrent": 6,
                    "evMaxCurrent": 32,
                    "evMaxVoltage": 400,
                },
            },
        },
        {"status": "Rejected"},  # no site, no session: no schedule follows (tests/unit/test_ev_charging_needs.py)
    ),
    (
        "NotifyEVChargingSchedule",
        {"timeBase": NOW_TEXT, "evseId": 1, "chargingSchedule": SCHEDULE},
        {"status": "Accepted"},
    ),
    (
        "NotifyMonitoringReport",
        {
            "requestId": 5,
            "seqNo": 0,
            "generatedAt": NOW_TEXT,
            "monitor": [
                {
                    "component": {"name": "EVSE", "evse": {"id": 1}},
                    "variable": {"name": "Power"},
                    "variableMonitoring": [
                        {"id": 1, "transaction": False, "value": 22000, "type": "UpperThreshold", "severity": 5}
                    ],
                }
            ],
        },
        {},
    ),
    (
        "NotifyCustomerInformation",
        {"data": "Tag TAG-1: 3 sessions", "seqNo": 0, "generatedAt": NOW_TEXT, "requestId": 6},
        {},
    ),
]


@pytest.fixture
def station(station201: Station) -> Station:
    station201.charge_point_id = "CS-1"
    return station201


@pytest.mark.parametrize(
    ("action", "payload", "expected"), NOTIFICATIONS, ids=[action for action, _, _ in NOTIFICATIONS]
)
def test_reports_and_notifications_are_answered_and_kept_as_sent(
    station: Station, fake_services: Services, action: str, payload: dict[str, Any], expected: dict[str, Any]
) -> None:
    # When a station sends it
    result = station.call(action, payload, message_id="n-1")

    # Then the answer is schema-valid (with the status the action asks for) and the message is kept
    assert result == expected
    notifications = fake_services.repositories.charge_points.notifications  # type: ignore[attr-defined]
    assert notifications == [("CS-1", action, "n-1", payload)]


def test_notify_report_updates_the_configuration_per_component_variable_and_attribute(
    station: Station, fake_services: Services
) -> None:
    # Given a report part with two attributes of one variable and a variable of an EVSE's connector
    report: dict[str, Any] = {
        "requestId": 1,
        "generatedAt": NOW_TEXT,
        "seqNo": 0,
        "tbc": True,
        "reportData": [
            {
                "component": {"name": "OCPPCommCtrlr"},
                "variable": {"name": "HeartbeatInterval"},
                "variableAttribute": [
                    {"value": "300"},  # type defaults to Actual, mutability to ReadWrite
                    {"type": "MaxSet", "value": "3600", "mutability": "ReadOnly"},
                ],
            },
            {
                "component": {"name": "Connector", "instance": "CCS", "evse": {"id": 1, "connectorId": 2}},
                "variable": {"name": "Available", "instance": "Plug"},
                "variableAttribute": [{"type": "Actual", "value": "true", "mutability": "ReadOnly"}],
            },
        ],
    }

    # When it arrives, and a later part reports one of the values again
    station.call("NotifyReport", report)
    report["reportData"] = [report["reportData"][0] | {"variableAttribute": [{"value": "600"}]}]
    station.call("NotifyReport", report)

    # Then each (component, variable, attribute) is kept once, with its latest value
    configuration = fake_services.repositories.configuration.list("CS-1")
    assert sorted((v.component, v.variable, v.attribute_type, v.value, v.mutability) for v in configuration) == [
        ("Connector", "Available", "Actual", "true", "ReadOnly"),
        ("OCPPCommCtrlr", "HeartbeatInterval", "Actual", "600", "ReadWrite"),
        ("OCPPCommCtrlr", "HeartbeatInterval", "MaxSet", "3600", "ReadOnly"),
    ]
    [connector] = [v for v in configuration if v.component == "Connector"]
    assert connector == ConfigurationVariable(
        component="Connector",
        component_instance="CCS",
        evse_id=1,
        connector_id=2,
        variable="Available",
        variable_instance="Plug",
        attribute_type="Actual",
        value="true",
        mutability="ReadOnly",
        reported_at=fake_services.clock.now(),
    )
