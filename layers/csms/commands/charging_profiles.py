"""Charging profiles a charge point accepted: its SetChargingProfile commands answered Accepted."""

from csms.commands.models import Command, CommandStatus
from csms.commands.ports import CommandRepository
from csms.domain.pagination import Page, collect_page

SET_CHARGING_PROFILE = "SetChargingProfile"


class ChargingProfiles:
    def __init__(self, commands: CommandRepository) -> None:
        self._commands = commands

    def accepted(self, charge_point_id: str, limit: int, next_token: str | None = None) -> Page[Command]:
        """Newest first, read from the charge point's commands; raises `InvalidPageTokenError`."""

        def accepted_profiles(count: int, token: str | None) -> Page[Command]:
            page = self._commands.list_for_charge_point(charge_point_id, count, token)
            return Page([command for command in page.items if _accepted_profile(command)], page.next_token)

        return collect_page(accepted_profiles, limit, next_token, f"charging profiles of {charge_point_id}")


def _accepted_profile(command: Command) -> bool:
    return command.action == SET_CHARGING_PROFILE and command.status is CommandStatus.ACCEPTED
