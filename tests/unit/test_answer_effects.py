"""Accepted answers that change stored state: configuration and reservations."""

from datetime import UTC, datetime
from typing import Any

import pytest

from csms.commands.effects import AnswerEffects
from csms.commands.models import Command, CommandStatus
from csms.composition import Services
from csms.wire.versions import OcppVersion

CREATED = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def command(action: str, version: OcppVersion, request: dict[str, Any]) -> Command:
    return Command("cmd-1", "CP-1", version, action, request, CommandStatus.SENT, CREATED)


@pytest.fixture
def effects(fake_services: Services) -> AnswerEffects:
    return AnswerEffects(
        fake_services.configuration, fake_services.reservations, fake_services.installed_profiles, fake_services.clock
    )


def test_get_configuration_answer_is_stored(effects: AnswerEffects, fake_services: Services) -> None:
    response = {"configurationKey": [{"key": "HeartbeatInterval", "readonly": False, "value": "300"}]}
    effects.apply(command("GetConfiguration", OcppVersion.V16, {}), CommandStatus.ACCEPTED, response)
    stored = fake_services.repositories.configuration.list("CP-1")
    assert [(v.variable, v.value) for v in stored] == [("HeartbeatInterval", "300")]


def test_get_variables_answer_is_stored(effects: AnswerEffects, fake_services: Services) -> None:
    response = {
        "getVariableResult": [
            {
                "attributeStatus": "Accepted",
                "attributeValue": "60",
                "component": {"name": "OCPPCommCtrlr"},
                "variable": {"name": "HeartbeatInterval"},
            }
        ]
    }
    effects.apply(command("GetVariables", OcppVersion.V201, {}), CommandStatus.ACCEPTED, response)
    stored = fake_services.repositories.configuration.list("CP-1")
    assert [(v.variable, v.value) for v in stored] == [("HeartbeatInterval", "60")]


@pytest.mark.parametrize(
    ("version", "request_payload"),
    [
        (OcppVersion.V16, {"connectorId": 1, "expiryDate": "2026-11-23T13:00:00Z", "idTag": "TAG", "reservationId": 7}),
        (
            OcppVersion.V201,
            {
                "id": 7,
                "expiryDateTime": "2026-11-23T13:00:00Z",
                "evseId": 1,
                "idToken": {"idToken": "TAG", "type": "ISO14443"},
            },
        ),
    ],
)
def test_accepted_reserve_now_records_then_cancel_ends_the_reservation(
    effects: AnswerEffects, fake_services: Services, version: OcppVersion, request_payload: dict[str, Any]
) -> None:
    effects.apply(command("ReserveNow", version, request_payload), CommandStatus.ACCEPTED, {"status": "Accepted"})
    reservation = fake_services.repositories.reservations.get("CP-1", 7)
    assert reservation is not None
    assert (reservation.id_token, reservation.status.value) == ("TAG", "Reserved")
    effects.apply(
        command("CancelReservation", version, {"reservationId": 7}), CommandStatus.ACCEPTED, {"status": "Accepted"}
    )
    cancelled = fake_services.repositories.reservations.get("CP-1", 7)
    assert cancelled is not None
    assert cancelled.status.value == "Cancelled"


def test_a_rejected_reserve_now_records_nothing(effects: AnswerEffects, fake_services: Services) -> None:
    request = {"connectorId": 1, "expiryDate": "2026-11-23T13:00:00Z", "idTag": "TAG", "reservationId": 8}
    effects.apply(command("ReserveNow", OcppVersion.V16, request), CommandStatus.REJECTED, {"status": "Occupied"})
    assert fake_services.repositories.reservations.get("CP-1", 8) is None


def stored_values(fake_services: Services) -> list[tuple[object, ...]]:
    return sorted((v.component, v.variable, v.value) for v in fake_services.repositories.configuration.list("CP-1"))


@pytest.mark.parametrize("status", ["Accepted", "RebootRequired"])
def test_an_accepted_change_configuration_updates_the_stored_configuration(
    effects: AnswerEffects, fake_services: Services, status: str
) -> None:
    request = {"key": "HeartbeatInterval", "value": "120"}
    effects.apply(command("ChangeConfiguration", OcppVersion.V16, request), CommandStatus.ACCEPTED, {"status": status})
    assert stored_values(fake_services) == [(None, "HeartbeatInterval", "120")]


def test_a_refused_change_configuration_or_a_password_is_not_stored(
    effects: AnswerEffects, fake_services: Services
) -> None:
    refused = command("ChangeConfiguration", OcppVersion.V16, {"key": "HeartbeatInterval", "value": "120"})
    effects.apply(refused, CommandStatus.REJECTED, {"status": "Rejected"})
    password = command("ChangeConfiguration", OcppVersion.V16, {"key": "AuthorizationKey", "value": "secret"})
    effects.apply(password, CommandStatus.ACCEPTED, {"status": "Accepted"})
    assert stored_values(fake_services) == []


def test_set_variables_stores_the_values_the_charger_accepted(effects: AnswerEffects, fake_services: Services) -> None:
    def data(component: str, variable: str, value: str) -> dict[str, Any]:
        return {"component": {"name": component}, "variable": {"name": variable}, "attributeValue": value}

    request = {
        "setVariableData": [
            data("OCPPCommCtrlr", "HeartbeatInterval", "120"),
            data("TxCtrlr", "EVConnectionTimeOut", "90"),
            data("SecurityCtrlr", "BasicAuthPassword", "a-secret-password"),
        ]
    }

    def result(status: str, component: str, variable: str) -> dict[str, Any]:
        return {"attributeStatus": status, "component": {"name": component}, "variable": {"name": variable}}

    response = {
        "setVariableResult": [
            result("Accepted", "OCPPCommCtrlr", "HeartbeatInterval"),
            result("Rejected", "TxCtrlr", "EVConnectionTimeOut"),
            result("Accepted", "SecurityCtrlr", "BasicAuthPassword"),
        ]
    }
    effects.apply(command("SetVariables", OcppVersion.V201, request), CommandStatus.ACCEPTED, response)
    assert stored_values(fake_services) == [("OCPPCommCtrlr", "HeartbeatInterval", "120")]
