"""The workflow's steps as the worker performs them, over in-memory fakes."""

import json
from datetime import datetime, timedelta
from typing import Any

import pytest

from csms.commands.models import Command, CommandError, CommandStatus, PendingCall
from csms.commands.shortcuts import ResetType
from csms.commands.workflow_definition import Step, StepError
from csms.domain.models import BootInfo, SentNotification, Transaction, TransactionStatus
from csms.services import Services
from csms.timeutil import format_timestamp
from csms.wire.versions import OcppVersion
from tests.fakes import FixedClock, RecordingSender, RecordingWorkflows

V16, V201 = OcppVersion.V16, OcppVersion.V201
TOKEN = "task-token"
ACCEPTED = {"status": "Accepted"}
FIRMWARE_16 = {"location": "https://fw.example.com/1.bin", "retrieveDate": "2026-11-23T12:00:00Z"}
BUSY = CommandError("ChargePointBusy", "Other commands kept the charge point busy")
UNREADABLE = CommandError("InvalidResponse", "The response does not match the schema of the action")


@pytest.fixture
def services(fake_services: Services) -> Services:
    fake_services.charge_points.connected("CP-1", "conn-1", V16)
    fake_services.charge_points.connected("CP-2", "conn-2", V201)
    return fake_services


def perform(services: Services, step: Step, command: Command, **state: Any) -> None:
    state = {"commandId": command.command_id, "timeoutSeconds": services.settings.command_timeout_seconds, **state}
    services.command_workflow.perform(step, state, TOKEN)


def stored(services: Services, command: Command) -> Command:
    found = services.commands.get(command.command_id)
    assert found is not None
    return found


def sent(services: Services, command: Command) -> str:
    """Through AcquireLock and Send; returns the CALL's message id."""
    perform(services, Step.ACQUIRE_LOCK, command)
    perform(services, Step.SEND, command)
    message_id = stored(services, command).message_id
    assert message_id is not None
    return message_id


def answered(services: Services, command: Command, response: dict[str, Any]) -> None:
    """Through Send and RecordAnswer, as if the charge point answered `response` now."""
    sent(services, command)
    answer = {"response": response, "answeredAt": format_timestamp(services.clock.now())}
    perform(services, Step.RECORD_ANSWER, command, answer=answer)


# AcquireLock and Send -------------------------------------------------------------------------


def test_one_command_at_a_time_holds_a_charge_points_lock(services: Services, workflows: RecordingWorkflows) -> None:
    first = services.commands.submit("CP-1", "ClearCache", {})
    second = services.commands.submit("CP-1", "ClearCache", {})
    elsewhere = services.commands.submit("CP-2", "ClearCache", {})

    perform(services, Step.ACQUIRE_LOCK, first)
    perform(services, Step.ACQUIRE_LOCK, second)
    perform(services, Step.ACQUIRE_LOCK, elsewhere)

    assert workflows.succeeded == [(TOKEN, {}), (TOKEN, {})]
    assert workflows.failed == [(TOKEN, StepError.CHARGE_POINT_BUSY, "CP-1 has a call outstanding")]


def test_a_lock_outlives_the_answer_timeout_by_a_grace_only(services: Services, clock: FixedClock) -> None:
    # Given a command that took the lock, and whose workflow then died without releasing it
    perform(services, Step.ACQUIRE_LOCK, services.commands.submit("CP-1", "ClearCache", {}))

    # Then another command may take it over once the answer timeout and 30 s have passed
    held_until = clock.now() + timedelta(seconds=services.settings.command_timeout_seconds + 30)
    calls = services.repositories.calls
    assert not calls.acquire_lock("CP-1", "another", held_until, held_until)
    assert calls.acquire_lock("CP-1", "another", held_until + timedelta(seconds=1), held_until)


def test_an_offline_charge_point_fails_at_once(services: Services, workflows: RecordingWorkflows) -> None:
    command = services.commands.submit("CP-1", "ClearCache", {})
    services.charge_points.disconnected("conn-1", "CP-1")

    perform(services, Step.ACQUIRE_LOCK, command)

    assert workflows.failed == [(TOKEN, StepError.OFFLINE, "CP-1 is not connected")]
    assert services.repositories.calls.locks == {}  # type: ignore[attr-defined]


def test_send_puts_the_call_on_the_wire_and_leaves_the_token_to_the_answer(
    services: Services, sender: RecordingSender, workflows: RecordingWorkflows
) -> None:
    command = services.commands.submit("CP-1", "ChangeConfiguration", {"key": "K", "value": "V"})
    perform(services, Step.ACQUIRE_LOCK, command)
    workflows.succeeded.clear()

    perform(services, Step.SEND, command)

    # The CALL went out on the charge point's connection
    ((connection_id, frame),) = sender.sent
    message_type, message_id, action, payload = json.loads(frame)
    assert (connection_id, message_type, action, payload) == ("conn-1", 2, "ChangeConfiguration", command.request)
    # The command is Sent, with the message id and the connection
    after = stored(services, command)
    assert (after.status, after.message_id, after.connection_id) == (CommandStatus.SENT, message_id, "conn-1")
    assert after.sent_at == services.clock.now()
    # The call waits for its answer with the task token, which nothing completed yet
    pending = services.repositories.calls.pending[("CP-1", message_id)]  # type: ignore[attr-defined]
    assert pending == PendingCall("CP-1", message_id, "ChangeConfiguration", command.command_id, TOKEN, after.sent_at)
    assert workflows.succeeded == []
    assert workflows.failed == []


def test_a_gone_connection_fails_offline_and_disconnects_the_charge_point(
    services: Services, sender: RecordingSender, workflows: RecordingWorkflows
) -> None:
    command = services.commands.submit("CP-1", "ClearCache", {})
    perform(services, Step.ACQUIRE_LOCK, command)
    sender.gone.add("conn-1")

    perform(services, Step.SEND, command)

    assert workflows.failed == [(TOKEN, StepError.OFFLINE, "CP-1's connection is gone")]
    charge_point = services.repositories.charge_points.get("CP-1")
    assert charge_point is not None
    assert not charge_point.connected


def test_an_unexpected_error_fails_the_step_as_a_worker_error(
    services: Services, workflows: RecordingWorkflows
) -> None:
    services.command_workflow.perform(Step.SEND, {"commandId": "no-such-command"}, TOKEN)

    assert workflows.failed == [(TOKEN, StepError.WORKER_ERROR, "LookupError: No command no-such-command")]


# RecordAnswer -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("response", "status"),
    [
        (ACCEPTED, CommandStatus.ACCEPTED),
        ({"status": "RebootRequired"}, CommandStatus.ACCEPTED),
        ({"status": "Rejected"}, CommandStatus.REJECTED),
        ({"status": "NotSupported"}, CommandStatus.REJECTED),
        ({"configurationKey": [], "unknownKey": ["X"]}, CommandStatus.ACCEPTED),  # no status field
    ],
)
def test_the_answer_decides_accepted_or_rejected(
    services: Services, workflows: RecordingWorkflows, response: dict[str, Any], status: CommandStatus
) -> None:
    command = services.commands.submit("CP-1", "ClearCache", {})

    answered(services, command, response)

    after = stored(services, command)
    assert (after.status, after.response, after.error) == (status, response, None)
    assert after.answered_at == after.finished_at == services.clock.now()
    assert workflows.succeeded[-1] == (TOKEN, {"waiting": False})


def test_an_accepted_command_with_a_follow_up_waits_for_it(services: Services, workflows: RecordingWorkflows) -> None:
    command = services.commands.submit("CP-1", "Reset", {"type": "Soft"})

    answered(services, command, ACCEPTED)

    after = stored(services, command)
    assert after.status is CommandStatus.ACCEPTED
    assert after.finished_at is None
    poll = services.settings.command_poll_interval_seconds
    assert workflows.succeeded[-1] == (TOKEN, {"waiting": True, "waitSeconds": poll})


def test_a_rejected_command_has_no_follow_up(services: Services, workflows: RecordingWorkflows) -> None:
    command = services.commands.submit("CP-1", "Reset", {"type": "Soft"})

    answered(services, command, {"status": "Rejected"})

    assert stored(services, command).finished_at is not None
    assert workflows.succeeded[-1] == (TOKEN, {"waiting": False})


# CheckFollowUp ----------------------------------------------------------------------------------


def check(services: Services, command: Command, workflows: RecordingWorkflows) -> dict[str, Any]:
    perform(services, Step.CHECK_FOLLOW_UP, command)
    _, output = workflows.succeeded[-1]
    return output


def transaction(
    charge_point_id: str,
    transaction_id: str,
    started_at: datetime,
    status: TransactionStatus = TransactionStatus.ACTIVE,
    **fields: Any,
) -> Transaction:
    version = V16 if charge_point_id == "CP-1" else V201
    return Transaction(charge_point_id, transaction_id, version, status, started_at, **fields)


def test_a_remote_start_waits_for_its_transaction(
    services: Services, workflows: RecordingWorkflows, clock: FixedClock
) -> None:
    command = services.commands.start("CP-1", "TAG", connector_id=1)
    answered(services, command, ACCEPTED)
    transactions = services.repositories.transactions
    # Transactions that are not the one: another token, another connector, one long over
    transactions.create_once(transaction("CP-1", "1", clock.now(), id_token="OTHER", connector_id=1))
    transactions.create_once(transaction("CP-1", "2", clock.now(), id_token="TAG", connector_id=2))
    earlier = clock.now() - timedelta(hours=1)
    transactions.create_once(
        transaction("CP-1", "3", earlier, TransactionStatus.COMPLETED, id_token="TAG", connector_id=1)
    )

    # While it has not started, the follow-up waits
    clock.advance(seconds=5)
    assert check(services, command, workflows)["waiting"] is True
    assert stored(services, command).result is None

    # Once it started (by the charge point's clock, a little behind), the result has its id
    started = clock.now() - timedelta(minutes=1)
    transactions.create_once(transaction("CP-1", "4", started, id_token="TAG", connector_id=1))
    assert check(services, command, workflows) == {"waiting": False}
    after = stored(services, command)
    assert after.result == {"transactionStarted": True, "transactionId": "4"}
    assert (after.status, after.finished_at) == (CommandStatus.ACCEPTED, clock.now())


def test_a_201_remote_start_matches_the_evse_and_an_ongoing_transaction(
    services: Services, workflows: RecordingWorkflows, clock: FixedClock
) -> None:
    """A 2.0.1 transaction may have begun when the cable was plugged in, before the command."""
    command = services.commands.start("CP-2", "TAG", evse_id=2)
    answered(services, command, ACCEPTED)
    earlier = clock.now() - timedelta(hours=1)
    services.repositories.transactions.create_once(transaction("CP-2", "tx-a", earlier, id_token="TAG", evse_id=1))
    services.repositories.transactions.create_once(transaction("CP-2", "tx-b", earlier, id_token="TAG", evse_id=2))

    check(services, command, workflows)

    assert stored(services, command).result == {"transactionStarted": True, "transactionId": "tx-b"}


def test_a_follow_up_gives_up_at_its_deadline(
    services: Services, workflows: RecordingWorkflows, clock: FixedClock
) -> None:
    command = services.commands.start("CP-1", "TAG")
    answered(services, command, ACCEPTED)

    clock.advance(seconds=services.settings.command_follow_up_timeout_seconds - 1)
    assert check(services, command, workflows)["waiting"] is True
    clock.advance(seconds=1)
    assert check(services, command, workflows) == {"waiting": False}

    after = stored(services, command)
    assert after.result == {"transactionStarted": False}
    assert after.status is CommandStatus.ACCEPTED


def test_follow_ups_are_polled_less_often_as_time_goes_by(
    services: Services, workflows: RecordingWorkflows, clock: FixedClock
) -> None:
    command = services.commands.submit(
        "CP-1", "UpdateFirmware", {"location": "x", "retrieveDate": "2026-11-23T12:00:00Z"}
    )
    answered(services, command, {})
    poll = services.settings.command_poll_interval_seconds
    waits = []
    for elapsed in (1, 100, 400, 3000, 3599):
        clock.current = stored(services, command).answered_at + timedelta(seconds=elapsed)  # type: ignore[operator]
        waits.append(check(services, command, workflows)["waitSeconds"])

    # A tenth of the time waited, at least the poll interval, at most a minute, never past the deadline
    assert waits == [poll, max(poll, 10), 40, 60, 1]


def test_a_reset_waits_until_the_charge_point_is_back(
    services: Services, workflows: RecordingWorkflows, clock: FixedClock
) -> None:
    command = services.commands.reset("CP-1", ResetType.HARD)
    answered(services, command, ACCEPTED)

    # Disconnected for the reset: not back yet
    services.charge_points.disconnected("conn-1", "CP-1")
    clock.advance(seconds=5)
    assert check(services, command, workflows)["waiting"] is True

    # Reconnected on a new connection and booted
    clock.advance(seconds=5)
    services.charge_points.connected("CP-1", "conn-1b", V16)
    services.charge_points.booted("CP-1", BootInfo("Acme", "AC-22"))
    assert check(services, command, workflows) == {"waiting": False}
    assert stored(services, command).result == {"cameBack": True, "booted": True, "reconnected": True}


def test_a_boot_on_the_same_connection_is_back_too(
    services: Services, workflows: RecordingWorkflows, clock: FixedClock
) -> None:
    command = services.commands.reset("CP-1", ResetType.SOFT)
    answered(services, command, ACCEPTED)
    clock.advance(seconds=5)
    services.charge_points.booted("CP-1", BootInfo("Acme", "AC-22"))

    check(services, command, workflows)

    assert stored(services, command).result == {"cameBack": True, "booted": True, "reconnected": False}


def test_a_reset_that_never_comes_back(services: Services, workflows: RecordingWorkflows, clock: FixedClock) -> None:
    command = services.commands.reset("CP-1", ResetType.SOFT)
    answered(services, command, ACCEPTED)
    services.charge_points.disconnected("conn-1", "CP-1")

    clock.advance(seconds=services.settings.command_follow_up_timeout_seconds)
    check(services, command, workflows)

    assert stored(services, command).result == {"cameBack": False}


def firmware_status(services: Services, charge_point_id: str, status: str, **fields: Any) -> None:
    services.charge_points.notified(
        charge_point_id, SentNotification("FirmwareStatusNotification", f"fw-{status}", {"status": status, **fields})
    )


@pytest.mark.parametrize(
    ("statuses", "result"),
    [
        (["Downloading", "Downloaded", "Installing", "Installed"], {"installed": True, "firmwareStatus": "Installed"}),
        (["Downloading", "DownloadFailed"], {"installed": False, "firmwareStatus": "DownloadFailed"}),
        (
            ["Downloaded", "Installing", "InstallationFailed"],
            {"installed": False, "firmwareStatus": "InstallationFailed"},
        ),
    ],
)
def test_a_firmware_update_follows_the_status_notifications(
    services: Services, workflows: RecordingWorkflows, clock: FixedClock, statuses: list[str], result: dict[str, Any]
) -> None:
    firmware_status(services, "CP-1", "Installed")  # an earlier update's
    clock.advance(seconds=1)
    command = services.commands.submit(
        "CP-1", "UpdateFirmware", {"location": "x", "retrieveDate": "2026-11-23T12:00:00Z"}
    )
    answered(services, command, {})

    for status in statuses[:-1]:
        firmware_status(services, "CP-1", status)
        assert check(services, command, workflows)["waiting"] is True
    firmware_status(services, "CP-1", statuses[-1])
    assert check(services, command, workflows) == {"waiting": False}

    assert stored(services, command).result == result


def test_a_201_firmware_update_follows_only_its_request(
    services: Services, workflows: RecordingWorkflows, clock: FixedClock
) -> None:
    firmware = {"location": "https://fw.example.com/2.bin", "retrieveDateTime": "2026-11-23T12:00:00Z"}
    command = services.commands.submit("CP-2", "UpdateFirmware", {"requestId": 7, "firmware": firmware})
    answered(services, command, ACCEPTED)

    firmware_status(services, "CP-2", "Installed", requestId=6)
    assert check(services, command, workflows)["waiting"] is True
    firmware_status(services, "CP-2", "Installed", requestId=7)
    check(services, command, workflows)

    assert stored(services, command).result == {"installed": True, "firmwareStatus": "Installed"}


def test_a_firmware_update_that_does_not_finish_in_time(
    services: Services, workflows: RecordingWorkflows, clock: FixedClock
) -> None:
    command = services.commands.submit(
        "CP-1", "UpdateFirmware", {"location": "x", "retrieveDate": "2026-11-23T12:00:00Z"}
    )
    answered(services, command, {})
    firmware_status(services, "CP-1", "Downloading")

    clock.advance(seconds=services.settings.firmware_update_timeout_seconds)
    check(services, command, workflows)

    assert stored(services, command).result == {"installed": False, "firmwareStatus": "Downloading"}


# RecordFailure ----------------------------------------------------------------------------------


def fail(services: Services, command: Command, error: str, cause: str | None = None) -> Command:
    perform(services, Step.RECORD_FAILURE, command, failure={"Error": error, "Cause": cause})
    return stored(services, command)


def test_no_answer_in_time_is_timed_out_and_frees_the_charge_point(services: Services, clock: FixedClock) -> None:
    command = services.commands.submit("CP-1", "ClearCache", {})
    sent(services, command)

    clock.advance(seconds=30)
    after = fail(services, command, StepError.TIMEOUT)

    assert after.status is CommandStatus.TIMED_OUT
    assert after.error == CommandError("Timeout", "The charge point did not answer in time")
    assert (after.answered_at, after.finished_at) == (None, clock.now())
    assert services.repositories.calls.locks == {}  # type: ignore[attr-defined]


def test_offline_is_recorded_as_such(services: Services) -> None:
    command = services.commands.submit("CP-1", "ClearCache", {})

    after = fail(services, command, StepError.OFFLINE, "CP-1 is not connected")

    assert (after.status, after.error) == (CommandStatus.OFFLINE, CommandError("Offline", "CP-1 is not connected"))


def test_a_callerror_is_recorded_as_the_charge_point_sent_it(services: Services, clock: FixedClock) -> None:
    """Step Functions may drop the cause (moto does): the answer itself is read back."""
    command = services.commands.submit("CP-1", "ClearCache", {})
    message_id = sent(services, command)
    error = {"errorCode": "NotSupported", "errorDescription": "No cache here", "errorDetails": {}}
    services.repositories.calls.claim_answer("CP-1", message_id, clock.now(), error=error)
    answered_at = clock.now()

    clock.advance(seconds=1)
    after = fail(services, command, "NotSupported", None)

    assert after.status is CommandStatus.FAILED
    assert after.error == CommandError("NotSupported", "No cache here")
    assert (after.answered_at, after.finished_at) == (answered_at, clock.now())


def test_an_invalid_response_is_a_failure(services: Services, clock: FixedClock) -> None:
    command = services.commands.submit("CP-1", "ClearCache", {})
    message_id = sent(services, command)
    services.repositories.calls.claim_answer("CP-1", message_id, clock.now(), payload={"status": "Maybe"})

    after = fail(services, command, StepError.INVALID_RESPONSE, "FormationViolation: 'Maybe' is not one of ...")

    assert after.status is CommandStatus.FAILED
    assert after.error == CommandError("InvalidResponse", "FormationViolation: 'Maybe' is not one of ...")
    assert after.answered_at == clock.now()


@pytest.mark.parametrize(
    ("error", "cause", "reason"),
    [
        (
            StepError.CHARGE_POINT_BUSY,
            None,
            CommandError("ChargePointBusy", "Other commands kept the charge point busy"),
        ),
        (
            StepError.INVALID_RESPONSE,
            None,
            CommandError("InvalidResponse", "The response does not match the schema of the action"),
        ),
        (StepError.WORKER_ERROR, "KeyError: 'x'", CommandError("WorkerError", "KeyError: 'x'")),
        ("States.Runtime", "bad path", CommandError("States.Runtime", "bad path")),
    ],
)
def test_other_failures_keep_their_error_name(
    services: Services, error: str, cause: str | None, reason: CommandError
) -> None:
    command = services.commands.submit("CP-1", "ClearCache", {})

    after = fail(services, command, error, cause)

    assert (after.status, after.error) == (CommandStatus.FAILED, reason)


def test_a_failing_follow_up_keeps_the_answer(services: Services) -> None:
    command = services.commands.reset("CP-1", ResetType.SOFT)
    answered(services, command, ACCEPTED)

    after = fail(services, command, StepError.WORKER_ERROR, "boom")

    assert (after.status, after.response, after.error) == (CommandStatus.ACCEPTED, ACCEPTED, None)
    assert after.result == {"error": {"code": "WorkerError", "description": "boom"}}


def test_only_the_failing_commands_lock_is_released(services: Services) -> None:
    holder = services.commands.submit("CP-1", "ClearCache", {})
    waiting = services.commands.submit("CP-1", "ClearCache", {})
    perform(services, Step.ACQUIRE_LOCK, holder)

    fail(services, waiting, StepError.CHARGE_POINT_BUSY)

    assert services.repositories.calls.locks["CP-1"][0] == holder.command_id  # type: ignore[attr-defined]
