"""Inviting users and changing their role: a user is in exactly one of the role groups afterwards."""

import pytest

from csms.domain.violations import RuleViolationError
from csms.users.administration import UserAdministration
from csms.users.directory import DirectoryUser
from csms.users.roles import Role
from tests.fakes import InMemoryUserDirectory


@pytest.fixture
def directory() -> InMemoryUserDirectory:
    return InMemoryUserDirectory()


@pytest.fixture
def users(directory: InMemoryUserDirectory) -> UserAdministration:
    return UserAdministration(directory)


def test_a_new_user_is_invited_with_its_role(users: UserAdministration, directory: InMemoryUserDirectory) -> None:
    user = users.put("alice", Role.OPERATORS, "alice@example.com")

    assert user == DirectoryUser("alice", "alice@example.com", True, "FORCE_CHANGE_PASSWORD", frozenset({"operators"}))
    assert directory.get("alice") == user


def test_a_role_change_leaves_exactly_one_role_group_and_the_others(
    users: UserAdministration, directory: InMemoryUserDirectory
) -> None:
    directory.create("bob", "bob@example.com")
    for group in ("viewers", "admins", "billing-team"):
        directory.add_to_group("bob", group)

    user = users.put("bob", Role.OPERATORS)

    assert user.groups == frozenset({"operators", "billing-team"})
    assert directory.get("bob") == user
    assert user.role is Role.OPERATORS


def test_an_existing_user_keeps_its_email_address(users: UserAdministration) -> None:
    users.put("carol", Role.VIEWERS, "carol@example.com")

    assert users.put("carol", Role.ADMINS, "new@example.com").email == "carol@example.com"


def test_the_same_role_again_changes_nothing(users: UserAdministration, directory: InMemoryUserDirectory) -> None:
    first = users.put("dave", Role.ADMINS, "dave@example.com")

    assert users.put("dave", Role.ADMINS) == first == directory.get("dave")


def test_an_unknown_user_needs_an_email_address(users: UserAdministration, directory: InMemoryUserDirectory) -> None:
    with pytest.raises(RuleViolationError, match="e-mail address is needed"):
        users.put("erin", Role.VIEWERS)
    assert directory.users == {}


@pytest.mark.parametrize(
    "email", ["erin", "erin@", "@example.com", "erin@example", "a b@example.com", "x" * 250 + "@e.io"]
)
def test_what_is_not_an_email_address_is_refused(users: UserAdministration, email: str) -> None:
    with pytest.raises(RuleViolationError, match="Not an e-mail address"):
        users.put("erin", Role.VIEWERS, email)


@pytest.mark.parametrize("username", ["", "a b", "tab\tbed", "line\n", "x" * 129])
def test_usernames_cognito_refuses_are_refused(users: UserAdministration, username: str) -> None:
    with pytest.raises(RuleViolationError, match="username"):
        users.put(username, Role.VIEWERS, "someone@example.com")


def test_a_user_is_deleted_once(users: UserAdministration) -> None:
    users.put("frank", Role.VIEWERS, "frank@example.com")

    assert users.delete("frank") is True
    assert users.delete("frank") is False


def test_a_username_that_is_an_email_address_is_also_where_the_invitation_goes(users: UserAdministration) -> None:
    assert users.put("gina@example.com", Role.VIEWERS).email == "gina@example.com"
