"""The three roles of operator users, lowest first; each is a Cognito group of the same name."""

from collections.abc import Iterable
from enum import StrEnum


class Role(StrEnum):
    """`viewers` read; `operators` also send commands and run billing; `admins` also manage
    chargers, id tokens, tariffs and users. Compare with `includes`, not `>=` on the names."""

    VIEWERS = "viewers"
    OPERATORS = "operators"
    ADMINS = "admins"

    @property
    def rank(self) -> int:
        return ROLES_LOWEST_FIRST.index(self)

    def includes(self, required: "Role") -> bool:
        """May this role do what `required` may do?"""
        return self.rank >= required.rank


ROLES_LOWEST_FIRST = (Role.VIEWERS, Role.OPERATORS, Role.ADMINS)


def highest_role(groups: Iterable[str]) -> Role | None:
    """The highest role among `groups` (group names; others are ignored), None when none is a role."""
    names = set(groups)
    roles = [role for role in ROLES_LOWEST_FIRST if role.value in names]
    return roles[-1] if roles else None
