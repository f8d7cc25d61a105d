"""Repeated wrong passwords for one charge point id: the refusal waits longer and longer (capped), the right
password is admitted at once, and one critical finding is recorded per id and window."""

import base64
import time
from typing import Any

import pytest

from csms import constants
from csms.composition import Services
from csms.domain.admission import ConnectionRefusedError
from csms.domain.identity import hash_password
from csms.domain.security_events import SecurityEventFilter, SecurityEventSource
from csms.domain.wrong_passwords import FINDING, answer_delay
from csms.gateway_path import AUTHORIZATION_COPY_HEADER
from csms.handlers.connection import authorize_connection
from tests.fakes import FixedClock

PASSWORD = "correct-horse-battery"
PASSWORD_HASH = hash_password(PASSWORD)  # scrypt is slow on purpose: hash once for the module


def basic(username: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()


@pytest.fixture
def services(fake_services: Services) -> Services:
    fake_services.repositories.charge_points.register("CP-1", PASSWORD_HASH, fake_services.clock.now())
    return fake_services


def wrong(services: Services, charge_point_id: str = "CP-1") -> float:
    with pytest.raises(ConnectionRefusedError) as refused:
        services.admission.admit(charge_point_id, "ocpp1.6", basic(charge_point_id, "guess"))
    return refused.value.answer_delay


def findings(services: Services) -> list[Any]:
    return services.security_events.page(SecurityEventFilter(type=FINDING), 100).items


def test_the_figures() -> None:
    assert [answer_delay(n) for n in range(1, 11)] == [0, 0, 0, 0.5, 1, 2, 4, 5, 5, 5]


def test_each_wrong_password_waits_longer_and_the_fifth_is_reported_once(services: Services) -> None:
    delays = [wrong(services) for _ in range(12)]

    assert delays == [answer_delay(n) for n in range(1, 13)]
    [finding] = findings(services)
    assert (finding.charge_point_id, finding.critical, finding.source, finding.detail) == (
        "CP-1",
        True,
        SecurityEventSource.CSMS,
        {"failures": 5, "windowMinutes": 15},
    )


def test_the_right_password_is_admitted_at_once_whatever_came_before(services: Services) -> None:
    for _ in range(10):
        wrong(services)

    admission = services.admission.admit("CP-1", "ocpp1.6", basic("CP-1", PASSWORD))

    assert admission.charge_point_id == "CP-1"


def test_a_new_window_starts_afresh_and_may_be_reported_again(services: Services, clock: FixedClock) -> None:
    for _ in range(6):
        wrong(services)
    clock.advance(minutes=16)

    assert [wrong(services) for _ in range(5)] == [0, 0, 0, 0.5, 1]
    assert len(findings(services)) == 2


def test_other_ids_are_counted_apart_and_unknown_ids_not_at_all(services: Services) -> None:
    services.repositories.charge_points.register("CP-2", PASSWORD_HASH, services.clock.now())
    for _ in range(6):
        wrong(services, "CP-2")
    for number in range(100):
        wrong(services, f"NOBODY-{number}")

    assert wrong(services) == 0
    assert [finding.charge_point_id for finding in findings(services)] == ["CP-2"]
    assert set(services.repositories.wrong_password_counter.windows) == {"CP-1", "CP-2"}  # type: ignore[attr-defined]


def test_the_authorizer_waits_before_refusing(services: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("csms.handlers.connection.get_services", lambda: services)
    event = {
        "type": "REQUEST",
        "methodArn": "arn:aws:execute-api:us-east-1:123456789012:abc123/ocpp/$connect",
        "headers": {
            constants.CHARGE_POINT_ID_HEADER: "CP-1",
            "Sec-WebSocket-Protocol": "ocpp1.6",
            AUTHORIZATION_COPY_HEADER: basic("CP-1", "guess"),
        },
    }
    for _ in range(3):
        wrong(services)

    started = time.monotonic()
    with pytest.raises(Exception, match="Unauthorized"):
        authorize_connection(event)

    assert time.monotonic() - started >= answer_delay(4)
