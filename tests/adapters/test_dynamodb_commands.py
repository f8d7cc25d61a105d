"""`DynamoDbCommandRepository` on moto: numbers as stored, and writes that create no command or replace
none (the port's contract: `tests/contracts/test_command_repository.py`)."""

from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from csms.commands.models import Command, CommandStatus
from csms.commands.ports import CommandRepository
from csms.composition import Repositories
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


def test_numbers_come_back_as_json_numbers(commands: CommandRepository, raw_table: Callable[[str], Any]) -> None:
    commands.create(command())

    # Stored as DynamoDB numbers, read back as int and float (the CALL is built from them)
    item = raw_table("commands_table").get_item(Key={"commandId": "cmd-1"})["Item"]
    assert item["request"]["csChargingProfiles"]["limit"] == Decimal("21.4")
    request = commands.get("cmd-1").request  # type: ignore[union-attr]
    assert request == {"connectorId": 1, "csChargingProfiles": {"limit": 21.4, "periods": [0, 1800]}}
    assert isinstance(request["connectorId"], int)


def test_updates_never_create_a_command(commands: CommandRepository) -> None:
    with pytest.raises(Exception, match="ConditionalCheckFailed"):
        commands.mark_sent("cmd-404", "m-1", "conn-1", T0)


def test_a_command_id_is_used_once(commands: CommandRepository) -> None:
    commands.create(command())

    with pytest.raises(Exception, match="ConditionalCheckFailed"):
        commands.create(command())
