"""Provisioning at first boot: Pending while the settings are applied, Accepted once all are taken, Pending with
the reason when one is refused; on the fakes and on DynamoDB (moto) alike."""

from decimal import Decimal
from typing import Any

import pytest

from csms.commands.models import Command
from csms.composition import Services
from csms.domain.configuration_settings import parse_settings
from csms.domain.provisioning import PENDING_BOOT_INTERVAL_SECONDS, ProvisioningStatus
from csms.domain.sites import Site, WiringChange
from csms.wire.versions import OcppVersion
from tests.unit.stations import Station, answer_on_the_workflow

BOOT16 = {"chargePointVendor": "V", "chargePointModel": "M"}
BOOT201 = {"reason": "PowerUp", "chargingStation": {"vendorName": "V", "model": "M"}}
SETTINGS = [
    {"key": "HeartbeatInterval", "value": "120"},
    {"key": "MeterValueSampleInterval", "value": "30"},
    {"component": {"name": "OCPPCommCtrlr"}, "variable": {"name": "HeartbeatInterval"}, "value": "120"},
]


@pytest.fixture
def services(services_on_each_storage: Services) -> Services:
    return services_on_each_storage


def connected(services: Services, version: OcppVersion) -> Station:
    services.charge_points.connected("CP-1", "conn-1", version)
    return Station(services, version)


def sent(services: Services, action: str | None = None) -> list[Command]:
    commands = services.commands.list_for_charge_point("CP-1", 100).items
    return sorted((c for c in commands if action in (None, c.action)), key=lambda c: (c.created_at, str(c.request)))


def boot(station: Station) -> dict[str, Any]:
    return station.call("BootNotification", BOOT16 if station.version is OcppVersion.V16 else BOOT201)


def test_a_charger_without_a_profile_is_accepted_and_sent_nothing(services: Services) -> None:
    station = connected(services, OcppVersion.V16)
    assert boot(station)["status"] == "Accepted"
    assert sent(services) == []
    assert services.provisioning.state("CP-1").status is None


def test_a_1_6_charger_is_pending_until_every_key_is_taken_then_triggered_and_accepted(services: Services) -> None:
    station = connected(services, OcppVersion.V16)
    services.provisioning.set_profile("CP-1", parse_settings(SETTINGS))

    # When it boots, it is Pending and gets one ChangeConfiguration per 1.6 key (the 2.0.1 entry is not its own)
    answer = boot(station)
    assert (answer["status"], answer["interval"]) == ("Pending", PENDING_BOOT_INTERVAL_SECONDS)
    changes = sent(services, "ChangeConfiguration")
    assert [c.request for c in changes] == SETTINGS[:2]
    # and a boot while they are on their way sends nothing again
    assert boot(station)["status"] == "Pending"
    assert len(sent(services)) == 2

    # When it takes the first, it is still applying; when it takes the last (RebootRequired counts), it is restarted
    services.provisioning.answered(changes[0], {"status": "Accepted"})
    assert services.provisioning.state("CP-1").status is ProvisioningStatus.APPLYING
    services.provisioning.answered(changes[1], {"status": "RebootRequired"})
    assert services.provisioning.state("CP-1").status is ProvisioningStatus.APPLIED
    assert [c.request for c in sent(services, "Reset")] == [{"type": "Soft"}]

    # Then its next boot is Accepted, and sends nothing more
    assert boot(station)["status"] == "Accepted"
    assert len(sent(services)) == 3


def test_a_2_0_1_charger_gets_one_set_variables_and_a_trigger_message(services: Services) -> None:
    station = connected(services, OcppVersion.V201)
    services.provisioning.set_profile("CP-1", parse_settings(SETTINGS))

    assert boot(station)["status"] == "Pending"
    (set_variables,) = sent(services, "SetVariables")
    (data,) = set_variables.request["setVariableData"]
    result = {"attributeStatus": "Accepted", "component": data["component"], "variable": data["variable"]}
    services.provisioning.answered(set_variables, {"setVariableResult": [result]})

    assert [c.request for c in sent(services, "TriggerMessage")] == [{"requestedMessage": "BootNotification"}]
    assert boot(station)["status"] == "Accepted"


def test_a_refused_setting_keeps_the_charger_pending_with_the_reason(services: Services) -> None:
    station = connected(services, OcppVersion.V16)
    services.provisioning.set_profile("CP-1", parse_settings(SETTINGS))
    boot(station)
    first, second = sent(services, "ChangeConfiguration")

    services.provisioning.answered(first, {"status": "Accepted"})
    services.provisioning.answered(second, {"status": "NotSupported"})

    state = services.provisioning.state("CP-1")
    assert (state.status, state.reason) == (ProvisioningStatus.REJECTED, "MeterValueSampleInterval: NotSupported")
    assert boot(station)["status"] == "Pending"
    assert len(sent(services)) == 2  # not sent again until the profile changes

    # A new profile is applied at the next boot
    services.provisioning.set_profile("CP-1", parse_settings(SETTINGS[:1]))
    assert services.provisioning.state("CP-1").status is ProvisioningStatus.PENDING
    assert boot(station)["status"] == "Pending"
    assert len(sent(services, "ChangeConfiguration")) == 3


def test_the_site_default_applies_unless_the_charger_has_its_own(services: Services) -> None:
    station = connected(services, OcppVersion.V16)
    depot = Site("depot", "Depot", grid_limit_amps=Decimal(100), provisioning=parse_settings(SETTINGS))
    services.repositories.sites.put(depot, services.clock.now())
    services.repositories.charge_points.register(
        "CP-1", None, services.clock.now(), None, WiringChange(site_id="depot")
    )
    assert services.provisioning.state("CP-1").source == "site"
    assert boot(station)["status"] == "Pending"
    assert len(sent(services, "ChangeConfiguration")) == 2

    services.provisioning.set_profile("CP-1", ())
    assert services.provisioning.state("CP-1").source is None
    assert boot(station)["status"] == "Accepted"


@pytest.mark.parametrize("version", [OcppVersion.V16, OcppVersion.V201])
def test_the_answers_recorded_by_the_command_workflow_apply_the_profile(
    services: Services, version: OcppVersion
) -> None:
    """The answer step of the command workflow (not a direct call) hands each setting's answer to provisioning."""
    station = connected(services, version)
    services.provisioning.set_profile("CP-1", parse_settings(SETTINGS))
    boot(station)

    for command in sent(services, "ChangeConfiguration" if version is OcppVersion.V16 else "SetVariables"):
        answer_on_the_workflow(services, command, accepted(command))

    assert services.provisioning.state("CP-1").status is ProvisioningStatus.APPLIED
    assert [c.request for c in sent(services, "TriggerMessage")] == [{"requestedMessage": "BootNotification"}]
    assert boot(station)["status"] == "Accepted"


def accepted(command: Command) -> dict[str, Any]:
    if command.action == "ChangeConfiguration":
        return {"status": "Accepted"}
    results = [
        {"attributeStatus": "Accepted", "component": data["component"], "variable": data["variable"]}
        for data in command.request["setVariableData"]
    ]
    return {"setVariableResult": results}
