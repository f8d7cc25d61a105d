"""The `ProfileUpgradeRepository` contract: one upgrade per charge point, every field kept, changed from what the
last write left, kept with the charge point (deleting it deletes the upgrade) and never read as part of it."""

from dataclasses import replace
from datetime import UTC, datetime

from csms.domain.ports import ChargePointRepository
from csms.pki.profile_upgrades import ProfileUpgrade, ProfileUpgradeRepository, UpgradeStatus, UpgradeStep

T0 = datetime(2026, 11, 23, 9, 0, 15, 250000, tzinfo=UTC)
UPGRADE = ProfileUpgrade(
    upgrade_id="u-1",
    target=3,
    status=UpgradeStatus.FAILED,
    step=UpgradeStep.NETWORK_PROFILE,
    command_ids=("c-1", "c-2"),
    csms_url="wss://csms.example.com/ocpp/",
    ocpp_interface="Wired0",
    configuration_slot=1,
    network_priority="1,0",
    reason="SetNetworkProfile answered Rejected",
    started_at=T0,
    updated_at=T0,
)


def test_a_charge_point_without_an_upgrade_has_none(profile_upgrades: ProfileUpgradeRepository) -> None:
    assert profile_upgrades.get("CP-1") == ProfileUpgrade()


def test_every_field_is_kept_as_written(profile_upgrades: ProfileUpgradeRepository) -> None:
    profile_upgrades.update("CP-1", lambda _: UPGRADE)

    assert profile_upgrades.get("CP-1") == UPGRADE
    assert profile_upgrades.get("CP-2") == ProfileUpgrade()


def test_each_update_starts_from_what_the_last_one_left(profile_upgrades: ProfileUpgradeRepository) -> None:
    profile_upgrades.update("CP-1", lambda _: replace(UPGRADE, status=UpgradeStatus.RUNNING, reason=None))
    left = profile_upgrades.update("CP-1", lambda current: replace(current, command_ids=(*current.command_ids, "c-3")))

    assert left == profile_upgrades.get("CP-1")
    assert (left.status, left.reason, left.command_ids) == (UpgradeStatus.RUNNING, None, ("c-1", "c-2", "c-3"))


def test_the_upgrade_goes_with_its_charge_point_and_is_not_read_as_part_of_it(
    profile_upgrades: ProfileUpgradeRepository, charge_points: ChargePointRepository
) -> None:
    charge_points.register("CP-1", None, T0)
    profile_upgrades.update("CP-1", lambda _: UPGRADE)

    assert charge_points.get("CP-1") is not None
    charge_points.delete("CP-1")

    assert profile_upgrades.get("CP-1") == ProfileUpgrade()
