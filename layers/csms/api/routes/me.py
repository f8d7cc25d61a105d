"""/api/me: who the token is for and what they may do (the console shows only what they may)."""

from aws_lambda_powertools.event_handler.api_gateway import Router
from pydantic import Field

from csms.api.api_model import ApiModel
from csms.api.caller import caller_of
from csms.api.errors import responses
from csms.api.openapi import Tag
from csms.users.roles import Role

router = Router()


class Me(ApiModel):
    username: str | None = Field(description="The user's name; the client id for the machine-to-machine client")
    role: Role | None = Field(description="The highest role of the user's groups; null: none (only this answers)")
    can_operate: bool = Field(description="May send commands and run billing (operators, admins)")
    can_administer: bool = Field(description="May manage chargers, id tokens, tariffs and users (admins)")


@router.get(
    "/api/me",
    operation_id="getMe",
    summary="Who the token is for",
    description="The caller's username and role, and whether it may operate (send commands, run billing) or "
    "administer (chargers, id tokens, tariffs, users). Any valid token may ask, even one without a role.",
    tags=[Tag.ACCOUNT],
    responses=responses(),
)
def me() -> Me:
    caller = caller_of(router.current_event.raw_event)
    return Me(
        username=caller.username,
        role=caller.role,
        can_operate=caller.may(Role.OPERATORS),
        can_administer=caller.may(Role.ADMINS),
    )
