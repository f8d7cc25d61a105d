"""The operator CLI's client credentials against a local token endpoint: one token per lifetime,
renewed before it expires; and which credentials the options and environment give."""

import pytest

from csms.constants import OPERATOR_SCOPE
from csms.operator_cli.credentials import ClientCredentials, StaticToken, credentials_from
from csms.operator_cli.errors import AuthError, ExitCode, UsageError
from tests.token_endpoint import CLIENT_ID, CLIENT_SECRET, token_endpoint


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_token_is_requested_once_and_kept_until_shortly_before_it_expires() -> None:
    clock = Clock()
    with token_endpoint("token-1", expires_in=3600) as endpoint:
        credentials = ClientCredentials(endpoint.url, CLIENT_ID, CLIENT_SECRET, clock=clock)

        assert credentials.bearer_token() == "token-1"
        clock.now += 3500
        assert credentials.bearer_token() == "token-1"
        assert endpoint.granted == [{"grant_type": "client_credentials", "scope": OPERATOR_SCOPE}]

        clock.now += 41  # 59 s before it expires
        credentials.bearer_token()
        assert len(endpoint.granted) == 2


def test_a_short_lived_token_is_renewed_a_tenth_of_its_lifetime_early() -> None:
    clock = Clock()
    with token_endpoint("token-1", expires_in=100) as endpoint:
        credentials = ClientCredentials(endpoint.url, CLIENT_ID, CLIENT_SECRET, clock=clock)
        credentials.bearer_token()
        clock.now += 89
        credentials.bearer_token()
        assert len(endpoint.granted) == 1

        clock.now += 1
        credentials.bearer_token()
        assert len(endpoint.granted) == 2


def test_refused_client_credentials_are_an_auth_error_with_the_endpoints_reason() -> None:
    with token_endpoint("token-1") as endpoint:
        credentials = ClientCredentials(endpoint.url, CLIENT_ID, "wrong secret")

        with pytest.raises(AuthError, match="400 invalid_client") as refused:
            credentials.bearer_token()
    assert refused.value.exit_code == ExitCode.AUTH


def test_the_token_option_wins_over_the_environment() -> None:
    environment = {
        "CSMS_API_TOKEN": "from-env",
        "CSMS_CLIENT_ID": "i",
        "CSMS_CLIENT_SECRET": "s",
        "CSMS_TOKEN_URL": "u",
    }

    assert credentials_from("from-option", environment).bearer_token() == "from-option"
    assert credentials_from(None, environment).bearer_token() == "from-env"


def test_the_three_client_credential_variables_give_client_credentials() -> None:
    environment = {"CSMS_CLIENT_ID": "i", "CSMS_CLIENT_SECRET": "s", "CSMS_TOKEN_URL": "u"}

    assert isinstance(credentials_from(None, environment), ClientCredentials)
    assert isinstance(credentials_from(None, {"CSMS_API_TOKEN": "t"}), StaticToken)


@pytest.mark.parametrize(
    ("environment", "message"),
    [
        ({}, "no credentials"),
        ({"CSMS_CLIENT_ID": "i", "CSMS_TOKEN_URL": "u"}, "need CSMS_CLIENT_SECRET as well"),
    ],
)
def test_missing_credentials_are_a_usage_error(environment: dict[str, str], message: str) -> None:
    with pytest.raises(UsageError, match=message):
        credentials_from(None, environment)
