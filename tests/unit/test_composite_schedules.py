"""GetCompositeSchedule asked for and its answer waited for, a moment only."""

from datetime import datetime, timedelta

import pytest

from csms.commands.answer_wait import ANSWER_WAIT, POLL_SECONDS, AnswerWait
from csms.commands.composite_schedules import CompositeSchedules
from csms.commands.errors import ChargePointOfflineError, UnknownChargePointError
from csms.commands.models import CommandStatus
from csms.composition import Services
from csms.wire.versions import OcppVersion
from tests.fakes import FixedClock

ANSWER = {"status": "Accepted", "connectorId": 1, "scheduleStart": "2026-11-23T12:00:00Z"}


@pytest.fixture
def services(fake_services: Services) -> Services:
    fake_services.charge_points.connected("CP-1", "conn-1", OcppVersion.V16)
    return fake_services


def composite_schedules(services: Services, clock: FixedClock, answer_after: float | None) -> CompositeSchedules:
    """Each wait passes its time; the charge point's answer is recorded once `answer_after` seconds passed."""
    started = clock.now()

    def sleep(seconds: float) -> None:
        clock.advance(seconds=seconds)
        if answer_after is not None and (clock.now() - started).total_seconds() >= answer_after:
            [command] = services.commands.list_for_charge_point("CP-1", 1).items
            if command.status.awaiting_answer:
                services.repositories.commands.record_answer(
                    command.command_id, CommandStatus.ACCEPTED, ANSWER, clock.now(), finished=True
                )

    return CompositeSchedules(
        services.commands, services.repositories.charge_points, AnswerWait(services.commands, clock, sleep)
    )


def test_an_answer_within_the_wait_is_returned(services: Services, clock: FixedClock) -> None:
    command = composite_schedules(services, clock, answer_after=1.5).ask("CP-1", 3600, connector_id=1)

    assert (command.action, command.request) == ("GetCompositeSchedule", {"connectorId": 1, "duration": 3600})
    assert (command.status, command.response) == (CommandStatus.ACCEPTED, ANSWER)


def test_without_an_answer_the_command_is_returned_as_it_stands_once_the_wait_is_over(
    services: Services, clock: FixedClock
) -> None:
    started: datetime = clock.now()

    command = composite_schedules(services, clock, answer_after=None).ask("CP-1", 60, connector_id=0, rate_unit="W")

    assert command.status is CommandStatus.PENDING
    assert command.request == {"connectorId": 0, "duration": 60, "chargingRateUnit": "W"}
    assert ANSWER_WAIT <= clock.now() - started < ANSWER_WAIT + timedelta(seconds=POLL_SECONDS)


def test_nothing_is_sent_to_an_unknown_or_disconnected_charge_point(services: Services, clock: FixedClock) -> None:
    services.charge_points.connected("CP-2", "conn-2", OcppVersion.V16)
    services.charge_points.disconnected("conn-2", "CP-2")
    asking = composite_schedules(services, clock, answer_after=0)

    with pytest.raises(UnknownChargePointError):
        asking.ask("CP-X", 60, connector_id=1)
    with pytest.raises(ChargePointOfflineError):
        asking.ask("CP-2", 60, connector_id=1)
    assert services.commands.list_for_charge_point("CP-2", 10).items == []
