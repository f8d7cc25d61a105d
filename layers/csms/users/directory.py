"""The user directory port: the people who may sign in, and their groups (Cognito on AWS and locally)."""

from dataclasses import dataclass, field
from typing import Protocol

from csms.domain.pagination import Page
from csms.users.roles import Role, highest_role

# ListUsers returns at most 60 users a call.
MAX_USER_PAGE = 60


class UnknownUserError(LookupError):
    """No user has that username."""


@dataclass(frozen=True)
class DirectoryUser:
    # Cognito's Username: where people sign in with their e-mail address, an id Cognito made up (the
    # address names the user too).
    username: str
    email: str | None
    enabled: bool
    # Cognito's UserStatus: FORCE_CHANGE_PASSWORD until the invitation is used, then CONFIRMED, ...
    status: str
    groups: frozenset[str] = field(default_factory=frozenset)

    @property
    def role(self) -> Role | None:
        """The role the user's tokens give (`csms.api.caller`): the highest of its groups."""
        return highest_role(self.groups)


class UserDirectory(Protocol):
    def page(self, limit: int, next_token: str | None) -> Page[DirectoryUser]:
        """Users in no particular order, at most `limit` (up to `MAX_USER_PAGE`), with their groups.

        Raises `InvalidPageTokenError` for a token no page returned."""
        ...

    def get(self, username: str) -> DirectoryUser | None: ...

    def create(self, username: str, email: str) -> DirectoryUser | None:
        """A new user in no group, invited by e-mail to set a password; None when the username is taken.

        Raises `RuleViolationError` for a user the directory refuses (on a user pool that signs people
        in with their e-mail address, a username that is none)."""
        ...

    def add_to_group(self, username: str, group: str) -> None:
        """Raises `UnknownUserError`; a user already in the group stays in it."""
        ...

    def remove_from_group(self, username: str, group: str) -> None:
        """Raises `UnknownUserError`; a user not in the group stays out of it."""
        ...

    def delete(self, username: str) -> bool:
        """False when there was no such user."""
        ...
