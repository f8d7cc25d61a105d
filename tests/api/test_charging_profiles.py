"""GET /api/chargers/{id}/charging-profiles (the set the charger holds) and GET .../composite-schedule
(GetCompositeSchedule through the command workflow, its answer waited for a moment)."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from csms.commands import answer_wait, profile_payloads
from csms.composition import Services
from csms.domain.charging_profiles.installed import ExternalLimit
from csms.domain.charging_profiles.schedules import ChargingSchedule, RateUnit, SchedulePeriod
from csms.wire.versions import OcppVersion
from tests.api.conftest import OperatorApi, person_claims

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
SCHEDULE = {"chargingRateUnit": "A", "chargingSchedulePeriod": [{"startPeriod": 0, "limit": 16.5}]}


def register(api: OperatorApi, charger_id: str) -> None:
    assert api.request("PUT", f"/api/chargers/{charger_id}", {"password": "correct-horse-battery"}).status == 200


def set_16(services: Services, connector_id: int, profile_id: int, purpose: str, stack_level: int = 0) -> None:
    profile = {
        "chargingProfileId": profile_id,
        "stackLevel": stack_level,
        "chargingProfilePurpose": purpose,
        "chargingProfileKind": "Relative",
        "chargingSchedule": SCHEDULE,
    }
    request = {"connectorId": connector_id, "csChargingProfiles": profile}
    installed = profile_payloads.set_profile(OcppVersion.V16, request, T0)
    services.installed_profiles.profile_set("CP-1", OcppVersion.V16, installed)


def test_the_charging_profiles_are_the_set_the_charger_holds(api: OperatorApi, services: Services) -> None:
    # Given a 1.6 charger with profiles set (one replacing another) and, as a 2.0.1 station would notify, a limit
    register(api, "CP-1")
    services.charge_points.connected("CP-1", "conn-1", OcppVersion.V16)
    set_16(services, 1, 5, "TxDefaultProfile", stack_level=1)
    set_16(services, 0, 9, "ChargePointMaxProfile")
    set_16(services, 1, 3, "TxDefaultProfile")
    set_16(services, 1, 4, "TxDefaultProfile")
    schedule = ChargingSchedule(RateUnit.AMPS, (SchedulePeriod(0, 10),))
    limit = ExternalLimit("EMS", 1, (schedule,), T0, True, {"chargingSchedule": [SCHEDULE]})
    services.installed_profiles.limit_notified("CP-1", limit)

    response = api.get("/api/chargers/CP-1/charging-profiles")

    # Then they come whole, by connector, purpose, stack level and id, as sent
    assert response.status == 200, response.text
    items = response.body["items"]
    assert [(p["chargingProfileId"], p["connectorId"], p["stackLevel"]) for p in items] == [
        (9, 0, 0),
        (4, 1, 0),
        (5, 1, 1),
    ]
    assert items[1] == {
        "chargingProfileId": 4,
        "connectorId": 1,
        "evseId": None,
        "stackLevel": 0,
        "chargingProfilePurpose": "TxDefaultProfile",
        "transactionId": None,
        "chargingLimitSource": "CSO",
        "validFrom": None,
        "validTo": None,
        "installedAt": "2026-11-23T09:00:00Z",
        "chargingProfile": {
            "chargingProfileId": 4,
            "stackLevel": 0,
            "chargingProfilePurpose": "TxDefaultProfile",
            "chargingProfileKind": "Relative",
            "chargingSchedule": SCHEDULE,
        },
    }
    assert response.body["externalLimits"] == [
        {
            "chargingLimitSource": "EMS",
            "evseId": 1,
            "isGridCritical": True,
            "chargingSchedule": [SCHEDULE],
            "notifiedAt": "2026-11-23T09:00:00Z",
        }
    ]
    assert "nextToken" not in response.body


def test_a_charger_without_profiles_holds_none(api: OperatorApi) -> None:
    register(api, "CP-1")

    response = api.get("/api/chargers/CP-1/charging-profiles")

    assert (response.status, response.body) == (200, {"items": [], "externalLimits": []})


@pytest.fixture
def connected(state_machine: Any, api: OperatorApi, services: Services) -> None:
    """CP-16 (1.6) and CP-201 (2.0.1) connected, CP-GONE disconnected, CP-NEW never connected."""
    for charger_id in ("CP-16", "CP-201", "CP-GONE", "CP-NEW"):
        register(api, charger_id)
    services.charge_points.connected("CP-16", "conn-16", OcppVersion.V16)
    services.charge_points.connected("CP-201", "conn-201", OcppVersion.V201)
    services.charge_points.connected("CP-GONE", "conn-gone", OcppVersion.V16)
    services.charge_points.disconnected("conn-gone", "CP-GONE")


@pytest.fixture
def short_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    """No charge point answers here (moto runs no workflow): wait a moment only."""
    monkeypatch.setattr(answer_wait, "ANSWER_WAIT", timedelta(seconds=0.3))


@pytest.mark.parametrize(
    ("charger_id", "query", "payload"),
    [
        ("CP-16", {"connectorId": 1, "duration": 3600}, {"connectorId": 1, "duration": 3600}),
        (
            "CP-16",
            {"connectorId": 0, "duration": 60, "chargingRateUnit": "W"},
            {"connectorId": 0, "duration": 60, "chargingRateUnit": "W"},
        ),
        (
            "CP-201",
            {"evseId": 2, "duration": 900, "chargingRateUnit": "A"},
            {"evseId": 2, "duration": 900, "chargingRateUnit": "A"},
        ),
    ],
)
def test_a_composite_schedule_not_answered_in_time_is_202_with_the_command_to_follow(
    api: OperatorApi, connected: None, short_wait: None, charger_id: str, query: dict[str, Any], payload: dict[str, Any]
) -> None:
    response = api.get(f"/api/chargers/{charger_id}/composite-schedule", **query)

    assert response.status == 202, response.text
    command = api.get(f"/api/commands/{response.body['commandId']}").body
    assert (command["action"], command["request"], command["status"]) == ("GetCompositeSchedule", payload, "Pending")


@pytest.mark.parametrize(
    ("charger_id", "query", "status", "message"),
    [
        ("CP-X", {"connectorId": 1, "duration": 60}, 404, "No charge point CP-X"),
        ("CP-GONE", {"connectorId": 1, "duration": 60}, 409, "CP-GONE is not connected"),
        ("CP-NEW", {"connectorId": 1, "duration": 60}, 409, "CP-NEW is not connected"),
        ("CP-16", {"connectorId": 1}, 422, "Invalid request"),
        ("CP-16", {"connectorId": 1, "duration": 0}, 422, "Invalid request"),
        ("CP-16", {"connectorId": -1, "duration": 60}, 422, "Invalid request"),
        ("CP-16", {"connectorId": 1, "duration": 60, "chargingRateUnit": "kW"}, 422, "Invalid request"),
        ("CP-16", {"duration": 60}, 422, "Invalid command"),
        ("CP-16", {"evseId": 1, "duration": 60}, 422, "Invalid command"),
        ("CP-201", {"duration": 60}, 422, "Invalid command"),
        ("CP-201", {"connectorId": 1, "duration": 60}, 422, "Invalid command"),
    ],
)
def test_a_composite_schedule_that_cannot_be_asked_for_sends_nothing(
    api: OperatorApi, connected: None, charger_id: str, query: dict[str, Any], status: int, message: str
) -> None:
    response = api.get(f"/api/chargers/{charger_id}/composite-schedule", **query)

    assert (response.status, response.body["message"]) == (status, message), response.text
    if charger_id.startswith("CP-1") or charger_id.startswith("CP-2"):
        assert api.get(f"/api/chargers/{charger_id}/commands").body["items"] == []


def test_viewers_may_not_ask_for_a_composite_schedule(connected: None) -> None:
    viewer = OperatorApi(person_claims("vera", "[viewers]"))

    response = viewer.get("/api/chargers/CP-16/composite-schedule", connectorId=1, duration=60)

    assert response.status == 403
    assert viewer.get("/api/chargers/CP-16/charging-profiles").status == 200
