"""A new password ends the connections opened with the old one, even one still inside its `$connect`."""

import base64
from typing import Any

import pytest

from csms import constants
from csms.composition import Services
from csms.gateway_path import AUTHORIZATION_COPY_HEADER
from csms.handlers.connection import authorize_connection, open_connection
from tests.fakes import RecordingSender

OLD_PASSWORD = "correct-horse-battery"
NEW_PASSWORD = "another-horse-battery"
METHOD_ARN = "arn:aws:execute-api:us-east-1:123456789012:abc123/ocpp/$connect"


@pytest.fixture
def services(fake_services: Services, monkeypatch: pytest.MonkeyPatch) -> Services:
    """The handlers' services are the fakes, with CP-1 registered with its old password."""
    monkeypatch.setattr("csms.handlers.connection.get_services", lambda: fake_services)
    fake_services.charge_point_administration.register("CP-1", OLD_PASSWORD)
    return fake_services


def authorized(password: str) -> dict[str, Any]:
    """What the authorizer put in the context of a connection CP-1 opened with `password`."""
    authorization = "Basic " + base64.b64encode(f"CP-1:{password}".encode()).decode()
    policy = authorize_connection(
        {
            "type": "REQUEST",
            "methodArn": METHOD_ARN,
            "headers": {
                constants.CHARGE_POINT_ID_HEADER: "CP-1",
                "Sec-WebSocket-Protocol": "ocpp1.6",
                AUTHORIZATION_COPY_HEADER: authorization,
            },
            "requestContext": {"routeKey": "$connect", "eventType": "CONNECT", "connectionId": "conn"},
        }
    )
    assert policy["policyDocument"]["Statement"][0]["Effect"] == "Allow"
    context: dict[str, Any] = policy["context"]
    return context


def connect(connection_id: str, authorizer: dict[str, Any]) -> dict[str, Any]:
    context = {"routeKey": "$connect", "eventType": "CONNECT", "connectionId": connection_id, "authorizer": authorizer}
    return open_connection({"requestContext": context})


def test_the_authorizer_names_the_password_without_revealing_it(services: Services) -> None:
    context = authorized(OLD_PASSWORD)

    fingerprint = context[constants.AUTHORIZER_CREDENTIALS]
    assert OLD_PASSWORD not in fingerprint
    assert services.admission.still_admitted("CP-1", fingerprint) is True


def test_a_new_password_closes_the_connection_opened_with_the_old_one(
    services: Services, sender: RecordingSender
) -> None:
    # Given CP-1 connected with its old password
    assert connect("conn-1", authorized(OLD_PASSWORD))["statusCode"] == 200

    # When the operator gives it a new password
    services.charge_point_administration.register("CP-1", NEW_PASSWORD)

    # Then that connection is closed, no longer current, and CP-1 is shown disconnected
    assert sender.closed == ["conn-1"]
    assert services.charge_points.is_current("CP-1", "conn-1") is False
    charge_point = services.charge_point_administration.get("CP-1")
    assert charge_point is not None
    assert charge_point.connected is False


def test_a_connection_admitted_with_the_old_password_just_before_the_change_is_refused(services: Services) -> None:
    # Given a connection the authorizer admitted with the old password
    context = authorized(OLD_PASSWORD)

    # When the password changes before its $connect makes it current
    services.charge_point_administration.register("CP-1", NEW_PASSWORD)
    response = connect("conn-1", context)

    # Then its $connect refuses it, and nothing of it stays
    assert response == {"statusCode": 401}
    assert services.charge_points.connection("conn-1") is None
    charge_point = services.charge_point_administration.get("CP-1")
    assert charge_point is not None
    assert (charge_point.connected, charge_point.connection_id) == (False, None)


def test_a_connection_made_current_just_before_the_change_does_not_survive(
    services: Services, sender: RecordingSender, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given the password changes right after a connection admitted with the old one became current,
    # while its $connect still runs (on AWS, closing it fails until $connect returns)
    make_current = services.charge_points.connected

    def connected_then_password_changed(*args: Any) -> None:
        make_current(*args)
        services.charge_point_administration.register("CP-1", NEW_PASSWORD)

    monkeypatch.setattr(services.charge_points, "connected", connected_then_password_changed)

    # When its $connect finishes
    response = connect("conn-1", authorized(OLD_PASSWORD))

    # Then it is refused, and was no longer current anyway
    assert response == {"statusCode": 401}
    assert services.charge_points.is_current("CP-1", "conn-1") is False


def test_the_new_password_connects(services: Services) -> None:
    services.charge_point_administration.register("CP-1", NEW_PASSWORD)

    assert connect("conn-2", authorized(NEW_PASSWORD))["statusCode"] == 200
    assert services.charge_points.is_current("CP-1", "conn-2") is True
