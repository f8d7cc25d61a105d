"""The `UserDirectory` contract: users by username with their e-mail address, status and groups, paged."""

import pytest

from csms.domain.pagination import InvalidPageTokenError
from csms.users.directory import DirectoryUser, UnknownUserError, UserDirectory
from csms.users.roles import Role
from tests.contracts.paging import assert_pages_hold_each_once


def test_a_new_user_is_invited_in_no_group(users: UserDirectory) -> None:
    created = users.create("alice", "alice@example.com")

    invited = DirectoryUser("alice", "alice@example.com", enabled=True, status="FORCE_CHANGE_PASSWORD")
    assert created == invited
    assert users.get("alice") == invited
    assert invited.role is None


def test_a_taken_username_is_not_created_again(users: UserDirectory) -> None:
    users.create("alice", "alice@example.com")

    assert users.create("alice", "other@example.com") is None
    assert users.get("alice") is not None
    assert users.get("alice").email == "alice@example.com"  # type: ignore[union-attr]


def test_an_unknown_user_is_none(users: UserDirectory) -> None:
    assert users.get("nobody") is None


def test_groups_are_added_and_removed_once_each(users: UserDirectory) -> None:
    users.create("bob", "bob@example.com")

    users.add_to_group("bob", Role.VIEWERS.value)
    users.add_to_group("bob", Role.ADMINS.value)
    users.add_to_group("bob", Role.ADMINS.value)
    users.remove_from_group("bob", Role.VIEWERS.value)
    users.remove_from_group("bob", Role.OPERATORS.value)  # not in it: nothing changes

    bob = users.get("bob")
    assert bob is not None
    assert (bob.groups, bob.role) == (frozenset({"admins"}), Role.ADMINS)


@pytest.mark.parametrize("change", ["add_to_group", "remove_from_group"])
def test_changing_the_groups_of_an_unknown_user_raises(users: UserDirectory, change: str) -> None:
    with pytest.raises(UnknownUserError):
        getattr(users, change)("nobody", Role.VIEWERS.value)


def test_a_deleted_user_is_gone(users: UserDirectory) -> None:
    users.create("carol", "carol@example.com")

    assert users.delete("carol") is True
    assert users.get("carol") is None
    assert users.delete("carol") is False


def test_pages_hold_every_user_once_with_their_groups(users: UserDirectory) -> None:
    expected = []
    for index, role in enumerate([Role.VIEWERS, Role.OPERATORS, Role.ADMINS, None, Role.VIEWERS]):
        name = f"user-{index}"
        users.create(name, f"{name}@example.com")
        if role is not None:
            users.add_to_group(name, role.value)
        expected.append(users.get(name))

    assert_pages_hold_each_once(users.page, expected, key=lambda user: user.username)
    assert {user.username: user.role for user in users.page(10, None).items} == {
        user.username: user.role for user in expected if user is not None
    }


@pytest.mark.parametrize("token", ["garbage", "eyJvZmZzZXQiOiAyfQ=="])
def test_a_token_no_page_returned_is_refused(users: UserDirectory, token: str) -> None:
    users.create("dave", "dave@example.com")

    with pytest.raises(InvalidPageTokenError):
        users.page(1, token)
