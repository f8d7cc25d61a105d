"""The user directory on a Cognito user pool (cognito-idp's admin API; moto's locally).

The stack's pool signs people in with their e-mail address: a user is created under its address,
Cognito keeps it under a generated id (its `Username`, also in its tokens), and either names it.
"""

from collections.abc import Iterable, Mapping
from functools import cached_property
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from csms.domain.pagination import InvalidPageTokenError, Page
from csms.domain.violations import RuleViolationError
from csms.users.directory import DirectoryUser, UnknownUserError
from csms.users.roles import ROLES_LOWEST_FIRST

_CLIENT_CONFIG = Config(connect_timeout=2, read_timeout=5, retries={"max_attempts": 3, "mode": "standard"})
# What Cognito answers for a pagination token it did not give (moto: InvalidToken).
_BAD_TOKEN_ERRORS = {"InvalidParameterException", "InvalidToken"}


class CognitoUserDirectory:
    def __init__(self, user_pool_id: str) -> None:
        self._pool = user_pool_id

    @cached_property
    def _client(self) -> Any:
        return boto3.client("cognito-idp", config=_CLIENT_CONFIG)

    def page(self, limit: int, next_token: str | None) -> Page[DirectoryUser]:
        request: dict[str, Any] = {"UserPoolId": self._pool, "Limit": limit}
        if next_token is not None:
            request["PaginationToken"] = next_token
        try:
            response = self._client.list_users(**request)
        except ClientError as error:
            if next_token is not None and _code(error) in _BAD_TOKEN_ERRORS:
                raise InvalidPageTokenError(next_token) from error
            raise
        users = [
            self._user(user["Username"], user.get("Attributes", []), user["Enabled"], user["UserStatus"])
            for user in response.get("Users", [])
        ]
        return Page(users, response.get("PaginationToken"))

    def get(self, username: str) -> DirectoryUser | None:
        try:
            user = self._client.admin_get_user(UserPoolId=self._pool, Username=username)
        except self._client.exceptions.UserNotFoundException:
            return None
        return self._user(user["Username"], user.get("UserAttributes", []), user["Enabled"], user["UserStatus"])

    def create(self, username: str, email: str) -> DirectoryUser | None:
        try:
            user = self._client.admin_create_user(
                UserPoolId=self._pool,
                Username=username,
                UserAttributes=[{"Name": "email", "Value": email}, {"Name": "email_verified", "Value": "true"}],
                DesiredDeliveryMediums=["EMAIL"],
            )["User"]
        except self._client.exceptions.UsernameExistsException:
            return None
        except self._client.exceptions.InvalidParameterException as error:
            # What the pool refuses, e.g. a username that is no e-mail address where people sign in with one.
            raise RuleViolationError(
                f"Cognito refused user {username}: {error.response['Error']['Message']}"
            ) from error
        return DirectoryUser(user["Username"], _email(user.get("Attributes", [])), user["Enabled"], user["UserStatus"])

    def add_to_group(self, username: str, group: str) -> None:
        try:
            self._client.admin_add_user_to_group(UserPoolId=self._pool, Username=username, GroupName=group)
        except self._client.exceptions.UserNotFoundException as error:
            raise UnknownUserError(username) from error

    def remove_from_group(self, username: str, group: str) -> None:
        try:
            self._client.admin_remove_user_from_group(UserPoolId=self._pool, Username=username, GroupName=group)
        except self._client.exceptions.UserNotFoundException as error:
            raise UnknownUserError(username) from error

    def delete(self, username: str) -> bool:
        try:
            self._client.admin_delete_user(UserPoolId=self._pool, Username=username)
        except self._client.exceptions.UserNotFoundException:
            return False
        return True

    def _user(
        self, username: str, attributes: Iterable[Mapping[str, str]], enabled: bool, status: str
    ) -> DirectoryUser:
        return DirectoryUser(username, _email(attributes), enabled, status, self._groups(username))

    def _groups(self, username: str) -> frozenset[str]:
        """The user's groups (one AdminListGroupsForUser a user); none for a user deleted meanwhile."""
        pages = self._client.get_paginator("admin_list_groups_for_user").paginate(
            UserPoolId=self._pool, Username=username
        )
        try:
            return frozenset(group["GroupName"] for page in pages for group in page["Groups"])
        except self._client.exceptions.UserNotFoundException:
            return frozenset()


def _email(attributes: Iterable[Mapping[str, str]]) -> str | None:
    return next((attribute["Value"] for attribute in attributes if attribute["Name"] == "email"), None)


def _code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


def create_user_pool(client: Any, name: str) -> str:
    """A user pool as the stack makes it, signing people in with their e-mail address, with a group per
    role (for `csms local` and tests, on moto); its id."""
    pool_id = str(client.create_user_pool(PoolName=name, UsernameAttributes=["email"])["UserPool"]["Id"])
    for role in ROLES_LOWEST_FIRST:
        client.create_group(UserPoolId=pool_id, GroupName=role.value)
    return pool_id
