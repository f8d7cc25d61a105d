"""The site's 0 A TxDefaultProfile: sent (through the command workflow) when a charger at a site boots, joins
it, or reconnects without holding it; cleared when it leaves; installed once accepted, and a session that
starts before its TxProfile is counted at 0 A."""

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

import pytest

from csms.commands.effects import AnswerEffects
from csms.commands.models import CommandStatus
from csms.commands.validation import validate_command
from csms.domain.charging_profiles.effective_limits import effective_limit_amps
from csms.domain.models import ChargePoint
from csms.domain.sites import ChargerWiring, Site, WiringChange
from csms.domain_events.stored_changes import ProfileChange, SiteChange, TransactionChange
from csms.rebalancing.default_profile import (
    SITE_DEFAULT_PROFILE_ID,
    clear_default_profile_request,
    default_profile_request,
)
from csms.wire.versions import OcppVersion
from tests.fakes import FixedClock
from tests.wired import WiredServices

SITE = "depot"
AT_SITE = ChargerWiring(site_id=SITE)
VERSIONS = [OcppVersion.V16, OcppVersion.V201]


@pytest.mark.parametrize("version", VERSIONS)
def test_the_requests_are_valid_ocpp(version: OcppVersion) -> None:
    validate_command(version, "SetChargingProfile", default_profile_request(version))
    validate_command(version, "ClearChargingProfile", clear_default_profile_request(version))


def _connected(services: WiredServices, clock: FixedClock, version: OcppVersion, site: str | None) -> ChargePoint:
    repositories = services.repositories
    if site is not None:
        repositories.sites.put(Site(site, "Depot", Decimal(32)), clock.now())
    repositories.charge_points.register("CP1", None, clock.now(), wiring=WiringChange(site_id=site))
    repositories.charge_points.record_connected("CP1", "conn-1", version, clock.now())
    charge_point = repositories.charge_points.get("CP1")
    assert charge_point is not None
    return charge_point


def _sent(services: WiredServices) -> list[tuple[str, dict]]:
    commands = services.repositories.commands.commands.values()
    return [(command.action, command.request) for command in commands]


def _booted(charge_point: ChargePoint, clock: FixedClock) -> ChargePoint:
    return replace(charge_point, last_boot=clock.now())


@pytest.mark.parametrize("version", VERSIONS)
def test_a_charger_booting_at_a_site_is_sent_the_default(
    fake_services: WiredServices, clock: FixedClock, version: OcppVersion
) -> None:
    charge_point = _connected(fake_services, clock, version, SITE)

    fake_services.site_default_profiles.changed(ProfileChange("CP1", charge_point, _booted(charge_point, clock)))

    assert _sent(fake_services) == [("SetChargingProfile", default_profile_request(version))]


@pytest.mark.parametrize("version", VERSIONS)
def test_a_charger_joining_a_site_is_sent_the_default_and_leaving_it_the_clearing(
    fake_services: WiredServices, clock: FixedClock, version: OcppVersion
) -> None:
    charge_point = _connected(fake_services, clock, version, None)
    joined = replace(charge_point, wiring=AT_SITE)

    fake_services.site_default_profiles.changed(ProfileChange("CP1", charge_point, joined))
    fake_services.site_default_profiles.changed(ProfileChange("CP1", joined, charge_point))

    assert _sent(fake_services) == [
        ("SetChargingProfile", default_profile_request(version)),
        ("ClearChargingProfile", clear_default_profile_request(version)),
    ]


def test_moving_to_another_site_sends_the_default_again(fake_services: WiredServices, clock: FixedClock) -> None:
    charge_point = _connected(fake_services, clock, OcppVersion.V16, SITE)
    moved = replace(charge_point, wiring=ChargerWiring(site_id="yard"))

    fake_services.site_default_profiles.changed(ProfileChange("CP1", charge_point, moved))

    assert [action for action, _ in _sent(fake_services)] == ["SetChargingProfile"]


def _accept_all(services: WiredServices, clock: FixedClock) -> None:
    effects = AnswerEffects(services.configuration, services.reservations, services.installed_profiles, clock)
    for command in services.repositories.commands.commands.values():
        effects.apply(command, CommandStatus.ACCEPTED, {"status": "Accepted"})


@pytest.mark.parametrize("version", VERSIONS)
def test_a_reconnection_sends_it_only_to_a_charger_that_does_not_hold_it(
    fake_services: WiredServices, clock: FixedClock, version: OcppVersion
) -> None:
    connected = _connected(fake_services, clock, version, SITE)
    offline = replace(connected, connected=False)
    reconnect = ProfileChange("CP1", offline, connected)

    fake_services.site_default_profiles.changed(reconnect)
    assert len(_sent(fake_services)) == 1
    _accept_all(fake_services, clock)
    fake_services.site_default_profiles.changed(reconnect)

    assert len(_sent(fake_services)) == 1


@pytest.mark.parametrize("version", VERSIONS)
def test_once_accepted_it_is_installed_and_a_session_without_its_tx_profile_counts_at_0_amps(
    fake_services: WiredServices, clock: FixedClock, version: OcppVersion
) -> None:
    charge_point = _connected(fake_services, clock, version, SITE)
    fake_services.site_default_profiles.changed(ProfileChange("CP1", charge_point, _booted(charge_point, clock)))

    _accept_all(fake_services, clock)

    installed = fake_services.installed_profiles.installed("CP1")
    assert [profile.profile_id for profile in installed.profiles] == [SITE_DEFAULT_PROFILE_ID]
    later = clock.now() + timedelta(minutes=5)
    limit = effective_limit_amps(
        installed, "7", 1, later, voltage=Decimal(230), phases=3, session_start=clock.now() + timedelta(minutes=1)
    )
    assert limit == Decimal(0)


def test_changes_that_do_not_concern_the_default_send_nothing(fake_services: WiredServices, clock: FixedClock) -> None:
    at_site = _connected(fake_services, clock, OcppVersion.V201, SITE)
    elsewhere = replace(at_site, wiring=ChargerWiring())
    changes = [
        ProfileChange("CP1", at_site, replace(at_site, last_seen=clock.now())),  # a heartbeat
        ProfileChange("CP1", elsewhere, _booted(elsewhere, clock)),  # a boot at no site
        ProfileChange("CP1", at_site, replace(at_site, connected=False)),  # a disconnection
        ProfileChange("CP1", at_site, None),  # removed
        SiteChange(SITE, None, None),
        TransactionChange("CP1", None, None),
    ]
    for change in changes:
        fake_services.site_default_profiles.changed(change)

    assert _sent(fake_services) == []


def test_a_charger_whose_version_is_unknown_is_skipped(fake_services: WiredServices, clock: FixedClock) -> None:
    fake_services.repositories.charge_points.register("CP9", None, clock.now(), wiring=WiringChange(site_id=SITE))
    registered = fake_services.repositories.charge_points.get("CP9")

    assert fake_services.site_default_profiles.changed(ProfileChange("CP9", None, registered)) is None
    assert _sent(fake_services) == []
