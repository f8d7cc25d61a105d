"""A charge point's installed profiles follow what it accepts, reports and does, on both versions: commands
answered through the dispatcher and recorded by the workflow, transactions that end, 2.0.1 reports and limits."""

import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from csms.adapters.dynamodb.revisions import ConcurrentUpdateError
from csms.commands.models import CommandStatus
from csms.commands.workflow_definition import Step, StepError
from csms.composition import Services
from csms.domain.charging_profiles.installed import InstalledProfiles
from csms.wire.versions import OcppVersion
from tests.fakes import FixedClock, RecordingWorkflows
from tests.unit.stations import CALLRESULT, TOKEN, Station, command_on_the_wire

V16, V201 = OcppVersion.V16, OcppVersion.V201
NOW = "2026-11-23T12:00:00Z"
ACCEPTED = {"status": "Accepted"}


def schedule(limit: float, unit: str = "A") -> dict[str, Any]:
    return {"chargingRateUnit": unit, "chargingSchedulePeriod": [{"startPeriod": 0, "limit": limit}]}


def profile_16(profile_id: int, purpose: str, stack_level: int = 0, **fields: Any) -> dict[str, Any]:
    return {
        "chargingProfileId": profile_id,
        "stackLevel": stack_level,
        "chargingProfilePurpose": purpose,
        "chargingProfileKind": "Relative",
        "chargingSchedule": schedule(16),
        **fields,
    }


def profile_201(profile_id: int, purpose: str, stack_level: int = 0, **fields: Any) -> dict[str, Any]:
    return {
        "id": profile_id,
        "stackLevel": stack_level,
        "chargingProfilePurpose": purpose,
        "chargingProfileKind": "Absolute",
        "chargingSchedule": [{"id": 1, "startSchedule": NOW, **schedule(16)}],
        **fields,
    }


@pytest.fixture
def services(services_on_each_storage: Services) -> Services:
    services_on_each_storage.charge_points.connected("CP-1", "conn-1", V16)
    return services_on_each_storage


@pytest.fixture
def station(services: Services) -> Station:
    return Station(services, V16)


@pytest.fixture
def station201(services: Services) -> Station:
    services.charge_points.connected("CP-2", "conn-2", V201)
    return Station(services, V201, charge_point_id="CP-2", connection_id="conn-2")


Answer = Callable[[Station, str, dict[str, Any], dict[str, Any]], None]


@pytest.fixture
def answer(services: Services, workflows: RecordingWorkflows) -> Answer:
    """The command sent, the station's CALLRESULT through the dispatcher, and the workflow recording it."""

    def answered(station: Station, action: str, payload: dict[str, Any], response: dict[str, Any]) -> None:
        message_id = command_on_the_wire(services, station.charge_point_id, action, payload)
        assert station.send(json.dumps([CALLRESULT, message_id, response])) is None
        record_answer(services, workflows, station, message_id)

    return answered


def record_answer(services: Services, workflows: RecordingWorkflows, station: Station, message_id: str) -> None:
    """RecordAnswer, with the answer the dispatcher completed the Send task with."""
    token, answer = workflows.succeeded[-1]
    assert token == TOKEN
    commands = services.commands.list_for_charge_point(station.charge_point_id, 100).items
    [command] = [command for command in commands if command.message_id == message_id]
    services.command_workflow.perform(Step.RECORD_ANSWER, {"commandId": command.command_id, "answer": answer}, "t")


def installed(services: Services, charge_point_id: str = "CP-1") -> list[tuple[int, int, str, str | None]]:
    """(id, connector or EVSE, purpose, transaction) of each profile held, by id."""
    return sorted(
        (p.profile_id, p.evse_or_connector_id, p.purpose.value, p.transaction_id)
        for p in services.installed_profiles.installed(charge_point_id).profiles
    )


def start_16(station: Station, connector_id: int = 1, timestamp: str = NOW) -> str:
    started = station.call(
        "StartTransaction", {"connectorId": connector_id, "idTag": "TAG", "meterStart": 0, "timestamp": timestamp}
    )
    return str(started["transactionId"])


def test_accepted_profiles_are_installed_and_rejected_ones_are_not(
    services: Services, station: Station, answer: Answer
) -> None:
    answer(
        station,
        "SetChargingProfile",
        {"connectorId": 0, "csChargingProfiles": profile_16(1, "ChargePointMaxProfile")},
        ACCEPTED,
    )
    answer(
        station,
        "SetChargingProfile",
        {"connectorId": 1, "csChargingProfiles": profile_16(2, "TxDefaultProfile")},
        {"status": "Rejected"},
    )
    answer(
        station,
        "SetChargingProfile",
        {"connectorId": 1, "csChargingProfiles": profile_16(3, "TxDefaultProfile")},
        ACCEPTED,
    )
    # The same purpose and stack level on the same connector replaces it
    answer(
        station,
        "SetChargingProfile",
        {"connectorId": 1, "csChargingProfiles": profile_16(4, "TxDefaultProfile")},
        ACCEPTED,
    )

    assert installed(services) == [(1, 0, "ChargePointMaxProfile", None), (4, 1, "TxDefaultProfile", None)]
    [as_sent] = [p.as_sent for p in services.installed_profiles.installed("CP-1").profiles if p.profile_id == 4]
    assert as_sent == profile_16(4, "TxDefaultProfile")


def test_a_1_6_tx_profile_belongs_to_the_transaction_on_its_connector_and_ends_with_it(
    services: Services, station: Station, answer: Answer
) -> None:
    # Given a TxProfile accepted with no transaction running (it cannot be installed), then one during a session
    answer(
        station, "SetChargingProfile", {"connectorId": 1, "csChargingProfiles": profile_16(1, "TxProfile")}, ACCEPTED
    )
    assert installed(services) == []
    answer(
        station,
        "SetChargingProfile",
        {"connectorId": 1, "csChargingProfiles": profile_16(9, "TxDefaultProfile")},
        ACCEPTED,
    )
    transaction_id = start_16(station)
    answer(
        station, "SetChargingProfile", {"connectorId": 1, "csChargingProfiles": profile_16(2, "TxProfile")}, ACCEPTED
    )
    assert installed(services) == [(2, 1, "TxProfile", transaction_id), (9, 1, "TxDefaultProfile", None)]

    # When the transaction stops
    station.call("StopTransaction", {"transactionId": int(transaction_id), "meterStop": 10, "timestamp": NOW})

    # Then its TxProfile is gone, the default stays; and one accepted for it afterwards is not installed
    assert installed(services) == [(9, 1, "TxDefaultProfile", None)]
    answer(
        station,
        "SetChargingProfile",
        {"connectorId": 1, "csChargingProfiles": profile_16(3, "TxProfile", transactionId=int(transaction_id))},
        ACCEPTED,
    )
    assert installed(services) == [(9, 1, "TxDefaultProfile", None)]


def test_a_session_the_csms_ends_takes_its_tx_profile_too(
    services: Services, station: Station, clock: FixedClock, answer: Answer
) -> None:
    # Given a session with its TxProfile whose stop never came
    first = start_16(station)
    answer(
        station,
        "SetChargingProfile",
        {"connectorId": 1, "csChargingProfiles": profile_16(1, "TxProfile", transactionId=int(first))},
        ACCEPTED,
    )

    # When a new session begins on the same connector (which ends the first)
    start_16(station, timestamp="2026-11-23T12:30:00Z")

    # Then the first one's TxProfile is gone
    assert installed(services) == []


def test_a_2_0_1_tx_profile_ends_with_its_transaction(services: Services, station201: Station, answer: Answer) -> None:
    event = {
        "timestamp": NOW,
        "triggerReason": "Authorized",
        "seqNo": 0,
        "transactionInfo": {"transactionId": "tx-1"},
        "evse": {"id": 1, "connectorId": 1},
    }
    station201.call("TransactionEvent", {**event, "eventType": "Started"})
    request = {"evseId": 1, "chargingProfile": profile_201(5, "TxProfile", transactionId="tx-1")}
    answer(station201, "SetChargingProfile", request, ACCEPTED)
    assert installed(services, "CP-2") == [(5, 1, "TxProfile", "tx-1")]

    station201.call("TransactionEvent", {**event, "eventType": "Ended", "seqNo": 1, "triggerReason": "EVDeparted"})

    assert installed(services, "CP-2") == []


@pytest.mark.parametrize(
    ("clear", "left"),
    [
        ({"id": 2}, [1, 3]),
        ({"connectorId": 1}, [1]),
        ({"chargingProfilePurpose": "TxDefaultProfile", "stackLevel": 1}, [1, 2]),
        ({}, []),
    ],
)
def test_clear_charging_profile_removes_what_it_matches_once_accepted(
    services: Services, station: Station, clear: dict[str, Any], left: list[int], answer: Answer
) -> None:
    for profile_id, connector_id, purpose, stack_level in [
        (1, 0, "ChargePointMaxProfile", 0),
        (2, 1, "TxDefaultProfile", 0),
        (3, 1, "TxDefaultProfile", 1),
    ]:
        request = {"connectorId": connector_id, "csChargingProfiles": profile_16(profile_id, purpose, stack_level)}
        answer(station, "SetChargingProfile", request, ACCEPTED)

    answer(station, "ClearChargingProfile", clear, {"status": "Unknown"})
    assert [p[0] for p in installed(services)] == [1, 2, 3]
    answer(station, "ClearChargingProfile", clear, ACCEPTED)

    assert [p[0] for p in installed(services)] == left


def test_2_0_1_clear_by_criteria(services: Services, station201: Station, answer: Answer) -> None:
    for profile_id, evse_id, purpose in [
        (1, 0, "ChargingStationMaxProfile"),
        (2, 1, "TxDefaultProfile"),
        (3, 2, "TxDefaultProfile"),
    ]:
        answer(
            station201,
            "SetChargingProfile",
            {"evseId": evse_id, "chargingProfile": profile_201(profile_id, purpose)},
            ACCEPTED,
        )

    answer(
        station201,
        "ClearChargingProfile",
        {"chargingProfileCriteria": {"evseId": 1, "chargingProfilePurpose": "TxDefaultProfile"}},
        ACCEPTED,
    )
    assert [p[0] for p in installed(services, "CP-2")] == [1, 3]
    answer(station201, "ClearChargingProfile", {"chargingProfileId": 3}, ACCEPTED)
    assert [p[0] for p in installed(services, "CP-2")] == [1]


def test_2_0_1_reports_after_get_charging_profiles_say_what_the_station_holds(
    services: Services, station201: Station, answer: Answer, workflows: RecordingWorkflows
) -> None:
    # Given two profiles the CSMS set on EVSE 1, one of them since removed by the station itself
    for profile_id in (1, 2):
        request = {"evseId": 1, "chargingProfile": profile_201(profile_id, "TxDefaultProfile", stack_level=profile_id)}
        answer(station201, "SetChargingProfile", request, ACCEPTED)

    # When the station reports (before its answer is recorded) profile 1 and an energy manager's constraint
    request = {"requestId": 8, "evseId": 1, "chargingProfile": {"chargingLimitSource": ["CSO", "EMS"]}}
    reports = [
        {
            "requestId": 8,
            "chargingLimitSource": "CSO",
            "evseId": 1,
            "chargingProfile": [profile_201(1, "TxDefaultProfile", stack_level=1)],
            "tbc": True,
        },
        {
            "requestId": 8,
            "chargingLimitSource": "EMS",
            "evseId": 1,
            "chargingProfile": [profile_201(7, "ChargingStationExternalConstraints")],
        },
    ]
    message_id = command_on_the_wire(services, "CP-2", "GetChargingProfiles", request)
    assert station201.send(json.dumps([CALLRESULT, message_id, ACCEPTED])) is None
    for report in reports:
        assert station201.call("ReportChargingProfiles", report) == {}
    assert [p[0] for p in installed(services, "CP-2")] == [1, 2, 7]  # what was asked is not recorded yet
    record_answer(services, workflows, station201, message_id)

    # Then the set is what the station reported, each with its source
    held = services.installed_profiles.installed("CP-2").profiles
    assert sorted((p.profile_id, p.source) for p in held) == [(1, "CSO"), (7, "EMS")]

    # And a GetChargingProfiles answered NoProfiles means none of what it asked for is held
    answer(
        station201,
        "GetChargingProfiles",
        {"requestId": 9, "chargingProfile": {"chargingLimitSource": ["CSO"]}},
        {"status": "NoProfiles"},
    )
    assert [p[0] for p in installed(services, "CP-2")] == [7]


def test_2_0_1_external_limits_are_kept_with_their_source_until_cleared(
    services: Services, station201: Station
) -> None:
    limit = {
        "chargingLimit": {"chargingLimitSource": "EMS", "isGridCritical": True},
        "evseId": 1,
        "chargingSchedule": [{"id": 1, **schedule(10)}],
    }
    assert station201.call("NotifyChargingLimit", limit) == {}
    assert station201.call("NotifyChargingLimit", {"chargingLimit": {"chargingLimitSource": "SO"}}) == {}

    [ems, grid] = services.installed_profiles.installed("CP-2").external_limits
    assert (ems.source, ems.evse_id, ems.grid_critical, ems.schedules[0].periods[0].limit) == ("EMS", 1, True, 10)
    assert (grid.source, grid.evse_id, grid.schedules) == ("SO", None, ())

    assert station201.call("ClearedChargingLimit", {"chargingLimitSource": "EMS", "evseId": 1}) == {}
    assert [limit.source for limit in services.installed_profiles.installed("CP-2").external_limits] == ["SO"]


def test_expired_profiles_are_not_held(services: Services, station: Station, clock: FixedClock, answer: Answer) -> None:
    until = (clock.now() + timedelta(hours=1)).isoformat()
    request = {"connectorId": 0, "csChargingProfiles": profile_16(1, "ChargePointMaxProfile", validTo=until)}
    answer(station, "SetChargingProfile", request, ACCEPTED)
    assert installed(services) != []

    clock.advance(hours=1)

    assert services.installed_profiles.installed("CP-1") == InstalledProfiles()


def test_a_command_is_recorded_answered_only_once_its_effect_is_stored(
    fake_services: Services, workflows: RecordingWorkflows, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a SetChargingProfile answered Accepted while the installed profiles cannot be stored
    fake_services.charge_points.connected("CP-1", "conn-1", V16)
    station = Station(fake_services, V16)
    profiles = fake_services.repositories.installed_profiles

    def busy(*_: Any) -> None:
        raise ConcurrentUpdateError("busy")

    monkeypatch.setattr(profiles, "update", busy)
    request = {"connectorId": 0, "csChargingProfiles": profile_16(1, "ChargePointMaxProfile")}
    message_id = command_on_the_wire(fake_services, "CP-1", "SetChargingProfile", request)
    station.send(json.dumps([CALLRESULT, message_id, ACCEPTED]))

    # When the workflow records the answer
    record_answer(fake_services, workflows, station, message_id)

    # Then the step fails (to be retried) and the command is not shown answered
    assert workflows.failed[-1][1] == StepError.WORKER_ERROR
    [command] = fake_services.commands.list_for_charge_point("CP-1", 1).items
    assert command.status is CommandStatus.SENT

    # And once it can be stored, the retry records both
    monkeypatch.undo()
    record_answer(fake_services, workflows, station, message_id)
    [command] = fake_services.commands.list_for_charge_point("CP-1", 1).items
    assert command.status is CommandStatus.ACCEPTED
    assert installed(fake_services) == [(1, 0, "ChargePointMaxProfile", None)]
