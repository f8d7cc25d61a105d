"""The operator HTTP API as API Gateway runs it: `/api/...` to one function, payload format 2.0.

Static bearer tokens (compared in constant time) stand in for the Cognito JWT authorizer: one per
role, each with the claims a Cognito access token of a user in that role's group carries, as API
Gateway passes them on (a list claim as `"[admins]"`). `GET /api/health`, the API's documentation and short file
links (`PUBLIC_API_ROUTES`) need none, as on AWS. The function's response is mapped to HTTP as HTTP APIs do.
"""

from __future__ import annotations

import asyncio
import base64
import hmac
import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from csms.local import lambda_events
from csms.local.front_door import HttpRequest, HttpResponse, header, json_response
from csms.local.lambda_events import ApiInfo
from csms.local.lambda_functions import Invoker, LocalFunction
from csms.public_routes import public_methods
from csms.users.roles import Role

log = logging.getLogger("local-runtime.http-api")


def claims_of(role: Role) -> dict[str, str]:
    """What the Cognito JWT authorizer would put in requestContext.authorizer.jwt.claims for a user
    of `role` (named `local-admin`, `local-operator`, `local-viewer`)."""
    username = f"local-{role.value.removesuffix('s')}"
    return {
        "sub": username,
        "username": username,
        "cognito:groups": f"[{role.value}]",
        "token_use": "access",
        "client_id": "csms-local",
        "iss": "csms-local",
    }


@dataclass(frozen=True)
class HttpApiConfig:
    api_token: str  # an administrator's
    operator_token: str | None = None
    viewer_token: str | None = None
    api_id: str = "localhttpapi"

    def __post_init__(self) -> None:
        tokens = [token for token, _ in self.tokens()]
        if len(set(tokens)) != len(tokens):
            raise ValueError("the API tokens of different roles must differ")

    def tokens(self) -> list[tuple[str, Role]]:
        """Each bearer token with the role it stands for."""
        given = {Role.ADMINS: self.api_token, Role.OPERATORS: self.operator_token, Role.VIEWERS: self.viewer_token}
        return [(token, role) for role, token in given.items() if token is not None]


class HttpApi:
    """Until `set_function()`, every request is 503."""

    def __init__(self, config: HttpApiConfig, invoker: Invoker) -> None:
        self.config = config
        self._invoker = invoker
        self._function: LocalFunction | None = None
        self._closing = False
        # One request at a time, as in one Lambda instance: the Powertools resolver keeps
        # per-request state on its module-level app, so concurrent calls would mix.
        self._lock = asyncio.Lock()

    @property
    def ready(self) -> bool:
        return self._function is not None and not self._closing

    def set_function(self, function: LocalFunction) -> None:
        self._function = function

    def close(self) -> None:
        self._closing = True

    def serves(self, raw_path: str) -> bool:
        return raw_path == "/api" or raw_path.startswith("/api/")

    async def handle(self, request: HttpRequest) -> HttpResponse:
        if not self.ready or self._function is None:
            return json_response(503, {"message": "Service Unavailable"})
        public = request.method in public_methods(request.raw_path)
        role = None if public else self._role_of(request.headers)
        if not public and role is None:
            return json_response(401, {"message": "Unauthorized"}, ("www-authenticate", "Bearer"))
        request_headers = [(n, v) for n, v in request.headers if n.lower() != "x-forwarded-for"]
        request_headers += [
            ("x-forwarded-for", request.peer_ip),
            ("x-forwarded-port", str(request.address.port)),
            ("x-forwarded-proto", "http"),
        ]
        event = lambda_events.http_api_event(
            ApiInfo(api_id=self.config.api_id, stage="$default", domain_name=request.address.authority),
            method=request.method,
            raw_path=request.raw_path,
            raw_query=request.raw_query,
            query=parse_qsl(request.raw_query, keep_blank_values=True),
            headers=request_headers,
            body=request.body,
            source_ip=request.peer_ip,
            jwt_claims=None if role is None else claims_of(role),
        )
        try:
            async with self._lock:
                result = await self._invoker.invoke(self._function, event)
        except Exception:
            log.exception("operator API handler failed")
            return json_response(500, {"message": "Internal Server Error"})
        return _http_api_response(result)

    def _role_of(self, headers: Sequence[tuple[str, str]]) -> Role | None:
        """The role of the request's bearer token; None: no valid token."""
        scheme, _, token = (header(headers, "authorization") or "").strip().partition(" ")
        if scheme.lower() != "bearer":
            return None
        given = token.strip().encode()
        matches = [role for known, role in self.config.tokens() if hmac.compare_digest(given, known.encode())]
        return matches[0] if matches else None


def _http_api_response(result: Any) -> HttpResponse:
    """Map a payload format 2.0 Lambda response to HTTP, as HTTP APIs do."""
    if not isinstance(result, Mapping) or "statusCode" not in result:
        # Format 2.0 infers a 200 JSON response from anything else.
        body = result if isinstance(result, str) else json.dumps(result)
        return HttpResponse(200, [("Content-Type", "application/json")], body.encode())
    try:
        status = int(result["statusCode"])
    except (TypeError, ValueError):
        return json_response(500, {"message": "Internal Server Error"})
    headers: list[tuple[str, str]] = []
    for name, value in (result.get("headers") or {}).items():
        headers.append((str(name), str(value)))
    for name, values in (result.get("multiValueHeaders") or {}).items():
        headers.extend((str(name), str(value)) for value in values)
    headers.extend(("Set-Cookie", str(cookie)) for cookie in result.get("cookies") or ())
    raw_body = result.get("body")
    if raw_body is None:
        payload = b""
    elif result.get("isBase64Encoded"):
        payload = base64.b64decode(raw_body)
    else:
        payload = str(raw_body).encode()
    return HttpResponse(status, headers, payload)
