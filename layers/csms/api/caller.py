"""Who is calling: the username and role in the JWT claims API Gateway's authorizer passed on.

The claims are `requestContext.authorizer.jwt.claims` of the HTTP API event (the same locally).
API Gateway hands every claim on as a string: a list claim such as `cognito:groups` arrives as
`"[admins viewers]"`, and a one-group claim may be just `"admins"`; a list is read as well. A token
of the machine-to-machine client (client credentials: no username claim at all, the operator scope)
is an administrator's. Anything else (no claims, unknown groups, values of the wrong type) gives
no role: the caller may read nothing.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from csms.constants import OPERATOR_SCOPE
from csms.users.roles import Role, highest_role

GROUPS_CLAIM = "cognito:groups"
USERNAME_CLAIMS = ("username", "cognito:username")  # access token, ID token
CLIENT_ID_CLAIM = "client_id"
SCOPE_CLAIM = "scope"


@dataclass(frozen=True)
class Caller:
    username: str | None
    role: Role | None

    def may(self, required: Role) -> bool:
        return self.role is not None and self.role.includes(required)


def caller_of(event: Mapping[str, Any]) -> Caller:
    """The caller of an HTTP API (payload 2.0) event."""
    claims: object = event
    for key in ("requestContext", "authorizer", "jwt", "claims"):
        claims = claims.get(key) if isinstance(claims, Mapping) else None
    return caller_from_claims(claims if isinstance(claims, Mapping) else {})


def caller_from_claims(claims: Mapping[str, Any]) -> Caller:
    if not any(name in claims for name in USERNAME_CLAIMS) and OPERATOR_SCOPE in _listed(claims.get(SCOPE_CLAIM)):
        # Client credentials: the machine-to-machine client keeps full access.
        client_id = claims.get(CLIENT_ID_CLAIM)
        return Caller(client_id if isinstance(client_id, str) else None, Role.ADMINS)
    username = next((value for name in USERNAME_CLAIMS if isinstance(value := claims.get(name), str)), None)
    return Caller(username, highest_role(_listed(claims.get(GROUPS_CLAIM))))


def _listed(value: object) -> list[str]:
    """The words a claim lists: a list's strings, or a string's words (`"[a b]"`, `"a"`, a scope's `"a b"`)."""
    if isinstance(value, list):
        return [item for item in value if isinstance(item, str)]
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("[") and text.endswith("]"):
            text = text[1:-1]
        return text.split()
    return []
