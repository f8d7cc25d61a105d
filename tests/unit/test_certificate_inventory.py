"""The certificate inventory: superseded once the charger accepts a newer one, Expired past not-after, revoked;
and the renewal run that asks chargers for a new certificate before theirs expires."""

from typing import Any

import pytest

from csms.commands.models import Command
from csms.commands.workflow_definition import Step, StepError
from csms.pki.models import CertificateRecord, CertificateStatus
from csms.timeutil import format_timestamp
from csms.wire.versions import OcppVersion
from tests.fakes import RecordingSender
from tests.pki_requests import csr_pem
from tests.wired import WiredServices

CP = "CP-1"


@pytest.fixture
def services(fake_services: WiredServices) -> WiredServices:
    fake_services.repositories.charge_points.register(CP, None, fake_services.clock.now())
    fake_services.charge_points.connected(CP, "conn-1", OcppVersion.V201)
    return fake_services


def issued(services: WiredServices, version: OcppVersion = OcppVersion.V201) -> tuple[CertificateRecord, Command]:
    """A certificate signed for CP-1 (connected with `version`) and its CertificateSigned command."""
    before = set(services.repositories.commands.commands)
    assert services.certificates.sign_requested(CP, version, csr_pem(CP)).accepted
    [command_id] = set(services.repositories.commands.commands) - before
    command = services.repositories.commands.commands[command_id]
    return services.repositories.certificates.records[_serial(services, command)], command


def _serial(services: WiredServices, command: Command) -> str:
    pem = command.request["certificateChain"]
    return next(r.serial for r in services.repositories.certificates.records.values() if r.pem == pem)


def answered(services: WiredServices, command: Command, response: dict[str, Any]) -> None:
    """The command through its workflow's steps, answered `response` by the charger."""
    state: dict[str, Any] = {"commandId": command.command_id, "timeoutSeconds": 30}
    services.command_workflow.perform(Step.ACQUIRE_LOCK, state, f"lock-{command.command_id}")
    services.command_workflow.perform(Step.SEND, state, f"send-{command.command_id}")
    answer = {"response": response, "answeredAt": format_timestamp(services.clock.now())}
    services.command_workflow.perform(Step.RECORD_ANSWER, {**state, "answer": answer}, "record")


def statuses(services: WiredServices) -> dict[str, CertificateStatus]:
    return {record.serial: record.status for record in services.certificates.list_for_charge_point(CP)}


def test_an_accepted_certificate_signed_supersedes_the_charger_s_earlier_certificate(services: WiredServices) -> None:
    first, first_command = issued(services)
    answered(services, first_command, {"status": "Accepted"})
    services.clock.advance(days=300)
    second, second_command = issued(services)
    assert statuses(services) == {first.serial: CertificateStatus.ACTIVE, second.serial: CertificateStatus.ACTIVE}

    answered(services, second_command, {"status": "Accepted"})

    assert statuses(services) == {first.serial: CertificateStatus.SUPERSEDED, second.serial: CertificateStatus.ACTIVE}
    assert [r.serial for r in services.certificates.list_for_charge_point(CP)] == [second.serial, first.serial]


def test_a_rejected_certificate_signed_supersedes_nothing_and_its_certificate_is_revoked(
    services: WiredServices,
) -> None:
    first, first_command = issued(services)
    answered(services, first_command, {"status": "Accepted"})
    second, second_command = issued(services)

    answered(services, second_command, {"status": "Rejected"})

    assert statuses(services) == {first.serial: CertificateStatus.ACTIVE, second.serial: CertificateStatus.REVOKED}


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (StepError.OFFLINE, CertificateStatus.REVOKED),
        ("InternalError", CertificateStatus.REVOKED),  # a CALLERROR
        (StepError.TIMEOUT, CertificateStatus.ACTIVE),  # the charger may have installed it
    ],
)
def test_a_failed_certificate_signed_revokes_its_certificate_unless_the_charger_may_hold_it(
    services: WiredServices, error: str, status: CertificateStatus
) -> None:
    record, command = issued(services)
    state: dict[str, Any] = {"commandId": command.command_id, "failure": {"Error": error, "Cause": "test"}}

    services.command_workflow.perform(Step.RECORD_FAILURE, state, "failure")

    assert statuses(services) == {record.serial: status}


def test_a_certificate_signed_that_cannot_be_queued_rejects_the_request_and_revokes_its_certificate(
    services: WiredServices,
) -> None:
    for _ in range(services.settings.command_queue_limit):
        services.commands.submit(CP, "TriggerMessage", {"requestedMessage": "Heartbeat"})

    answer = services.certificates.sign_requested(CP, OcppVersion.V201, csr_pem(CP))

    assert not answer.accepted
    assert list(statuses(services).values()) == [CertificateStatus.REVOKED]


def test_an_active_certificate_past_its_not_after_shows_expired(services: WiredServices) -> None:
    record, _ = issued(services)

    services.clock.advance(days=365)

    assert statuses(services) == {record.serial: CertificateStatus.EXPIRED}


def test_a_revoked_certificate_stays_revoked(services: WiredServices) -> None:
    record, _ = issued(services)

    revoked = services.certificates.revoke(record.serial.upper())

    assert revoked is not None
    assert revoked.status is CertificateStatus.REVOKED
    assert statuses(services) == {record.serial: CertificateStatus.REVOKED}
    assert services.certificates.revoke("abcdef") is None


def test_revoking_a_certificate_closes_its_charger_s_connection_at_once(
    services: WiredServices, sender: RecordingSender
) -> None:
    record, command = issued(services)
    answered(services, command, {"status": "Accepted"})

    services.certificates.revoke(record.serial)

    assert sender.closed == ["conn-1"]
    assert services.repositories.charge_points.current_connection_id(CP) is None  # its frames are refused now
    services.certificates.revoke(record.serial)  # revoked already: nothing to close
    assert sender.closed == ["conn-1"]


# Renewal ------------------------------------------------------------------------------------------


def triggers(services: WiredServices) -> list[tuple[str, dict[str, Any]]]:
    commands = services.repositories.commands.commands.values()
    return [(c.action, c.request) for c in commands if c.action in {"TriggerMessage", "ExtendedTriggerMessage"}]


@pytest.mark.parametrize(
    ("version", "expected"),
    [
        (OcppVersion.V201, ("TriggerMessage", {"requestedMessage": "SignChargingStationCertificate"})),
        (OcppVersion.V16, ("ExtendedTriggerMessage", {"requestedMessage": "SignChargePointCertificate"})),
    ],
    ids=["2.0.1", "1.6"],
)
def test_renewal_asks_for_a_certificate_expiring_within_the_window_once_a_day(
    services: WiredServices, version: OcppVersion, expected: tuple[str, dict[str, Any]]
) -> None:
    services.charge_points.connected(CP, "conn-2", version)
    record, _ = issued(services, version)

    services.clock.advance(days=300)
    assert services.certificate_renewal.run().asked == []  # 65 days left: outside the 30-day window
    services.clock.advance(days=40)
    run = services.certificate_renewal.run()
    again = services.certificate_renewal.run()
    services.clock.advance(days=1, seconds=1)
    next_day = services.certificate_renewal.run()

    assert [(asked.serial, asked.charge_point_id) for asked in run.asked] == [(record.serial, CP)]
    assert again.asked == []
    assert len(next_day.asked) == 1
    assert triggers(services) == [expected, expected]


def test_renewal_waits_for_a_charger_that_is_not_connected(services: WiredServices) -> None:
    issued(services)
    services.charge_points.disconnected("conn-1", CP)
    services.clock.advance(days=340)

    assert services.certificate_renewal.run().asked == []
    services.charge_points.connected(CP, "conn-2", OcppVersion.V201)
    assert len(services.certificate_renewal.run().asked) == 1


def test_renewal_marks_certificates_past_not_after_expired(services: WiredServices) -> None:
    record, _ = issued(services)
    services.clock.advance(days=366)

    run = services.certificate_renewal.run()

    assert run.expired == [record.serial]
    assert services.repositories.certificates.records[record.serial].status is CertificateStatus.EXPIRED
    assert triggers(services) == []
