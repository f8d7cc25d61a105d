"""How the operator CLI authenticates: the local runtime's static token, or OAuth2 client credentials.

On AWS the operator API takes a Cognito access token with the scope `csms/operator`; a
machine-to-machine app client gets one from the token endpoint (`client_credentials` grant).
Each token costs money (README, "Operator access on AWS"), so one is reused until shortly before
it expires.
"""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Callable, Mapping
from typing import Protocol
from urllib.error import HTTPError, URLError
from urllib.parse import urlencode
from urllib.request import Request, urlopen

from csms.constants import OPERATOR_SCOPE
from csms.operator_cli.errors import AuthError, CliError, UsageError

ENV_API_TOKEN = "CSMS_API_TOKEN"  # noqa: S105 - a variable name
ENV_CLIENT_ID = "CSMS_CLIENT_ID"
ENV_CLIENT_SECRET = "CSMS_CLIENT_SECRET"  # noqa: S105 - a variable name
ENV_TOKEN_URL = "CSMS_TOKEN_URL"  # noqa: S105 - a variable name
CLIENT_CREDENTIALS = (ENV_CLIENT_ID, ENV_CLIENT_SECRET, ENV_TOKEN_URL)

# A token is renewed this long before it expires (at most a tenth of its lifetime), so that none
# expires between being read and reaching the API.
RENEWAL_MARGIN_SECONDS = 60.0
TOKEN_REQUEST_TIMEOUT_SECONDS = 30.0


class Credentials(Protocol):
    def bearer_token(self) -> str:
        """The token for the next request's `Authorization: Bearer` header."""
        ...


class StaticToken:
    def __init__(self, token: str) -> None:
        self._token = token

    def bearer_token(self) -> str:
        return self._token


class ClientCredentials:
    """An access token from the token endpoint, kept for its lifetime in this process."""

    def __init__(
        self,
        token_url: str,
        client_id: str,
        client_secret: str,
        scope: str = OPERATOR_SCOPE,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._token_url = token_url
        self._basic = base64.b64encode(f"{client_id}:{client_secret}".encode()).decode()
        self._scope = scope
        self._clock = clock
        self._token: str | None = None
        self._renew_at = 0.0

    def bearer_token(self) -> str:
        if self._token is None or self._clock() >= self._renew_at:
            requested_at = self._clock()
            self._token, lifetime = self._request_token()
            self._renew_at = requested_at + lifetime - min(RENEWAL_MARGIN_SECONDS, lifetime / 10)
        return self._token

    def _request_token(self) -> tuple[str, float]:
        request = Request(  # noqa: S310 - the operator's own token endpoint
            self._token_url,
            urlencode({"grant_type": "client_credentials", "scope": self._scope}).encode(),
            {"Authorization": f"Basic {self._basic}", "Content-Type": "application/x-www-form-urlencoded"},
            method="POST",
        )
        try:
            with urlopen(request, timeout=TOKEN_REQUEST_TIMEOUT_SECONDS) as response:  # noqa: S310
                answer = json.loads(response.read())
        except HTTPError as error:
            # RFC 6749 5.2: {"error": "invalid_client", "error_description"?}
            raise AuthError(f"token endpoint {self._token_url}: {error.code} {_oauth_error(error)}") from error
        except (URLError, TimeoutError) as error:
            raise CliError(f"token endpoint {self._token_url}: {getattr(error, 'reason', error)}") from error
        except ValueError as error:
            raise AuthError(f"token endpoint {self._token_url}: the answer is not JSON") from error
        token = answer.get("access_token") if isinstance(answer, dict) else None
        if not isinstance(token, str):
            raise AuthError(f"token endpoint {self._token_url}: no access_token in the answer")
        return token, float(answer.get("expires_in", 3600))


def _oauth_error(error: HTTPError) -> str:
    body = error.read().decode(errors="replace")
    try:
        answer = json.loads(body)
    except ValueError:
        return body.strip() or str(error.reason)
    if not isinstance(answer, dict):
        return body.strip()
    return " ".join(str(answer[key]) for key in ("error", "error_description") if answer.get(key))


def credentials_from(api_token: str | None, environment: Mapping[str, str]) -> Credentials:
    """`--api-token`, else `CSMS_API_TOKEN`, else the client credentials (all three variables)."""
    token = api_token or environment.get(ENV_API_TOKEN)
    if token:
        return StaticToken(token)
    given = [name for name in CLIENT_CREDENTIALS if environment.get(name)]
    if len(given) == len(CLIENT_CREDENTIALS):
        return ClientCredentials(environment[ENV_TOKEN_URL], environment[ENV_CLIENT_ID], environment[ENV_CLIENT_SECRET])
    if given:
        missing = ", ".join(name for name in CLIENT_CREDENTIALS if name not in given)
        raise UsageError(f"client credentials need {missing} as well")
    raise UsageError(f"no credentials: give --api-token (or {ENV_API_TOKEN}), or set {', '.join(CLIENT_CREDENTIALS)}")
