"""Registering charge points: the id and password rules, the tariff check, and signing out on a new password."""

from dataclasses import replace

import pytest

from csms.composition import Services
from csms.domain.charge_point_administration import ChargePointAdministration
from csms.domain.identity import verify_password
from csms.domain.site_administration import SiteAdministration
from csms.domain.tariff_administration import TariffAdministration
from csms.domain.tariffs import Tariff
from csms.domain.violations import RuleViolationError
from csms.wire.versions import OcppVersion
from tests.fakes import (
    FixedClock,
    InMemoryChargePoints,
    InMemoryPendingPasswords,
    InMemorySites,
    InMemoryTariffs,
    RecordingSender,
)

PASSWORD = "correct-horse-battery"


@pytest.fixture
def charge_points() -> InMemoryChargePoints:
    return InMemoryChargePoints()


@pytest.fixture
def tariffs() -> InMemoryTariffs:
    return InMemoryTariffs(Tariff("standard", "EUR"))


def administration(
    charge_points: InMemoryChargePoints, tariffs: InMemoryTariffs, sender: RecordingSender, accept_unknown: bool
) -> ChargePointAdministration:
    clock = FixedClock()
    sites = SiteAdministration(InMemorySites(), charge_points, clock)
    return ChargePointAdministration(
        charge_points,
        TariffAdministration(tariffs),
        sites,
        sender,
        clock,
        accept_unknown,
        InMemoryPendingPasswords(charge_points),
    )


@pytest.fixture
def closed_deployment(
    charge_points: InMemoryChargePoints, tariffs: InMemoryTariffs, sender: RecordingSender
) -> ChargePointAdministration:
    return administration(charge_points, tariffs, sender, accept_unknown=False)


def stored_hash(charge_points: InMemoryChargePoints, charge_point_id: str) -> str | None:
    return charge_points.get_credentials(charge_point_id).password_hash


def test_a_registered_charge_point_keeps_a_hash_of_its_password(
    closed_deployment: ChargePointAdministration, charge_points: InMemoryChargePoints
) -> None:
    registered = closed_deployment.register("CP-1", PASSWORD, "standard")

    assert (registered.charge_point_id, registered.tariff_id) == ("CP-1", "standard")
    assert verify_password(PASSWORD, stored_hash(charge_points, "CP-1"))


@pytest.mark.parametrize("charge_point_id", ["", "x" * 49, "CP/1", "CP\n1"])
def test_an_id_that_is_no_ocpp_identity_is_refused(
    closed_deployment: ChargePointAdministration, charge_points: InMemoryChargePoints, charge_point_id: str
) -> None:
    with pytest.raises(RuleViolationError, match="1 to 48 printable characters"):
        closed_deployment.register(charge_point_id, PASSWORD)

    assert charge_points.profiles == {}


def test_a_closed_deployment_wants_a_password_for_a_new_charge_point_only(
    closed_deployment: ChargePointAdministration, charge_points: InMemoryChargePoints
) -> None:
    with pytest.raises(RuleViolationError, match="A password is required"):
        closed_deployment.register("CP-1", None)
    assert charge_points.profiles == {}

    # Once it has one, an update without a password keeps it
    closed_deployment.register("CP-1", PASSWORD)
    before = stored_hash(charge_points, "CP-1")
    closed_deployment.register("CP-1", None, "standard")

    assert stored_hash(charge_points, "CP-1") == before
    assert charge_points.profiles["CP-1"].tariff_id == "standard"


def test_an_open_deployment_registers_a_charge_point_without_a_password(
    charge_points: InMemoryChargePoints, tariffs: InMemoryTariffs, sender: RecordingSender
) -> None:
    registered = administration(charge_points, tariffs, sender, accept_unknown=True).register("CP-1", None)

    assert (registered.charge_point_id, registered.password_hash) == ("CP-1", None)


def test_a_tariff_must_exist_before_a_charge_point_refers_to_it(
    closed_deployment: ChargePointAdministration, charge_points: InMemoryChargePoints
) -> None:
    with pytest.raises(RuleViolationError, match="No tariff premium"):
        closed_deployment.register("CP-1", PASSWORD, "premium")

    assert charge_points.profiles == {}


def test_a_new_password_signs_the_charge_point_out(
    closed_deployment: ChargePointAdministration, charge_points: InMemoryChargePoints, sender: RecordingSender
) -> None:
    # Given a charge point connected with its password
    closed_deployment.register("CP-1", PASSWORD)
    charge_points.record_connected("CP-1", "conn-1", OcppVersion.V16, FixedClock().now())

    # When its password changes
    closed_deployment.register("CP-1", "another-horse-battery")

    # Then the connection opened with the old one is closed and no longer current
    assert sender.closed == ["conn-1"]
    charge_point = charge_points.get("CP-1")
    assert charge_point is not None
    assert (charge_point.connected, charge_point.connection_id) == (False, None)
    assert verify_password("another-horse-battery", charge_point.password_hash)


def test_a_first_password_signs_out_a_charge_point_connected_without_one(
    charge_points: InMemoryChargePoints, tariffs: InMemoryTariffs, sender: RecordingSender
) -> None:
    open_deployment = administration(charge_points, tariffs, sender, accept_unknown=True)
    charge_points.record_connected("CP-1", "conn-1", OcppVersion.V16, FixedClock().now())

    open_deployment.register("CP-1", PASSWORD)

    assert sender.closed == ["conn-1"]


def test_the_same_password_again_changes_nothing(
    closed_deployment: ChargePointAdministration, charge_points: InMemoryChargePoints, sender: RecordingSender
) -> None:
    closed_deployment.register("CP-1", PASSWORD)
    charge_points.record_connected("CP-1", "conn-1", OcppVersion.V16, FixedClock().now())
    before = replace(charge_points.profiles["CP-1"])

    closed_deployment.register("CP-1", PASSWORD)

    assert sender.closed == []
    assert charge_points.profiles["CP-1"] == before


def test_the_composed_services_sign_out_through_the_connection_sender(
    fake_services: Services, sender: RecordingSender
) -> None:
    administration = fake_services.charge_point_administration
    administration.register("CP-1", PASSWORD)
    fake_services.charge_points.connected("CP-1", "conn-1", OcppVersion.V201)

    administration.register("CP-1", "another-horse-battery")

    assert sender.closed == ["conn-1"]
    assert fake_services.charge_points.is_current("CP-1", "conn-1") is False
