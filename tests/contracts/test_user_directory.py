"""The `UserDirectory` contract: users with their e-mail address, status and groups, paged.

Users are created under their e-mail address, as people sign in to the stack's user pool; Cognito
then keeps each under an id of its own (`username`), and both name it.
"""

import pytest

from csms.domain.pagination import InvalidPageTokenError
from csms.users.directory import DirectoryUser, UnknownUserError, UserDirectory
from csms.users.roles import Role
from tests.contracts.paging import assert_pages_hold_each_once

ALICE = "alice@example.com"


def test_a_new_user_is_invited_in_no_group(users: UserDirectory) -> None:
    created = users.create(ALICE, ALICE)

    assert created is not None
    assert (created.email, created.enabled, created.status, created.groups) == (
        ALICE,
        True,
        "FORCE_CHANGE_PASSWORD",
        frozenset(),
    )
    assert created.role is None
    assert users.get(ALICE) == created
    assert users.get(created.username) == created


def test_a_taken_username_is_not_created_again(users: UserDirectory) -> None:
    first = users.create(ALICE, ALICE)

    assert users.create(ALICE, ALICE) is None
    assert users.get(ALICE) == first


def test_an_unknown_user_is_none(users: UserDirectory) -> None:
    assert users.get("nobody@example.com") is None


def test_groups_are_added_and_removed_once_each(users: UserDirectory) -> None:
    users.create("bob@example.com", "bob@example.com")

    users.add_to_group("bob@example.com", Role.VIEWERS.value)
    users.add_to_group("bob@example.com", Role.ADMINS.value)
    users.add_to_group("bob@example.com", Role.ADMINS.value)
    users.remove_from_group("bob@example.com", Role.VIEWERS.value)
    users.remove_from_group("bob@example.com", Role.OPERATORS.value)  # not in it: nothing changes

    bob = users.get("bob@example.com")
    assert bob is not None
    assert (bob.groups, bob.role) == (frozenset({"admins"}), Role.ADMINS)


@pytest.mark.parametrize("change", ["add_to_group", "remove_from_group"])
def test_changing_the_groups_of_an_unknown_user_raises(users: UserDirectory, change: str) -> None:
    with pytest.raises(UnknownUserError):
        getattr(users, change)("nobody@example.com", Role.VIEWERS.value)


def test_a_deleted_user_is_gone(users: UserDirectory) -> None:
    users.create("carol@example.com", "carol@example.com")

    assert users.delete("carol@example.com") is True
    assert users.get("carol@example.com") is None
    assert users.delete("carol@example.com") is False


def test_pages_hold_every_user_once_with_their_groups(users: UserDirectory) -> None:
    expected: list[DirectoryUser] = []
    for index, role in enumerate([Role.VIEWERS, Role.OPERATORS, Role.ADMINS, None, Role.VIEWERS]):
        address = f"user-{index}@example.com"
        users.create(address, address)
        if role is not None:
            users.add_to_group(address, role.value)
        user = users.get(address)
        assert user is not None
        assert user.role is role
        expected.append(user)

    assert_pages_hold_each_once(users.page, expected, key=lambda user: user.username)


@pytest.mark.parametrize("token", ["garbage", "eyJvZmZzZXQiOiAyfQ=="])
def test_a_token_no_page_returned_is_refused(users: UserDirectory, token: str) -> None:
    users.create("dave@example.com", "dave@example.com")

    with pytest.raises(InvalidPageTokenError):
        users.page(1, token)
