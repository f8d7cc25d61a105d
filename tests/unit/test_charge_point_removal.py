"""Removing a charge point: what it forgets, and its open connection."""

from csms.composition import Services
from csms.domain.models import BootInfo
from csms.wire.versions import OcppVersion
from tests.fakes import RecordingSender


def test_removing_a_connected_charge_point_forgets_it_and_closes_its_connection(
    fake_services: Services, sender: RecordingSender
) -> None:
    # Given a connected charge point
    fake_services.charge_points.connected("CP-1", "conn-1", OcppVersion.V16)
    fake_services.charge_points.booted("CP-1", BootInfo("Acme", "AC-22"))

    # When it is removed
    removed = fake_services.charge_points.remove("CP-1")

    # Then it is gone and its connection closed
    assert removed is True
    assert fake_services.repositories.charge_points.get("CP-1") is None
    assert sender.closed == ["conn-1"]


def test_removing_a_disconnected_charge_point_closes_nothing(fake_services: Services, sender: RecordingSender) -> None:
    fake_services.repositories.charge_points.register("CP-1", None, fake_services.clock.now())

    assert fake_services.charge_points.remove("CP-1") is True
    assert sender.closed == []


def test_removing_an_unknown_charge_point_is_refused(fake_services: Services) -> None:
    assert fake_services.charge_points.remove("CP-UNKNOWN") is False
