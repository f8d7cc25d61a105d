"""Moving a charger up to security profile 3: each step's command goes out when the one before is answered (through
the command workflow's steps, as the answers arrive), a step the charger does not need is skipped, a refusal or a
failure fails the upgrade with the reason, and only a connection with the certificate records the profile."""

from typing import Any

import pytest

from csms.commands.errors import ChargePointOfflineError
from csms.commands.models import Command
from csms.commands.workflow_definition import Step
from csms.domain.identity import hash_password
from csms.domain.violations import InvalidValuesError
from csms.pki.profile_upgrades import UPGRADE_DEADLINE, ProfileUpgrade, UpgradeStatus, UpgradeStep
from csms.pki.security_profile_upgrade import UpgradeRequest, UpgradeRunningError
from csms.timeutil import format_timestamp
from csms.wire.versions import OcppVersion
from tests.pki_requests import csr_pem
from tests.wired import WiredServices

CP201, CP16 = "CP-201", "CP-16"
URL = "wss://csms.example.com/ocpp/"
UPGRADE = UpgradeRequest(3, URL)
PASSWORD_HASH = hash_password("correct-horse-battery")


@pytest.fixture
def services(fake_services: WiredServices) -> WiredServices:
    for charge_point_id, version in ((CP16, OcppVersion.V16), (CP201, OcppVersion.V201)):
        fake_services.repositories.charge_points.register(charge_point_id, PASSWORD_HASH, fake_services.clock.now())
        fake_services.charge_points.connected(charge_point_id, f"conn-{charge_point_id}", version)
    return fake_services


def _state(command: Command) -> dict[str, Any]:
    return {"commandId": command.command_id, "timeoutSeconds": 30}


def answered(services: WiredServices, command: Command, response: dict[str, Any]) -> None:
    """The command through its workflow's steps, answered `response` by the charger."""
    state = _state(command)
    services.command_workflow.perform(Step.ACQUIRE_LOCK, state, f"lock-{command.command_id}")
    services.command_workflow.perform(Step.SEND, state, f"send-{command.command_id}")
    answer = {"response": response, "answeredAt": format_timestamp(services.clock.now())}
    services.command_workflow.perform(Step.RECORD_ANSWER, {**state, "answer": answer}, "record")


def failed(services: WiredServices, command: Command, error: str) -> None:
    state = {**_state(command), "failure": {"Error": error, "Cause": "test"}}
    services.command_workflow.perform(Step.RECORD_FAILURE, state, "failure")


def upgrade_of(services: WiredServices, charge_point_id: str) -> ProfileUpgrade:
    state = services.security_profile_upgrades.state(charge_point_id)
    assert state.upgrade is not None
    return state.upgrade


def last_command(services: WiredServices, charge_point_id: str) -> Command:
    """The upgrade's latest command."""
    command_id = upgrade_of(services, charge_point_id).command_ids[-1]
    return services.repositories.commands.commands[command_id]


def sent(services: WiredServices, charge_point_id: str) -> tuple[str, dict[str, Any]]:
    command = last_command(services, charge_point_id)
    return command.action, command.request


def signed(services: WiredServices, charge_point_id: str, version: OcppVersion) -> Command:
    """The charger's SignCertificate, answered Accepted: its CertificateSigned command."""
    before = set(services.repositories.commands.commands)
    assert services.certificates.sign_requested(charge_point_id, version, csr_pem(charge_point_id)).accepted
    [command_id] = set(services.repositories.commands.commands) - before
    return services.repositories.commands.commands[command_id]


def holding_certificate_and_root(services: WiredServices, charge_point_id: str, version: OcppVersion) -> None:
    answered(services, signed(services, charge_point_id, version), {"status": "Accepted"})
    root_type = "CSMSRootCertificate" if version is OcppVersion.V201 else "CentralSystemRootCertificate"
    install = services.installed_certificates.install(charge_point_id, root_type, services.certificates.root_pem())
    answered(services, install, {"status": "Accepted"})


def priority_answer(value: str) -> dict[str, Any]:
    return {
        "getVariableResult": [
            {
                "attributeStatus": "Accepted",
                "component": {"name": "OCPPCommCtrlr"},
                "variable": {"name": "NetworkConfigurationPriority"},
                "attributeValue": value,
            }
        ]
    }


def priority_set(status: str) -> dict[str, Any]:
    return {
        "setVariableResult": [
            {
                "attributeStatus": status,
                "component": {"name": "OCPPCommCtrlr"},
                "variable": {"name": "NetworkConfigurationPriority"},
            }
        ]
    }


def test_a_2_0_1_charger_is_given_a_certificate_the_root_and_a_network_profile_and_is_at_3_once_it_reconnects(
    services: WiredServices,
) -> None:
    services.security_profile_upgrades.start(CP201, UPGRADE)
    assert sent(services, CP201) == ("TriggerMessage", {"requestedMessage": "SignChargingStationCertificate"})
    answered(services, last_command(services, CP201), {"status": "Accepted"})
    assert upgrade_of(services, CP201).step is UpgradeStep.CERTIFICATE  # until the certificate is installed

    answered(services, signed(services, CP201, OcppVersion.V201), {"status": "Accepted"})
    assert sent(services, CP201) == (
        "InstallCertificate",
        {"certificateType": "CSMSRootCertificate", "certificate": services.certificates.root_pem()},
    )
    answered(services, last_command(services, CP201), {"status": "Accepted"})
    action, request = sent(services, CP201)
    assert (action, request["getVariableData"][0]["variable"]) == (
        "GetVariables",
        {"name": "NetworkConfigurationPriority"},
    )
    answered(services, last_command(services, CP201), priority_answer("0,2"))
    assert sent(services, CP201) == (
        "SetNetworkProfile",
        {
            "configurationSlot": 1,
            "connectionData": {
                "ocppVersion": "OCPP20",
                "ocppTransport": "JSON",
                "ocppCsmsUrl": URL,
                "messageTimeout": 30,
                "securityProfile": 3,
                "ocppInterface": "Wired0",
            },
        },
    )
    answered(services, last_command(services, CP201), {"status": "Accepted"})
    action, request = sent(services, CP201)
    assert (action, request["setVariableData"][0]["attributeValue"]) == ("SetVariables", "1,0,2")
    answered(services, last_command(services, CP201), priority_set("Accepted"))
    assert sent(services, CP201) == ("Reset", {"type": "OnIdle"})
    answered(services, last_command(services, CP201), {"status": "Accepted"})

    assert (upgrade_of(services, CP201).step, upgrade_of(services, CP201).status) == (
        UpgradeStep.RECONNECT,
        UpgradeStatus.RUNNING,
    )
    assert services.security_profile_upgrades.state(CP201).security_profile == 2  # nothing recorded before
    services.security_profile_upgrades.reconnected_with_certificate(CP201)
    state = services.security_profile_upgrades.state(CP201)
    assert (state.security_profile, state.upgrade and state.upgrade.status) == (3, UpgradeStatus.COMPLETED)
    assert len(state.upgrade.command_ids if state.upgrade else ()) == 6


def test_a_charger_holding_a_certificate_and_the_root_goes_straight_to_its_profile(services: WiredServices) -> None:
    holding_certificate_and_root(services, CP201, OcppVersion.V201)

    started = services.security_profile_upgrades.start(CP201, UpgradeRequest(3, URL, "Wireless0", 4))

    assert (started.step, sent(services, CP201)[0]) == (UpgradeStep.PRIORITY_READ, "GetVariables")
    answered(services, last_command(services, CP201), priority_answer("0"))
    request = sent(services, CP201)[1]
    assert (request["configurationSlot"], request["connectionData"]["ocppInterface"]) == (4, "Wireless0")


@pytest.mark.parametrize(("answer", "reset"), [("Accepted", None), ("RebootRequired", {"type": "Soft"})])
def test_a_1_6_charger_is_sent_change_configuration_security_profile_3(
    services: WiredServices, answer: str, reset: dict[str, Any] | None
) -> None:
    holding_certificate_and_root(services, CP16, OcppVersion.V16)

    services.security_profile_upgrades.start(CP16, UpgradeRequest(3))
    assert sent(services, CP16) == ("ChangeConfiguration", {"key": "SecurityProfile", "value": "3"})
    answered(services, last_command(services, CP16), {"status": answer})

    if reset is not None:
        assert sent(services, CP16) == ("Reset", reset)
        answered(services, last_command(services, CP16), {"status": "Accepted"})
    assert upgrade_of(services, CP16).step is UpgradeStep.RECONNECT
    services.security_profile_upgrades.reconnected_with_certificate(CP16)
    assert services.security_profile_upgrades.state(CP16).security_profile == 3


def test_a_rejected_network_profile_fails_the_upgrade_with_the_reason(services: WiredServices) -> None:
    holding_certificate_and_root(services, CP201, OcppVersion.V201)
    services.security_profile_upgrades.start(CP201, UPGRADE)
    answered(services, last_command(services, CP201), priority_answer("0"))

    answered(
        services, last_command(services, CP201), {"status": "Rejected", "statusInfo": {"reasonCode": "InvalidURL"}}
    )

    upgrade = upgrade_of(services, CP201)
    assert (upgrade.status, upgrade.reason) == (
        UpgradeStatus.FAILED,
        "SetNetworkProfile answered Rejected (InvalidURL)",
    )
    services.security_profile_upgrades.reconnected_with_certificate(CP201)
    assert services.security_profile_upgrades.state(CP201).security_profile == 2
    assert len(upgrade.command_ids) == 2  # nothing sent after the refusal


def test_a_rejected_certificate_signed_fails_the_upgrade(services: WiredServices) -> None:
    services.security_profile_upgrades.start(CP201, UPGRADE)
    answered(services, last_command(services, CP201), {"status": "Accepted"})

    answered(services, signed(services, CP201, OcppVersion.V201), {"status": "Rejected"})

    upgrade = upgrade_of(services, CP201)
    assert (upgrade.status, upgrade.reason) == (UpgradeStatus.FAILED, "CertificateSigned answered Rejected")


def test_a_trigger_answered_with_a_callerror_fails_the_upgrade(services: WiredServices) -> None:
    services.security_profile_upgrades.start(CP201, UPGRADE)

    failed(services, last_command(services, CP201), "NotImplemented")

    upgrade = upgrade_of(services, CP201)
    assert upgrade.status is UpgradeStatus.FAILED
    assert upgrade.reason is not None
    assert upgrade.reason.startswith("TriggerMessage failed: NotImplemented")


def test_one_upgrade_runs_at_a_time_until_its_deadline_which_fails_it(services: WiredServices) -> None:
    services.security_profile_upgrades.start(CP201, UPGRADE)
    with pytest.raises(UpgradeRunningError):
        services.security_profile_upgrades.start(CP201, UPGRADE)

    services.clock.advance(seconds=UPGRADE_DEADLINE.total_seconds())
    upgrade = upgrade_of(services, CP201)
    assert (upgrade.status, upgrade.reason) == (
        UpgradeStatus.FAILED,
        "Not completed within 30 minutes (at step Certificate)",
    )
    answered(services, last_command(services, CP201), {"status": "Accepted"})
    services.security_profile_upgrades.reconnected_with_certificate(CP201)
    assert services.security_profile_upgrades.state(CP201).security_profile == 2
    assert services.security_profile_upgrades.start(CP201, UPGRADE).upgrade_id != upgrade.upgrade_id


@pytest.mark.parametrize(
    ("charge_point_id", "request_", "profile", "reason"),
    [
        (CP201, UpgradeRequest(2, URL), None, "target: only 3"),
        (CP201, UpgradeRequest(3, URL), 3, "target: the charger is at security profile 3 already"),
        (CP201, UpgradeRequest(3), None, "csmsUrl: a wss:// URL is needed"),
        (CP201, UpgradeRequest(3, "ws://plain.example.com/ocpp/"), None, "csmsUrl: a wss:// URL is needed"),
    ],
)
def test_what_cannot_be_upgraded_is_refused_and_nothing_is_sent(
    services: WiredServices, charge_point_id: str, request_: UpgradeRequest, profile: int | None, reason: str
) -> None:
    if profile is not None:
        services.security_profiles.set(charge_point_id, profile)

    with pytest.raises(InvalidValuesError) as refusal:
        services.security_profile_upgrades.start(charge_point_id, request_)

    assert refusal.value.reasons[0].startswith(reason)
    assert services.security_profile_upgrades.state(charge_point_id).upgrade is None
    assert services.repositories.commands.commands == {}


def test_a_charger_that_is_not_connected_is_refused(services: WiredServices) -> None:
    services.charge_points.disconnected(f"conn-{CP201}", CP201)

    with pytest.raises(ChargePointOfflineError):
        services.security_profile_upgrades.start(CP201, UPGRADE)
