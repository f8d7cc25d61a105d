"""/api/chargers through the handler: registration, pages and filters, detail, deletion, local list, profiles."""

from datetime import UTC, datetime

from csms.commands.models import Command, CommandStatus
from csms.composition import Services
from csms.domain.configuration_variables import ConfigurationVariable
from csms.domain.identity import verify_password
from csms.domain.models import BootInfo, ConnectorStatus, IdToken, IdTokenStatus
from csms.wire.versions import OcppVersion
from tests.api.conftest import OperatorApi

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
PASSWORD = "correct-horse-battery"


def register(api: OperatorApi, *charger_ids: str) -> None:
    for charger_id in charger_ids:
        assert api.request("PUT", f"/api/chargers/{charger_id}", {"password": PASSWORD}).status == 200


def test_a_new_password_replaces_the_old_one(api: OperatorApi, services: Services) -> None:
    register(api, "CP-1")

    response = api.request("PUT", "/api/chargers/CP-1", {"password": "another-horse-battery"})

    assert response.status == 200
    assert response.body["hasPassword"] is True
    stored = services.repositories.charge_points.get_credentials("CP-1").password_hash
    assert verify_password("another-horse-battery", stored)
    assert not verify_password(PASSWORD, stored)


def test_chargers_come_in_pages_by_id(api: OperatorApi) -> None:
    register(api, "CP-3", "CP-1", "CP-5", "CP-2", "CP-4")

    pages = api.pages("/api/chargers", limit=2)

    assert [[charger["id"] for charger in page] for page in pages] == [["CP-1", "CP-2"], ["CP-3", "CP-4"], ["CP-5"]]


def test_chargers_are_filtered_by_connection_and_connector_status(api: OperatorApi, services: Services) -> None:
    # Given a connected charger with a charging connector, one with a faulted connector, and a new one
    register(api, "CP-1", "CP-2", "CP-3")
    services.repositories.charge_points.record_connected("CP-1", "conn-1", OcppVersion.V16, T0)
    services.charge_points.status_changed("CP-1", ConnectorStatus(1, "Charging", T0))
    services.charge_points.status_changed("CP-1", ConnectorStatus(2, "Available", T0))
    services.charge_points.status_changed("CP-2", ConnectorStatus(1, "Faulted", T0))

    def ids(**query: object) -> list[str]:
        response = api.get("/api/chargers", **query)
        assert response.status == 200, response.text
        return [charger["id"] for charger in response.body["items"]]

    assert ids(connected="true") == ["CP-1"]
    assert ids(connected="false") == ["CP-2", "CP-3"]
    assert ids(status="Available") == ["CP-1"]
    assert ids(status="Faulted", connected="false") == ["CP-2"]
    assert ids(status="Faulted", connected="true") == []


def test_the_detail_shows_connectors_configuration_and_recent_commands(api: OperatorApi, services: Services) -> None:
    # Given a booted charger with a connector, reported configuration and a command
    register(api, "CP-1")
    services.charge_points.booted("CP-1", BootInfo("Acme", "AC-22", firmware_version="1.2"))
    services.charge_points.status_changed("CP-1", ConnectorStatus(1, "Available", T0, error_code="NoError"))
    services.configuration.record_report(
        "CP-1", [ConfigurationVariable("HeartbeatInterval", value="300", mutability="ReadWrite")]
    )
    services.repositories.commands.create(
        Command("cmd-1", "CP-1", OcppVersion.V16, "Reset", {"type": "Soft"}, CommandStatus.PENDING, T0)
    )

    # When it is read
    response = api.get("/api/chargers/CP-1")

    # Then
    assert response.status == 200
    charger = response.body
    assert (charger["vendor"], charger["model"], charger["firmwareVersion"]) == ("Acme", "AC-22", "1.2")
    assert [(c["connectorId"], c["status"], c["errorCode"]) for c in charger["connectors"]] == [
        (1, "Available", "NoError")
    ]
    [variable] = charger["configuration"]
    assert (variable["component"], variable["variable"], variable["value"], variable["mutability"]) == (
        None,
        "HeartbeatInterval",
        "300",
        "ReadWrite",
    )
    assert [(c["commandId"], c["action"], c["status"]) for c in charger["recentCommands"]] == [
        ("cmd-1", "Reset", "Pending")
    ]


def test_an_unknown_charger_is_404(api: OperatorApi) -> None:
    for path in ("/api/chargers/CP-X", "/api/chargers/CP-X/local-list", "/api/chargers/CP-X/charging-profiles"):
        response = api.get(path)
        assert (response.status, response.body) == (404, {"statusCode": 404, "message": "No charge point CP-X"})
    response = api.request("DELETE", "/api/chargers/CP-X")
    assert response.status == 404


def test_deleting_a_charger_forgets_it_with_its_configuration(api: OperatorApi, services: Services) -> None:
    register(api, "CP-1", "CP-2")
    services.configuration.record_report(
        "CP-1", [ConfigurationVariable("HeartbeatInterval", value="300", mutability="ReadWrite")]
    )

    response = api.request("DELETE", "/api/chargers/CP-1")

    assert (response.status, response.text) == (204, "")
    assert api.get("/api/chargers/CP-1").status == 404
    assert services.repositories.configuration.list("CP-1") == []
    assert [charger["id"] for charger in api.get("/api/chargers").body["items"]] == ["CP-2"]


def test_a_charger_whose_list_is_enabled_shows_it_pending_with_the_entries_for_its_version(
    api: OperatorApi, services: Services
) -> None:
    # Given a connected 1.6 charger and two tokens, one too long for a 1.6 list
    register(api, "CP-1")
    services.repositories.charge_points.record_connected("CP-1", "conn-1", OcppVersion.V16, T0)
    services.repositories.id_tokens.put(IdToken("TAG-1", IdTokenStatus.ACCEPTED))
    services.repositories.id_tokens.put(IdToken("T" * 25, IdTokenStatus.BLOCKED))

    # When its local list is enabled
    assert api.request("PUT", "/api/chargers/CP-1", {"localList": {"enabled": True}}).status == 200

    # Then the charger shows the setting, and the list is pending: its limits are asked first
    assert api.get("/api/chargers/CP-1").body["localList"] == {"enabled": True}
    response = api.get("/api/chargers/CP-1/local-list")
    assert response.status == 200
    body = response.body
    assert (body["enabled"], body["setting"], body["version"], body["status"]) == (
        True,
        {"enabled": True},
        None,
        "Pending",
    )
    assert [(entry["idToken"], entry["status"]) for entry in body["entries"]] == [("TAG-1", "Accepted")]
    commands = services.commands.list_for_charge_point("CP-1", 10).items
    assert [(command.action, command.request) for command in commands] == [
        ("GetConfiguration", {"key": ["SendLocalListMaxLength", "LocalAuthListMaxLength"]})
    ]
