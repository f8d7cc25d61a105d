"""`$connect` (authorizer and route) and `$default` as API Gateway invokes them, over the fakes."""

import base64
import json
from typing import Any

import pytest

from csms import constants
from csms.composition import Services
from csms.domain.identity import hash_password, password_fingerprint
from csms.gateway_path import AUTHORIZATION_COPY_HEADER
from csms.handlers.connection import authorize_connection, open_connection
from csms.handlers.message import handle_message
from csms.settings import Settings, get_settings
from csms.wire.versions import OcppVersion
from tests.fakes import RecordingSender

ORIGIN_SECRET = "origin-secret"
PASSWORD = "correct-horse-battery"
PASSWORD_HASH = hash_password(PASSWORD)  # scrypt is slow on purpose: hash once for the module
METHOD_ARN = "arn:aws:execute-api:us-east-1:123456789012:abc123/ocpp/$connect"


@pytest.fixture
def settings(monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setenv(constants.ENV_ORIGIN_VERIFY_SECRET, ORIGIN_SECRET)
    get_settings.cache_clear()
    return get_settings()


@pytest.fixture
def services(fake_services: Services, monkeypatch: pytest.MonkeyPatch) -> Services:
    """The handlers' services are the fakes, with CP-1 registered."""
    for handler_module in ("csms.handlers.connection", "csms.handlers.message"):
        monkeypatch.setattr(f"{handler_module}.get_services", lambda: fake_services)
    fake_services.repositories.charge_points.register("CP-1", PASSWORD_HASH, fake_services.clock.now())
    return fake_services


def basic(credentials: bytes) -> str:
    return "Basic " + base64.b64encode(credentials).decode()


def authorizer_event(origin: str | None, authorization: str | None) -> dict[str, Any]:
    headers = {constants.CHARGE_POINT_ID_HEADER: "CP-1", "Sec-WebSocket-Protocol": "ocpp1.6"}
    if origin is not None:
        headers[constants.ORIGIN_VERIFY_HEADER] = origin
    if authorization is not None:
        headers[AUTHORIZATION_COPY_HEADER] = authorization
    return {
        "type": "REQUEST",
        "methodArn": METHOD_ARN,
        "headers": headers,
        "requestContext": {"routeKey": "$connect", "eventType": "CONNECT", "connectionId": "conn-1"},
    }


def route_event(route: str, connection_id: str, body: str | None = None) -> dict[str, Any]:
    """A `$connect` or `$default` event of CP-1 (1.6), with the authorizer's context."""
    authorizer = {
        constants.AUTHORIZER_CHARGE_POINT_ID: "CP-1",
        constants.AUTHORIZER_OCPP_VERSION: OcppVersion.V16.value,
        constants.AUTHORIZER_CREDENTIALS: password_fingerprint(PASSWORD_HASH),
        "principalId": "CP-1",
    }
    event_type = {"$connect": "CONNECT", "$default": "MESSAGE"}[route]
    context = {"routeKey": route, "eventType": event_type, "connectionId": connection_id, "authorizer": authorizer}
    return {"requestContext": context, "body": body, "isBase64Encoded": False}


def test_the_authorizer_allows_good_credentials(services: Services) -> None:
    policy = authorize_connection(authorizer_event(ORIGIN_SECRET, basic(f"CP-1:{PASSWORD}".encode())))

    assert policy["policyDocument"]["Statement"][0]["Effect"] == "Allow"
    assert policy["context"][constants.AUTHORIZER_CHARGE_POINT_ID] == "CP-1"


GOOD_AUTHORIZATION = basic(f"CP-1:{PASSWORD}".encode())
MALFORMED_HEADERS = {
    "no origin header": (None, GOOD_AUTHORIZATION),
    "wrong origin secret": ("not-the-secret", GOOD_AUTHORIZATION),
    "origin with non-ASCII characters": ("orígin-secret", GOOD_AUTHORIZATION),
    "origin with a lone surrogate": ("origin-secret\ud800", GOOD_AUTHORIZATION),
    "no authorization": (ORIGIN_SECRET, None),
    "empty authorization": (ORIGIN_SECRET, ""),
    "Basic alone": (ORIGIN_SECRET, "Basic"),
    "Basic, not base64": (ORIGIN_SECRET, "Basic !!!notbase64"),
    "Basic, non-ASCII instead of base64": (ORIGIN_SECRET, "Basic Q1AtMTpwYXNz\u00f1"),
    "Basic without a colon": (ORIGIN_SECRET, basic(f"CP-1{PASSWORD}".encode())),
    "Basic, not UTF-8 once decoded": (ORIGIN_SECRET, basic(b"CP-1:\xff\xfe\xfd")),
    "Basic, over-long": (ORIGIN_SECRET, basic(f"CP-1:{'x' * 20_000}".encode())),
    "Bearer": (ORIGIN_SECRET, "Bearer x"),
}


@pytest.mark.parametrize(("origin", "authorization"), MALFORMED_HEADERS.values(), ids=MALFORMED_HEADERS.keys())
def test_the_authorizer_answers_malformed_headers_with_401(
    services: Services, origin: str | None, authorization: str | None
) -> None:
    # API Gateway answers 401 to exactly this exception, and 500 to any other
    with pytest.raises(Exception, match=r"^Unauthorized$"):
        authorize_connection(authorizer_event(origin, authorization))


def test_connect_is_refused_when_a_later_connection_is_already_current(
    services: Services, sender: RecordingSender
) -> None:
    # Given a charge point whose later connection ("conn-2": same clock, greater id) is current
    assert open_connection(route_event("$connect", "conn-2"))["statusCode"] == 200

    # When the $connect of its earlier connection finishes only now
    response = open_connection(route_event("$connect", "conn-1"))

    # Then that one is refused, and the current connection stays as it was
    assert response == {"statusCode": 409}
    assert services.repositories.charge_points.current_connection_id("CP-1") == "conn-2"
    assert services.charge_points.connection("conn-1") is None
    assert sender.closed == []


def test_a_frame_on_a_replaced_connection_closes_it_unanswered(services: Services, sender: RecordingSender) -> None:
    # Given a connection replaced while its own $connect ran (so closing it then failed)
    open_connection(route_event("$connect", "conn-1"))
    open_connection(route_event("$connect", "conn-2"))
    sender.closed.clear()

    # When a frame arrives on it
    heartbeat = json.dumps([2, "hb-1", "Heartbeat", {}])
    response = handle_message(route_event("$default", "conn-1", heartbeat))

    # Then it is closed, unanswered, while the current connection is served
    assert (response, sender.closed, sender.sent) == ({"statusCode": 410}, ["conn-1"], [])
    assert handle_message(route_event("$default", "conn-2", heartbeat)) == {"statusCode": 200}
    assert [connection for connection, _ in sender.sent] == ["conn-2"]
