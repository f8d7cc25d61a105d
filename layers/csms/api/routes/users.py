"""/api/users: the people who may sign in (the Cognito user pool), and their roles. Admins only."""

from http import HTTPStatus
from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.exceptions import NotFoundError
from aws_lambda_powertools.event_handler.openapi.params import Query
from pydantic import Field

from csms.api.api_model import ApiModel
from csms.api.errors import responses
from csms.api.models import PageView
from csms.api.openapi import Tag, body_examples
from csms.api.pagination import DEFAULT_PAGE_SIZE, NextToken
from csms.composition import get_services
from csms.users.directory import MAX_USER_PAGE, DirectoryUser
from csms.users.roles import Role

router = Router()

UserLimit = Annotated[int, Query(ge=1, le=MAX_USER_PAGE, description="Page size")]


class UserView(ApiModel):
    username: str
    email: str | None
    role: Role | None = Field(description="The highest role among the user's groups; null: none")
    enabled: bool
    status: str = Field(description="Cognito's: FORCE_CHANGE_PASSWORD until the invitation is used, then CONFIRMED")

    @classmethod
    def of(cls, user: DirectoryUser) -> "UserView":
        return cls(username=user.username, email=user.email, role=user.role, enabled=user.enabled, status=user.status)


class UserRegistration(ApiModel):
    email: str | None = Field(
        default=None,
        max_length=254,
        description="Where Cognito sends the invitation; needed to create a user, ignored for an existing one",
        examples=["alice@example.com"],
    )
    role: Role = Field(description="The user's one role group from now on", examples=[Role.OPERATORS])


@router.get(
    "/api/users",
    operation_id="listUsers",
    summary="List users",
    description="The people who may sign in, with their role, in no particular order. Admins only. Paged.",
    tags=[Tag.USERS],
    responses=responses(HTTPStatus.BAD_REQUEST),
)
def list_users(limit: UserLimit = DEFAULT_PAGE_SIZE, next_token: NextToken = None) -> PageView[UserView]:
    page = get_services().user_administration.page(limit, next_token)
    return PageView[UserView](items=[UserView.of(user) for user in page.items], next_token=page.next_token)


@router.put(
    "/api/users/<username>",
    operation_id="putUser",
    summary="Invite a user or change its role",
    description="Invites a user (the user pool signs people in with their e-mail address, which is the username; "
    "Cognito e-mails a temporary password) or moves an existing one to exactly one role group. Admins only.",
    tags=[Tag.USERS],
    responses=responses(HTTPStatus.BAD_REQUEST),
)
def put_user(
    username: str,
    registration: Annotated[
        UserRegistration,
        body_examples(
            viewer=("Invite a viewer", {"role": "viewers"}),
            operator=("Make an operator", {"role": "operators"}),
        ),
    ],
) -> UserView:
    user = get_services().user_administration.put(username, registration.role, registration.email)
    return UserView.of(user)


@router.delete(
    "/api/users/<username>",
    operation_id="deleteUser",
    summary="Delete a user",
    description="The user can no longer sign in; tokens already issued stay valid until they expire. Admins only.",
    tags=[Tag.USERS],
    responses=responses(HTTPStatus.NOT_FOUND, success=HTTPStatus.NO_CONTENT),
)
def delete_user(username: str) -> Response[None]:
    if not get_services().user_administration.delete(username):
        raise NotFoundError(f"No user {username}")
    return Response(HTTPStatus.NO_CONTENT)
