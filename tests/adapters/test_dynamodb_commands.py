"""`DynamoDbCommandRepository` on moto: a command's life, and listing a charge point's commands."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from csms.commands.models import Command, CommandError, CommandStatus, FollowUp, FollowUpKind
from csms.commands.ports import CommandRepository
from csms.domain.pagination import InvalidPageTokenError
from csms.services import Repositories
from csms.wire.versions import OcppVersion

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.fixture
def commands(repositories: Repositories) -> CommandRepository:
    return repositories.commands


def command(command_id: str = "cmd-1", charge_point_id: str = "CP-1", at: datetime = T0, **fields: Any) -> Command:
    return Command(
        command_id=command_id,
        charge_point_id=charge_point_id,
        ocpp_version=OcppVersion.V16,
        action="SetChargingProfile",
        request={"connectorId": 1, "csChargingProfiles": {"limit": 21.4, "periods": [0, 1800]}},
        status=CommandStatus.PENDING,
        created_at=at,
        **fields,
    )


def test_a_command_is_stored_and_read_back_as_created(commands: CommandRepository) -> None:
    created = command(follow_up=FollowUp(FollowUpKind.BACK_ONLINE, 300))

    commands.create(created)

    assert commands.get("cmd-1") == created
    assert commands.get("cmd-404") is None


def test_numbers_come_back_as_json_numbers(commands: CommandRepository, raw_table: Callable[[str], Any]) -> None:
    commands.create(command())

    # Stored as DynamoDB numbers, read back as int and float (the CALL is built from them)
    item = raw_table("commands_table").get_item(Key={"commandId": "cmd-1"})["Item"]
    assert item["request"]["csChargingProfiles"]["limit"] == Decimal("21.4")
    request = commands.get("cmd-1").request  # type: ignore[union-attr]
    assert request == {"connectorId": 1, "csChargingProfiles": {"limit": 21.4, "periods": [0, 1800]}}
    assert isinstance(request["connectorId"], int)


def test_a_command_goes_from_sent_to_answered_to_finished(commands: CommandRepository) -> None:
    commands.create(command(follow_up=FollowUp(FollowUpKind.TRANSACTION_STARTED, 300)))

    commands.set_execution("cmd-1", "arn:aws:states:us-east-1:1:execution:commands:cmd-1")
    commands.mark_sent("cmd-1", "m-1", "conn-1", T0 + timedelta(seconds=1))
    commands.record_answer("cmd-1", CommandStatus.ACCEPTED, {"status": "Accepted"}, T0 + timedelta(seconds=2), False)
    assert commands.get("cmd-1").finished_at is None  # type: ignore[union-attr]
    commands.record_result("cmd-1", {"transactionStarted": True, "transactionId": "7"}, T0 + timedelta(seconds=9))

    stored = commands.get("cmd-1")
    assert stored is not None
    assert stored.execution_arn == "arn:aws:states:us-east-1:1:execution:commands:cmd-1"
    assert (stored.status, stored.message_id, stored.connection_id) == (CommandStatus.ACCEPTED, "m-1", "conn-1")
    assert (stored.sent_at, stored.answered_at, stored.finished_at) == (
        T0 + timedelta(seconds=1),
        T0 + timedelta(seconds=2),
        T0 + timedelta(seconds=9),
    )
    assert stored.response == {"status": "Accepted"}
    assert stored.result == {"transactionStarted": True, "transactionId": "7"}
    assert stored.error is None


def test_an_answer_without_follow_up_finishes_the_command(commands: CommandRepository) -> None:
    commands.create(command())

    commands.record_answer("cmd-1", CommandStatus.REJECTED, {"status": "Rejected"}, T0, True)

    assert commands.get("cmd-1").finished_at == T0  # type: ignore[union-attr]


def test_a_failure_keeps_its_reason(commands: CommandRepository) -> None:
    commands.create(command())
    commands.mark_sent("cmd-1", "m-1", "conn-1", T0)

    commands.record_failure(
        "cmd-1", CommandStatus.FAILED, CommandError("NotSupported", "no"), T0 + timedelta(seconds=2), T0
    )

    stored = commands.get("cmd-1")
    assert stored is not None
    assert (stored.status, stored.error) == (CommandStatus.FAILED, CommandError("NotSupported", "no"))
    assert (stored.answered_at, stored.finished_at) == (T0, T0 + timedelta(seconds=2))


def test_updates_never_create_a_command(commands: CommandRepository) -> None:
    with pytest.raises(Exception, match="ConditionalCheckFailed"):
        commands.mark_sent("cmd-404", "m-1", "conn-1", T0)


def test_a_command_id_is_used_once(commands: CommandRepository) -> None:
    commands.create(command())

    with pytest.raises(Exception, match="ConditionalCheckFailed"):
        commands.create(command())


def test_a_charge_points_commands_come_newest_first_page_by_page(commands: CommandRepository) -> None:
    for minute in range(5):
        commands.create(command(f"cmd-{minute}", at=T0 + timedelta(minutes=minute)))
    commands.create(command("other", charge_point_id="CP-2", at=T0 + timedelta(minutes=9)))

    pages, token = [], None
    while True:
        page = commands.list_for_charge_point("CP-1", 2, token)
        pages.append([c.command_id for c in page.items])
        token = page.next_token
        if token is None:
            break

    assert [command_id for page in pages for command_id in page] == [f"cmd-{m}" for m in (4, 3, 2, 1, 0)]
    assert all(len(page) <= 2 for page in pages)


def test_a_bad_page_token_is_refused(commands: CommandRepository) -> None:
    with pytest.raises(InvalidPageTokenError):
        commands.list_for_charge_point("CP-1", 2, "bm90IGEgdG9rZW4=")
