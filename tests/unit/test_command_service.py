"""Submitting commands: validated against the charge point's version before anything is started."""

from typing import Any

import pytest

from csms.commands.errors import (
    CommandQueueFullError,
    InvalidCommandError,
    UnknownChargePointError,
    VersionUnknownError,
)
from csms.commands.models import CommandError, CommandStatus, FollowUp, FollowUpKind
from csms.commands.shortcuts import MAX_REMOTE_START_ID, Availability, ResetType
from csms.commands.workflow_definition import Step
from csms.composition import Services
from csms.domain.pagination import InvalidPageTokenError
from csms.wire.versions import OcppVersion
from tests.fakes import FixedClock, RecordingWorkflows

V16, V201 = OcppVersion.V16, OcppVersion.V201
CHARGE_POINTS = {V16: "CP-16", V201: "CP-201"}


@pytest.fixture
def services(fake_services: Services) -> Services:
    for version, charge_point_id in CHARGE_POINTS.items():
        fake_services.charge_points.connected(charge_point_id, f"conn-{charge_point_id}", version)
    return fake_services


def test_a_valid_command_is_stored_pending_and_its_workflow_started(
    services: Services, workflows: RecordingWorkflows
) -> None:
    # When an operator submits a command
    command = services.commands.submit("CP-16", "ChangeConfiguration", {"key": "HeartbeatInterval", "value": "60"})

    # Then its workflow is started under the command's id, with the answer timeout of the settings
    assert workflows.started == [
        (
            command.command_id,
            {
                "commandId": command.command_id,
                "chargePointId": "CP-16",
                "action": "ChangeConfiguration",
                "timeoutSeconds": services.settings.command_timeout_seconds,
            },
        )
    ]
    # And it is stored as Pending with the execution's ARN
    stored = services.commands.get(command.command_id)
    assert stored == command
    assert stored.status is CommandStatus.PENDING
    assert stored.ocpp_version is V16
    assert stored.request == {"key": "HeartbeatInterval", "value": "60"}
    assert stored.created_at == services.clock.now()
    assert stored.execution_arn == f"arn:aws:states:us-east-1:123456789012:execution:commands:{command.command_id}"
    assert stored.follow_up is None
    assert stored.ticket == 1  # the first in the charge point's queue


def test_each_command_takes_the_next_ticket_of_its_charge_point(services: Services) -> None:
    tickets = [services.commands.submit(cp, "ClearCache", {}).ticket for cp in ("CP-16", "CP-201", "CP-16")]

    assert tickets == [1, 1, 2]


def test_a_101st_queued_command_is_refused_at_once(services: Services, workflows: RecordingWorkflows) -> None:
    for _ in range(100):
        services.commands.submit("CP-16", "ClearCache", {})
    assert services.settings.command_queue_limit == 100

    with pytest.raises(CommandQueueFullError, match="CP-16 has 100 commands queued already"):
        services.commands.submit("CP-16", "ClearCache", {})

    # Nothing stored or started for it; other charge points queue on
    assert len(services.commands.list_for_charge_point("CP-16", 500).items) == len(workflows.started) == 100
    assert services.commands.submit("CP-201", "ClearCache", {}).ticket == 1


def test_unknown_charge_point(services: Services, workflows: RecordingWorkflows) -> None:
    with pytest.raises(UnknownChargePointError):
        services.commands.submit("CP-404", "ClearCache", {})
    assert workflows.started == []


def test_a_charge_point_that_never_connected_has_no_known_version(
    services: Services, workflows: RecordingWorkflows
) -> None:
    services.repositories.charge_points.register("CP-NEW", None, services.clock.now())

    with pytest.raises(VersionUnknownError):
        services.commands.submit("CP-NEW", "ClearCache", {})
    assert workflows.started == []


@pytest.mark.parametrize(
    ("version", "action"),
    [
        (V16, "BootNotification"),  # a charge point's action, not the CSMS's
        (V16, "RequestStartTransaction"),  # 2.0.1 only
        (V201, "RemoteStartTransaction"),  # 1.6 only
        (V201, "GetConfiguration"),
        (V16, "Frobnicate"),
        (V16, "../v201/schemas/ResetRequest"),
    ],
)
def test_an_action_the_version_does_not_send_to_charge_points_is_invalid(
    services: Services, workflows: RecordingWorkflows, version: OcppVersion, action: str
) -> None:
    with pytest.raises(InvalidCommandError) as refused:
        services.commands.submit(CHARGE_POINTS[version], action, {})

    assert refused.value.reasons == [f"{action} is not an action OCPP {version.value} sends to a charge point"]
    assert workflows.started == []
    assert services.commands.list_for_charge_point(CHARGE_POINTS[version], 10).items == []


def test_every_schema_violation_is_a_reason(services: Services, workflows: RecordingWorkflows) -> None:
    # When a payload breaks its schema in several places
    with pytest.raises(InvalidCommandError) as refused:
        services.commands.submit(
            "CP-201", "SetVariables", {"setVariableData": [{"attributeValue": 5, "variable": {"name": "X"}}]}
        )

    # Then each violation is reported with where it is, and nothing is started
    assert refused.value.reasons == [
        "setVariableData/0: 'component' is a required property",
        "setVariableData/0/attributeValue: 5 is not of type 'string'",
    ]
    assert workflows.started == []


def test_unknown_properties_are_violations(services: Services) -> None:
    with pytest.raises(InvalidCommandError) as refused:
        services.commands.submit("CP-16", "Reset", {"type": "Sideways", "delay": 5})

    assert refused.value.reasons == [
        "payload: Additional properties are not allowed ('delay' was unexpected)",
        "type: 'Sideways' is not one of ['Hard', 'Soft']",
    ]


def test_decimals_are_validated_as_ocpp_16_requires(services: Services) -> None:
    """SetChargingProfile limits are multiples of 0.1, which binary floats cannot be."""
    profile = {
        "chargingProfileId": 1,
        "stackLevel": 0,
        "chargingProfilePurpose": "TxDefaultProfile",
        "chargingProfileKind": "Absolute",
        "chargingSchedule": {"chargingRateUnit": "A", "chargingSchedulePeriod": [{"startPeriod": 0, "limit": 21.3}]},
    }

    command = services.commands.submit("CP-16", "SetChargingProfile", {"connectorId": 1, "csChargingProfiles": profile})

    assert command.status is CommandStatus.PENDING


@pytest.mark.parametrize(
    ("action", "payload", "follow_up"),
    [
        ("RemoteStartTransaction", {"idTag": "TAG"}, FollowUp(FollowUpKind.TRANSACTION_STARTED, 300)),
        ("Reset", {"type": "Hard"}, FollowUp(FollowUpKind.BACK_ONLINE, 300)),
        (
            "UpdateFirmware",
            {"location": "https://fw.example.com/1.bin", "retrieveDate": "2026-11-23T12:00:00Z"},
            FollowUp(FollowUpKind.FIRMWARE_INSTALLED, 3600),
        ),
        ("ClearCache", {}, None),
    ],
)
def test_actions_with_a_follow_up_get_it_by_default(
    services: Services, action: str, payload: dict[str, Any], follow_up: FollowUp | None
) -> None:
    assert services.commands.submit("CP-16", action, payload).follow_up == follow_up


def test_a_follow_up_can_be_chosen(services: Services) -> None:
    follow_up = FollowUp(FollowUpKind.BACK_ONLINE, 30)

    command = services.commands.submit("CP-16", "ChangeConfiguration", {"key": "K", "value": "V"}, follow_up)

    assert services.commands.get(command.command_id).follow_up == follow_up  # type: ignore[union-attr]


def test_a_workflow_that_cannot_start_fails_the_command(services: Services, workflows: RecordingWorkflows) -> None:
    # Given Step Functions refusing executions
    def refuse(name: str, execution_input: dict[str, Any]) -> str:
        raise RuntimeError("throttled")

    workflows.start = refuse  # type: ignore[method-assign]

    # When a command is submitted, the error surfaces
    with pytest.raises(RuntimeError, match="throttled"):
        services.commands.submit("CP-16", "ClearCache", {})

    # And the command is not left Pending forever
    (command,) = services.commands.list_for_charge_point("CP-16", 10).items
    assert command.status is CommandStatus.FAILED
    assert command.error == CommandError("NotStarted", "The workflow could not be started: throttled")
    assert command.finished_at == services.clock.now()
    # Nor does the queue wait for it: the next command gets its turn at once
    del workflows.start
    following = services.commands.submit("CP-16", "ClearCache", {})
    services.command_workflow.perform(Step.ACQUIRE_LOCK, {"commandId": following.command_id, "timeoutSeconds": 30}, "t")
    assert workflows.succeeded == [("t", {})]


def test_commands_are_listed_newest_first_in_pages(services: Services, clock: FixedClock) -> None:
    ids = []
    for _ in range(3):
        ids.append(services.commands.submit("CP-16", "ClearCache", {}).command_id)
        clock.advance(seconds=1)
    services.commands.submit("CP-201", "ClearCache", {})

    first = services.commands.list_for_charge_point("CP-16", 2)
    second = services.commands.list_for_charge_point("CP-16", 2, first.next_token)

    assert [c.command_id for c in first.items + second.items] == ids[::-1]
    assert second.next_token is None


def test_listing_an_unknown_charge_point(services: Services) -> None:
    with pytest.raises(UnknownChargePointError):
        services.commands.list_for_charge_point("CP-404", 10)


def test_a_foreign_page_token_is_refused(services: Services) -> None:
    with pytest.raises(InvalidPageTokenError):
        services.commands.list_for_charge_point("CP-16", 10, "not-a-token")


# Version-independent shortcuts ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("version", "call", "action", "payload"),
    [
        (V16, lambda c, cp: c.start(cp, "TAG"), "RemoteStartTransaction", {"idTag": "TAG"}),
        (
            V16,
            lambda c, cp: c.start(cp, "TAG", connector_id=2),
            "RemoteStartTransaction",
            {"idTag": "TAG", "connectorId": 2},
        ),
        (V16, lambda c, cp: c.stop(cp, "42"), "RemoteStopTransaction", {"transactionId": 42}),
        (V201, lambda c, cp: c.stop(cp, "tx-9"), "RequestStopTransaction", {"transactionId": "tx-9"}),
        (V16, lambda c, cp: c.reset(cp, ResetType.SOFT), "Reset", {"type": "Soft"}),
        (V16, lambda c, cp: c.reset(cp, ResetType.HARD), "Reset", {"type": "Hard"}),
        (V201, lambda c, cp: c.reset(cp, ResetType.SOFT), "Reset", {"type": "OnIdle"}),
        (V201, lambda c, cp: c.reset(cp, ResetType.HARD), "Reset", {"type": "Immediate"}),
        (V16, lambda c, cp: c.unlock(cp, connector_id=1), "UnlockConnector", {"connectorId": 1}),
        (V201, lambda c, cp: c.unlock(cp, evse_id=2), "UnlockConnector", {"evseId": 2, "connectorId": 1}),
        (
            V201,
            lambda c, cp: c.unlock(cp, connector_id=2, evse_id=1),
            "UnlockConnector",
            {"evseId": 1, "connectorId": 2},
        ),
        (
            V16,
            lambda c, cp: c.availability(cp, Availability.INOPERATIVE),
            "ChangeAvailability",
            {"connectorId": 0, "type": "Inoperative"},
        ),
        (
            V16,
            lambda c, cp: c.availability(cp, Availability.OPERATIVE, connector_id=2),
            "ChangeAvailability",
            {"connectorId": 2, "type": "Operative"},
        ),
        (
            V201,
            lambda c, cp: c.availability(cp, Availability.INOPERATIVE),
            "ChangeAvailability",
            {"operationalStatus": "Inoperative"},
        ),
        (
            V201,
            lambda c, cp: c.availability(cp, Availability.OPERATIVE, evse_id=1),
            "ChangeAvailability",
            {"operationalStatus": "Operative", "evse": {"id": 1}},
        ),
        (
            V201,
            lambda c, cp: c.availability(cp, Availability.OPERATIVE, connector_id=2, evse_id=1),
            "ChangeAvailability",
            {"operationalStatus": "Operative", "evse": {"id": 1, "connectorId": 2}},
        ),
    ],
)
def test_shortcuts_use_the_action_and_payload_of_the_charge_points_version(
    services: Services, version: OcppVersion, call: Any, action: str, payload: dict[str, Any]
) -> None:
    command = call(services.commands, CHARGE_POINTS[version])

    assert (command.action, command.request) == (action, payload)
    assert command.ocpp_version is version


def test_a_201_remote_start_is_central_and_carries_a_remote_start_id(services: Services) -> None:
    command = services.commands.start("CP-201", "TAG", evse_id=1)

    assert command.action == "RequestStartTransaction"
    remote_start_id = command.request.pop("remoteStartId")
    assert 0 < remote_start_id <= MAX_REMOTE_START_ID
    assert command.request == {"idToken": {"idToken": "TAG", "type": "Central"}, "evseId": 1}
    assert command.follow_up == FollowUp(FollowUpKind.TRANSACTION_STARTED, 300)


@pytest.mark.parametrize(
    ("version", "call", "reason"),
    [
        (V16, lambda c, cp: c.start(cp, "TAG", evse_id=1), "OCPP 1.6 has no evseId; use connectorId"),
        (
            V201,
            lambda c, cp: c.start(cp, "TAG", connector_id=1),
            "OCPP 2.0.1 has no connectorId in RequestStartTransaction; use evseId",
        ),
        (V16, lambda c, cp: c.stop(cp, "tx-9"), "OCPP 1.6 transaction ids are integers, not 'tx-9'"),
        (V16, lambda c, cp: c.unlock(cp), "connectorId is required"),
        (V16, lambda c, cp: c.unlock(cp, evse_id=1), "OCPP 1.6 has no evseId; use connectorId"),
        (
            V201,
            lambda c, cp: c.unlock(cp, connector_id=1),
            "evseId is required (and connectorId, 1 by default) for OCPP 2.0.1",
        ),
        (
            V16,
            lambda c, cp: c.availability(cp, Availability.OPERATIVE, evse_id=1),
            "OCPP 1.6 has no evseId; use connectorId",
        ),
        (
            V201,
            lambda c, cp: c.availability(cp, Availability.OPERATIVE, connector_id=1),
            "OCPP 2.0.1 addresses a connector within an EVSE: give evseId too",
        ),
        (V16, lambda c, cp: c.start(cp, "T" * 21), "idTag: 'TTTTTTTTTTTTTTTTTTTTT' is too long"),
    ],
)
def test_shortcuts_refuse_what_the_version_cannot_express(
    services: Services, workflows: RecordingWorkflows, version: OcppVersion, call: Any, reason: str
) -> None:
    with pytest.raises(InvalidCommandError) as refused:
        call(services.commands, CHARGE_POINTS[version])

    assert refused.value.reasons == [reason]
    assert workflows.started == []
