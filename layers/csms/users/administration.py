"""What the users API does: list users, invite one or change its role, remove one."""

import re
from dataclasses import replace

from csms.domain.pagination import Page
from csms.domain.violations import RuleViolationError
from csms.users.directory import DirectoryUser, UserDirectory
from csms.users.roles import ROLES_LOWEST_FIRST, Role

ROLE_GROUPS = frozenset(role.value for role in ROLES_LOWEST_FIRST)
# Cognito's: letters, marks, symbols, digits and punctuation, at most 128; no space nor control character.
_USERNAME = re.compile(r"[^\s\x00-\x1f\x7f]{1,128}")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
MAX_EMAIL_LENGTH = 254


class UserAdministration:
    def __init__(self, directory: UserDirectory) -> None:
        self._directory = directory

    def page(self, limit: int, next_token: str | None) -> Page[DirectoryUser]:
        return self._directory.page(limit, next_token)

    def put(self, username: str, role: Role, email: str | None = None) -> DirectoryUser:
        """Create the user (with `email`, which Cognito sends the invitation to) unless it exists, then
        put it in exactly one of the role groups: `role`'s. An existing user keeps its e-mail address.

        Where people sign in with their e-mail address (the stack's user pool), `username` is that
        address, and `email` may be left out."""
        if not _USERNAME.fullmatch(username):
            raise RuleViolationError("A username has 1 to 128 characters, none of them a space or control character")
        if email is None and _EMAIL.fullmatch(username):
            email = username
        if email is not None and (len(email) > MAX_EMAIL_LENGTH or not _EMAIL.fullmatch(email)):
            raise RuleViolationError(f"Not an e-mail address: {email!r}")
        user = self._directory.get(username)
        if user is None:
            if email is None:
                raise RuleViolationError(f"No user {username}: an e-mail address is needed to invite one")
            user = self._directory.create(username, email) or self._directory.get(username)
            if user is None:  # created and deleted again at once, by someone else
                raise RuleViolationError(f"User {username} was deleted while being created")
        for group in sorted((user.groups & ROLE_GROUPS) - {role.value}):
            self._directory.remove_from_group(username, group)
        if role.value not in user.groups:
            self._directory.add_to_group(username, role.value)
        return replace(user, groups=(user.groups - ROLE_GROUPS) | {role.value})

    def delete(self, username: str) -> bool:
        return self._directory.delete(username)
