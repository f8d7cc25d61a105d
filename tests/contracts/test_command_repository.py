"""The `CommandRepository` contract: a command's life from created to finished, and a charge point's
commands newest first, page by page."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from csms.commands.models import Command, CommandError, CommandStatus, FollowUp, FollowUpKind
from csms.commands.ports import CommandRepository
from csms.domain.pagination import InvalidPageTokenError
from csms.wire.versions import OcppVersion
from tests.contracts.paging import FOREIGN_TOKENS, every_page

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
V16, V201 = OcppVersion.V16, OcppVersion.V201
EXECUTION = "arn:aws:states:us-east-1:123456789012:execution:commands:cmd-1"


def at(seconds: int) -> datetime:
    return T0 + timedelta(seconds=seconds)


def command(
    command_id: str = "cmd-1", charge_point_id: str = "CP-1", created_at: datetime = T0, **fields: Any
) -> Command:
    return Command(
        command_id=command_id,
        charge_point_id=charge_point_id,
        ocpp_version=fields.pop("ocpp_version", V16),
        action="SetChargingProfile",
        request={"connectorId": 1, "csChargingProfiles": {"limit": 21.4, "periods": [0, 1800], "ok": True}},
        status=fields.pop("status", CommandStatus.PENDING),
        created_at=created_at,
        **fields,
    )


@pytest.mark.parametrize("follow_up", [None, FollowUp(FollowUpKind.BACK_ONLINE, 300)])
def test_a_command_reads_back_as_created(commands: CommandRepository, follow_up: FollowUp | None) -> None:
    created = command(follow_up=follow_up)

    commands.create(created)

    assert commands.get("cmd-1") == created
    assert commands.get("cmd-404") is None


def test_a_command_read_is_not_changed_by_later_writes(commands: CommandRepository) -> None:
    commands.create(command())
    read = commands.get("cmd-1")

    commands.mark_sent("cmd-1", "m-1", "conn-1", at(1))

    assert read == command()


def test_a_command_goes_from_sent_to_answered_to_finished_by_its_follow_up(commands: CommandRepository) -> None:
    commands.create(command(follow_up=FollowUp(FollowUpKind.TRANSACTION_STARTED, 300)))

    commands.set_execution("cmd-1", EXECUTION)
    commands.mark_sent("cmd-1", "m-1", "conn-1", at(1))
    commands.record_answer("cmd-1", CommandStatus.ACCEPTED, {"status": "Accepted", "ratio": 0.5}, at(2), False)
    answered = commands.get("cmd-1")
    commands.record_result("cmd-1", {"transactionStarted": True, "transactionId": "7"}, at(9))
    finished = commands.get("cmd-1")

    assert answered is not None
    assert (answered.status, answered.answered_at, answered.finished_at) == (CommandStatus.ACCEPTED, at(2), None)
    assert finished == command(
        follow_up=FollowUp(FollowUpKind.TRANSACTION_STARTED, 300),
        execution_arn=EXECUTION,
        status=CommandStatus.ACCEPTED,
        message_id="m-1",
        connection_id="conn-1",
        sent_at=at(1),
        answered_at=at(2),
        finished_at=at(9),
        response={"status": "Accepted", "ratio": 0.5},
        result={"transactionStarted": True, "transactionId": "7"},
    )


def test_an_answer_without_follow_up_finishes_the_command(commands: CommandRepository) -> None:
    commands.create(command())
    commands.mark_sent("cmd-1", "m-1", "conn-1", at(1))

    commands.record_answer("cmd-1", CommandStatus.REJECTED, {"status": "Rejected"}, at(2), True)

    stored = commands.get("cmd-1")
    assert stored is not None
    assert (stored.status, stored.response, stored.answered_at, stored.finished_at) == (
        CommandStatus.REJECTED,
        {"status": "Rejected"},
        at(2),
        at(2),
    )


def test_a_failure_the_charge_point_answered_keeps_its_reason_and_when(commands: CommandRepository) -> None:
    commands.create(command())
    commands.mark_sent("cmd-1", "m-1", "conn-1", at(1))

    commands.record_failure("cmd-1", CommandStatus.FAILED, CommandError("NotSupported", "no"), at(3), at(2))

    stored = commands.get("cmd-1")
    assert stored is not None
    assert (stored.status, stored.error, stored.answered_at, stored.finished_at) == (
        CommandStatus.FAILED,
        CommandError("NotSupported", "no"),
        at(2),
        at(3),
    )


@pytest.mark.parametrize("status", [CommandStatus.TIMED_OUT, CommandStatus.OFFLINE])
def test_a_failure_without_an_answer_leaves_none(commands: CommandRepository, status: CommandStatus) -> None:
    commands.create(command())

    commands.record_failure("cmd-1", status, CommandError("Timeout", "no answer"), at(30))

    stored = commands.get("cmd-1")
    assert stored is not None
    assert (stored.status, stored.error, stored.answered_at, stored.finished_at) == (
        status,
        CommandError("Timeout", "no answer"),
        None,
        at(30),
    )


def test_a_failure_after_the_answer_keeps_when_it_was_answered(commands: CommandRepository) -> None:
    # An accepted command whose follow-up then failed
    commands.create(command(follow_up=FollowUp(FollowUpKind.BACK_ONLINE, 300)))
    commands.record_answer("cmd-1", CommandStatus.ACCEPTED, {"status": "Accepted"}, at(2), False)

    commands.record_failure("cmd-1", CommandStatus.TIMED_OUT, CommandError("Timeout", "never came back"), at(300))

    stored = commands.get("cmd-1")
    assert stored is not None
    assert (stored.status, stored.answered_at, stored.finished_at, stored.response) == (
        CommandStatus.TIMED_OUT,
        at(2),
        at(300),
        {"status": "Accepted"},
    )


def test_a_charge_points_commands_come_newest_first_page_by_page(commands: CommandRepository) -> None:
    for minute in (2, 0, 4, 1, 3):
        commands.create(command(f"cmd-{minute}", created_at=T0 + timedelta(minutes=minute)))
    commands.create(command("other", charge_point_id="CP-2", created_at=T0 + timedelta(minutes=9)))

    for limit in (1, 2, 6):
        pages = every_page(lambda count, token: commands.list_for_charge_point("CP-1", count, token), limit)

        assert [c.command_id for page in pages for c in page] == [f"cmd-{m}" for m in (4, 3, 2, 1, 0)], limit
        assert all(len(page) == limit for page in pages[:-1]), limit
    assert commands.list_for_charge_point("CP-3", 10).items == []


def test_every_charge_points_commands_come_newest_first_page_by_page(commands: CommandRepository) -> None:
    # Commands of both versions and several charge points, created in no particular order
    created = [("CP-1", V16, 2), ("CP-2", V201, 0), ("CP-1", V16, 4), ("CP-3", V201, 1), ("CP-2", V201, 3)]
    for charge_point_id, version, minute in created:
        commands.create(command(f"cmd-{minute}", charge_point_id, T0 + timedelta(minutes=minute), ocpp_version=version))
    commands.mark_sent("cmd-3", "m-1", "conn-1", at(200))  # changed since: listed as it is now

    for limit in (1, 2, 6):
        pages = every_page(commands.list_all, limit)

        assert [c.command_id for page in pages for c in page] == [f"cmd-{m}" for m in (4, 3, 2, 1, 0)], limit
        assert all(len(page) == limit for page in pages[:-1]), limit
        listed = [c for page in pages for c in page]
        assert listed == [commands.get(c.command_id) for c in listed], limit


def test_every_charge_points_commands_are_none_at_first(commands: CommandRepository) -> None:
    assert commands.list_all(10).items == []


def test_a_token_no_listing_returned_is_refused(commands: CommandRepository) -> None:
    commands.create(command())

    for token in FOREIGN_TOKENS:
        with pytest.raises(InvalidPageTokenError):
            commands.list_for_charge_point("CP-1", 2, token)
        with pytest.raises(InvalidPageTokenError):
            commands.list_all(2, token)


def test_unfinished_commands_of_every_charge_point_are_listed_oldest_first(commands: CommandRepository) -> None:
    follow_up = FollowUp(FollowUpKind.TRANSACTION_STARTED, 300)
    for minute, charge_point_id in enumerate(["CP-1", "CP-2", "CP-1", "CP-3", "CP-2", "CP-1", "CP-1"]):
        commands.create(command(f"cmd-{minute}", charge_point_id, T0 + timedelta(minutes=minute), follow_up=follow_up))
    commands.mark_sent("cmd-1", "m-1", "conn-1", at(1))  # sent, unanswered
    commands.record_answer("cmd-2", CommandStatus.ACCEPTED, {"status": "Accepted"}, at(2), False)  # following up
    commands.record_answer("cmd-3", CommandStatus.REJECTED, {"status": "Rejected"}, at(3), True)
    commands.record_failure("cmd-4", CommandStatus.OFFLINE, CommandError("Offline", "not connected"), at(4))
    commands.record_answer("cmd-5", CommandStatus.ACCEPTED, {"status": "Accepted"}, at(5), False)
    commands.record_result("cmd-5", {"transactionStarted": False}, at(6))

    unfinished = commands.list_unfinished()

    assert [c.command_id for c in unfinished] == ["cmd-0", "cmd-1", "cmd-2", "cmd-6"]
    assert unfinished == [commands.get(c.command_id) for c in unfinished]
