"""The workflow's steps as the worker performs them, over in-memory fakes."""

import json
from datetime import datetime, timedelta
from typing import Any

import pytest

from csms.commands.models import Command, CommandError, CommandStatus, PendingCall
from csms.commands.queue import PARK_LEASE
from csms.commands.shortcuts import ResetType
from csms.commands.workflow_definition import QUEUE_TIMEOUT_SECONDS, Step, StepError
from csms.composition import Services
from csms.domain.models import BootInfo, SentNotification, Transaction, TransactionStatus
from csms.timeutil import format_timestamp
from csms.wire.versions import OcppVersion
from tests.fakes import FixedClock, RecordingSender, RecordingWorkflows
from tests.unit.stations import CALLRESULT, Station

V16, V201 = OcppVersion.V16, OcppVersion.V201
TOKEN = "task-token"
ACCEPTED = {"status": "Accepted"}
FIRMWARE_16 = {"location": "https://fw.example.com/1.bin", "retrieveDate": "2026-11-23T12:00:00Z"}
UNREADABLE = CommandError("InvalidResponse", "The response does not match the schema of the action")


@pytest.fixture
def services(fake_services: Services) -> Services:
    fake_services.charge_points.connected("CP-1", "conn-1", V16)
    fake_services.charge_points.connected("CP-2", "conn-2", V201)
    return fake_services


def perform(services: Services, step: Step, command: Command, token: str = TOKEN, **state: Any) -> None:
    state = {"commandId": command.command_id, "timeoutSeconds": services.settings.command_timeout_seconds, **state}
    services.command_workflow.perform(step, state, token)


def turns(workflows: RecordingWorkflows) -> list[str]:
    """The AcquireLock tokens completed (those these tests name `lock-...`), in order: whose turn came."""
    return [token for token, _ in workflows.succeeded if token.startswith("lock-")]


def gets_its_turn(services: Services, workflows: RecordingWorkflows) -> bool:
    """Whether a command submitted to CP-1 now is given the charge point at once."""
    command = services.commands.submit("CP-1", "ClearCache", {})
    perform(services, Step.ACQUIRE_LOCK, command, f"lock-{command.command_id}")
    return f"lock-{command.command_id}" in turns(workflows)


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

    perform(services, Step.ACQUIRE_LOCK, first, "lock-1")
    perform(services, Step.ACQUIRE_LOCK, second, "lock-2")
    perform(services, Step.ACQUIRE_LOCK, elsewhere, "lock-3")

    # The second waits for its turn, its token parked; nothing fails
    assert workflows.succeeded == [("lock-1", {}), ("lock-3", {})]
    assert workflows.failed == []


def test_the_next_command_gets_its_turn_when_the_first_is_answered(
    services: Services, workflows: RecordingWorkflows
) -> None:
    first = services.commands.submit("CP-1", "ClearCache", {})
    second = services.commands.submit("CP-1", "ClearCache", {})
    perform(services, Step.ACQUIRE_LOCK, first, "lock-1")
    perform(services, Step.ACQUIRE_LOCK, second, "lock-2")
    message_id = sent(services, first)

    Station(services, V16).send(json.dumps([CALLRESULT, message_id, ACCEPTED]))

    # The answer resumes the first's workflow, and the second's turn comes
    answer = {"response": ACCEPTED, "answeredAt": format_timestamp(services.clock.now())}
    assert (TOKEN, answer) in workflows.succeeded
    assert turns(workflows) == ["lock-1", "lock-2"]


def test_a_holder_whose_workflow_died_is_taken_over_after_the_answer_timeout_and_a_grace(
    services: Services, workflows: RecordingWorkflows, clock: FixedClock
) -> None:
    holder = services.commands.submit("CP-1", "ClearCache", {})
    waiting = services.commands.submit("CP-1", "ClearCache", {})
    perform(services, Step.ACQUIRE_LOCK, holder, "lock-1")  # and its workflow died holding the lock

    # The waiting command checks the queue again: the holder keeps the lock for the answer timeout and 30 s
    clock.advance(seconds=services.settings.command_timeout_seconds + 30)
    perform(services, Step.ACQUIRE_LOCK, waiting, "lock-2a")
    clock.advance(seconds=1)
    perform(services, Step.ACQUIRE_LOCK, waiting, "lock-2b")

    assert turns(workflows) == ["lock-1", "lock-2b"]


def test_an_offline_charge_point_fails_each_command_at_its_turn(
    services: Services, workflows: RecordingWorkflows
) -> None:
    commands = [services.commands.submit("CP-1", "ClearCache", {}) for _ in range(3)]
    services.charge_points.disconnected("conn-1", "CP-1")
    for number, command in enumerate(commands):
        perform(services, Step.ACQUIRE_LOCK, command, f"lock-{number}")

    for number, command in enumerate(commands):
        assert turns(workflows)[-1] == f"lock-{number}"  # its turn came
        perform(services, Step.SEND, command, f"send-{number}")
        assert workflows.failed[-1] == (f"send-{number}", StepError.OFFLINE, "CP-1 is not connected")
        assert fail(services, command, StepError.OFFLINE).status is CommandStatus.OFFLINE


def test_a_command_queued_longer_than_an_hour_times_out(
    services: Services, workflows: RecordingWorkflows, clock: FixedClock
) -> None:
    holder = services.commands.submit("CP-1", "ClearCache", {})
    waiting = services.commands.submit("CP-1", "ClearCache", {})
    perform(services, Step.ACQUIRE_LOCK, holder, "lock-1")

    clock.advance(seconds=QUEUE_TIMEOUT_SECONDS)
    perform(services, Step.ACQUIRE_LOCK, waiting, "lock-2")

    assert workflows.failed == [("lock-2", StepError.QUEUE_TIMEOUT, "Queued for more than 3600 s")]
    after = fail(services, waiting, StepError.QUEUE_TIMEOUT, "Queued for more than 3600 s")
    assert (after.status, after.error) == (
        CommandStatus.TIMED_OUT,
        CommandError("QueueTimeout", "Queued for more than 3600 s"),
    )


def test_a_command_whose_turn_passed_times_out(
    services: Services, workflows: RecordingWorkflows, clock: FixedClock
) -> None:
    """Its workflow was not seen for longer than a queue check and a grace: the queue went on without it."""
    late = services.commands.submit("CP-1", "ClearCache", {})
    clock.advance(seconds=PARK_LEASE.total_seconds() + 1)
    assert gets_its_turn(services, workflows)

    perform(services, Step.ACQUIRE_LOCK, late, "lock-late")

    assert workflows.failed == [("lock-late", StepError.QUEUE_TIMEOUT, "CP-1's ticket 1 was passed over")]


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
    assert pending == PendingCall(
        "CP-1", message_id, "ChangeConfiguration", command.command_id, TOKEN, after.sent_at, ticket=1
    )
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


def publish_status(services: Services, status: str, **fields: Any) -> None:
    services.charge_points.notified(
        "CP-2", SentNotification("PublishFirmwareStatusNotification", f"pub-{status}", {"status": status, **fields})
    )


def published(locations: list[str]) -> dict[str, Any]:
    return {"published": True, "locations": locations, "publishStatus": "Published"}


PUBLISH = {"location": "https://fw.example.com/3.bin", "checksum": "0" * 32, "requestId": 9}
LOCATIONS = ["http://lc.local/firmware/" + "0" * 32]


@pytest.mark.parametrize(
    ("statuses", "result"),
    [
        (["Downloading", "Downloaded", "ChecksumVerified", "Published"], published(LOCATIONS)),
        (["Downloading", "DownloadFailed"], {"published": False, "publishStatus": "DownloadFailed"}),
        (["Downloaded", "InvalidChecksum"], {"published": False, "publishStatus": "InvalidChecksum"}),
        (["ChecksumVerified", "PublishFailed"], {"published": False, "publishStatus": "PublishFailed"}),
    ],
)
def test_a_publish_firmware_follows_its_status_notifications_to_published_or_a_failure(
    services: Services, workflows: RecordingWorkflows, clock: FixedClock, statuses: list[str], result: dict[str, Any]
) -> None:
    publish_status(services, "Published", location=["http://old"], requestId=9)  # before this command
    clock.advance(seconds=1)
    command = services.commands.submit("CP-2", "PublishFirmware", PUBLISH)
    answered(services, command, ACCEPTED)

    for status in statuses[:-1]:
        publish_status(services, status, requestId=9)
        assert check(services, command, workflows)["waiting"] is True
    publish_status(services, "Published", location=["http://other"], requestId=8)  # another request's
    assert check(services, command, workflows)["waiting"] is True
    last = {"location": LOCATIONS} if statuses[-1] == "Published" else {}
    publish_status(services, statuses[-1], requestId=9, **last)
    assert check(services, command, workflows) == {"waiting": False}

    assert stored(services, command).result == result


def test_a_publish_firmware_that_does_not_finish_in_time(
    services: Services, workflows: RecordingWorkflows, clock: FixedClock
) -> None:
    command = services.commands.submit("CP-2", "PublishFirmware", PUBLISH)
    answered(services, command, ACCEPTED)
    publish_status(services, "Downloading", requestId=9)

    clock.advance(seconds=services.settings.firmware_update_timeout_seconds - 1)
    assert check(services, command, workflows)["waiting"] is True
    clock.advance(seconds=1)
    check(services, command, workflows)

    assert stored(services, command).result == {"published": False, "publishStatus": "Downloading"}


@pytest.mark.parametrize(
    ("status", "outcome"),
    [
        ("Unpublished", CommandStatus.ACCEPTED),
        ("NoFirmware", CommandStatus.REJECTED),
        ("DownloadOngoing", CommandStatus.REJECTED),
    ],
)
def test_an_unpublish_firmware_ends_with_its_answer(
    services: Services, workflows: RecordingWorkflows, status: str, outcome: CommandStatus
) -> None:
    command = services.commands.submit("CP-2", "UnpublishFirmware", {"checksum": "0" * 32})
    answered(services, command, {"status": status})

    finished = stored(services, command)
    assert (finished.status, finished.follow_up, finished.finished_at is not None) == (outcome, None, True)


# RecordFailure ----------------------------------------------------------------------------------


def fail(services: Services, command: Command, error: str, cause: str | None = None) -> Command:
    perform(services, Step.RECORD_FAILURE, command, failure={"Error": error, "Cause": cause})
    return stored(services, command)


def test_no_answer_in_time_is_timed_out_and_frees_the_charge_point(
    services: Services, workflows: RecordingWorkflows, clock: FixedClock
) -> None:
    command = services.commands.submit("CP-1", "ClearCache", {})
    sent(services, command)

    clock.advance(seconds=30)
    after = fail(services, command, StepError.TIMEOUT)

    assert after.status is CommandStatus.TIMED_OUT
    assert after.error == CommandError("Timeout", "The charge point did not answer in time")
    assert (after.answered_at, after.finished_at) == (None, clock.now())
    assert gets_its_turn(services, workflows)


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


def test_a_queued_command_that_fails_leaves_the_holder_be(services: Services, workflows: RecordingWorkflows) -> None:
    holder = services.commands.submit("CP-1", "ClearCache", {})
    waiting = services.commands.submit("CP-1", "ClearCache", {})
    perform(services, Step.ACQUIRE_LOCK, holder, "lock-1")
    perform(services, Step.ACQUIRE_LOCK, waiting, "lock-2")

    fail(services, waiting, StepError.QUEUE_TIMEOUT)

    assert turns(workflows) == ["lock-1"]
    assert not gets_its_turn(services, workflows)
