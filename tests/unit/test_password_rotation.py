"""Rotating a charger's Basic-auth password: both passwords admit it until it connects with the new one, then only
the new one; a refusal or a call it never got calls the rotation off; a call left unanswered does not."""

import base64
from typing import Any

import pytest

from csms.commands.models import Command
from csms.commands.workflow_definition import Step
from csms.composition import Services
from csms.domain.admission import ConnectionRefusedError
from csms.domain.basic_auth_passwords import generated_password, password_violations
from csms.domain.identity import hash_password
from csms.domain.violations import InvalidValuesError, RuleViolationError
from csms.wire.versions import OcppVersion
from tests.fakes import FixedClock
from tests.unit.stations import answer_on_the_workflow as answer

OLD = "correct-horse-battery"
OLD_HASH = hash_password(OLD)  # scrypt is slow on purpose: hash once for the module
NEW_201 = "a-brand-new-passphrase-of-ours"
NEW_16 = "00112233445566778899aabbccddeeff0011aabb"


def basic(charge_point_id: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{charge_point_id}:{password}".encode()).decode()


@pytest.fixture
def services(fake_services: Services) -> Services:
    for charge_point_id, version in (("CP-16", OcppVersion.V16), ("CP-201", OcppVersion.V201)):
        fake_services.repositories.charge_points.register(charge_point_id, OLD_HASH, fake_services.clock.now())
        fake_services.charge_points.connected(charge_point_id, f"conn-{charge_point_id}", version)
    return fake_services


def connects(services: Services, charge_point_id: str, password: str) -> bool:
    """The authorizer and then `$connect`, as a charge point's connection goes through both."""
    subprotocol = "ocpp1.6" if charge_point_id == "CP-16" else "ocpp2.0.1"
    try:
        admission = services.admission.admit(charge_point_id, subprotocol, basic(charge_point_id, password))
    except ConnectionRefusedError:
        return False
    return services.admission.still_admitted(charge_point_id, admission.credentials)


def fail(services: Services, command: Command, error: str) -> None:
    state = {"commandId": command.command_id, "failure": {"Error": error, "Cause": "test"}}
    services.command_workflow.perform(Step.RECORD_FAILURE, state, "token")


def test_a_2_0_1_charger_is_sent_set_variables_and_the_password_is_answered_once(services: Services) -> None:
    started = services.password_rotation.rotate("CP-201", NEW_201)

    assert started.password == NEW_201
    command = started.command
    assert (command.action, command.request) == (
        "SetVariables",
        {
            "setVariableData": [
                {
                    "component": {"name": "SecurityCtrlr"},
                    "variable": {"name": "BasicAuthPassword"},
                    "attributeValue": NEW_201,
                }
            ]
        },
    )
    assert services.repositories.pending_passwords.get("CP-201") != NEW_201  # a hash, not the password


def test_a_1_6_charger_is_sent_change_configuration_authorization_key_with_a_generated_password(
    services: Services,
) -> None:
    started = services.password_rotation.rotate("CP-16")

    assert started.command.action == "ChangeConfiguration"
    assert started.command.request == {"key": "AuthorizationKey", "value": started.password}
    assert password_violations(OcppVersion.V16, started.password) == []


@pytest.mark.parametrize("charge_point_id", ["CP-16", "CP-201"])
def test_both_passwords_work_until_the_charger_connects_with_the_new_one_then_only_the_new_one(
    services: Services, charge_point_id: str
) -> None:
    new = services.password_rotation.rotate(charge_point_id).password

    assert connects(services, charge_point_id, OLD)
    assert connects(services, charge_point_id, new)  # promotes it
    assert not connects(services, charge_point_id, OLD)
    assert connects(services, charge_point_id, new)
    assert services.repositories.pending_passwords.get(charge_point_id) is None


def test_a_connection_with_the_current_password_reads_nothing_about_a_rotation(services: Services) -> None:
    services.password_rotation.rotate("CP-201", NEW_201)
    reads = []
    pending = services.repositories.pending_passwords
    original_get = pending.get
    pending.get = lambda charge_point_id: reads.append(charge_point_id) or original_get(charge_point_id)  # type: ignore[method-assign]

    assert connects(services, "CP-201", OLD)
    assert reads == []


@pytest.mark.parametrize(
    ("charge_point_id", "response"),
    [
        ("CP-16", {"status": "Rejected"}),
        ("CP-16", {"status": "NotSupported"}),
        (
            "CP-201",
            {
                "setVariableResult": [
                    {
                        "attributeStatus": "Rejected",
                        "component": {"name": "SecurityCtrlr"},
                        "variable": {"name": "BasicAuthPassword"},
                    }
                ]
            },
        ),
    ],
)
def test_a_rotation_the_charger_refuses_is_called_off(
    services: Services, charge_point_id: str, response: dict[str, Any]
) -> None:
    started = services.password_rotation.rotate(charge_point_id)

    answer(services, started.command, response)

    assert services.repositories.pending_passwords.get(charge_point_id) is None
    assert not connects(services, charge_point_id, started.password)
    assert connects(services, charge_point_id, OLD)


def test_an_accepted_rotation_stays_pending_until_the_charger_connects(services: Services) -> None:
    started = services.password_rotation.rotate("CP-16")

    answer(services, started.command, {"status": "Accepted"})

    assert services.repositories.pending_passwords.get("CP-16") is not None
    assert connects(services, "CP-16", started.password)


@pytest.mark.parametrize(
    ("error", "called_off"),
    [
        ("NotSupported", True),
        ("Offline", True),
        ("QueueTimeout", True),
        ("States.Timeout", False),
        ("InvalidResponse", False),
    ],
)
def test_a_failure_calls_the_rotation_off_only_when_the_charger_cannot_have_taken_it(
    services: Services, error: str, called_off: bool
) -> None:
    started = services.password_rotation.rotate("CP-201")

    fail(services, started.command, error)

    assert (services.repositories.pending_passwords.get("CP-201") is None) is called_off
    assert connects(services, "CP-201", started.password) is not called_off


def test_an_older_rotation_refused_late_leaves_the_newer_one_pending(services: Services) -> None:
    first = services.password_rotation.rotate("CP-201")
    second = services.password_rotation.rotate("CP-201")

    answer(
        services,
        first.command,
        {
            "setVariableResult": [
                {
                    "attributeStatus": "Rejected",
                    "component": {"name": "SecurityCtrlr"},
                    "variable": {"name": "BasicAuthPassword"},
                }
            ]
        },
    )

    assert connects(services, "CP-201", second.password)
    assert not connects(services, "CP-201", first.password)


def test_a_password_the_operator_sets_ends_a_rotation_under_way(services: Services) -> None:
    started = services.password_rotation.rotate("CP-201")

    services.charge_point_administration.register("CP-201", "an-operator-password")

    assert services.repositories.pending_passwords.get("CP-201") is None
    assert not connects(services, "CP-201", started.password)


@pytest.mark.parametrize(
    ("charge_point_id", "password"),
    [
        ("CP-16", "not-hex-at-all-not-hex-at-all-xx"),
        ("CP-16", "00112233445566778899aabbccddee"),  # 15 bytes
        ("CP-16", "00112233445566778899aabbccddeeff00112233445566"),  # 23 bytes
        ("CP-16", "00112233445566778899aabbccddeeff0"),  # odd
        ("CP-201", "too-short"),
        ("CP-201", "x" * 41),
        ("CP-201", "with\na-newline-in-it"),
    ],
)
def test_a_password_the_version_cannot_take_is_refused_and_nothing_is_pending(
    services: Services, charge_point_id: str, password: str
) -> None:
    with pytest.raises(InvalidValuesError):
        services.password_rotation.rotate(charge_point_id, password)

    assert services.repositories.pending_passwords.get(charge_point_id) is None
    assert services.commands.list_for_charge_point(charge_point_id, 10).items == []


def test_a_charger_without_a_password_has_none_to_rotate(services: Services, clock: FixedClock) -> None:
    services.repositories.charge_points.register("CP-OPEN", None, clock.now())
    services.charge_points.connected("CP-OPEN", "conn-open", OcppVersion.V201)

    with pytest.raises(RuleViolationError):
        services.password_rotation.rotate("CP-OPEN")


def test_generated_passwords_are_the_longest_each_version_allows_and_differ() -> None:
    assert len(generated_password(OcppVersion.V16)) == 40
    assert len(generated_password(OcppVersion.V201)) == 40
    assert generated_password(OcppVersion.V201) != generated_password(OcppVersion.V201)


def test_the_command_shown_to_operators_hides_the_password(services: Services) -> None:
    from csms.api.routes.commands import CommandView  # noqa: PLC0415

    started = services.password_rotation.rotate("CP-16", NEW_16)

    assert CommandView.of(started.command).request == {"key": "AuthorizationKey", "value": "********"}
