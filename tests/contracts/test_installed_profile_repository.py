"""The `InstalledProfileRepository` contract: one set per charge point, updated atomically, kept with the
charge point (deleting it deletes the set) and never read as part of it."""

from datetime import UTC, datetime
from decimal import Decimal

from csms.domain.charging_profiles.installed import (
    ExternalLimit,
    InstalledProfile,
    InstalledProfiles,
    ProfilePurpose,
    ProfileQuery,
    ProfileReport,
)
from csms.domain.charging_profiles.schedules import (
    ChargingSchedule,
    ProfileKind,
    RateUnit,
    RecurrencyKind,
    SchedulePeriod,
)
from csms.domain.filters import ChargePointFilter
from csms.domain.ports import ChargePointRepository, InstalledProfileRepository
from csms.wire.versions import OcppVersion

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
T1 = datetime(2026, 11, 23, 10, 30, 15, 250000, tzinfo=UTC)

EVERY_FIELD = InstalledProfile(
    profile_id=7,
    evse_or_connector_id=1,
    stack_level=2,
    purpose=ProfilePurpose.TX,
    kind=ProfileKind.RECURRING,
    schedules=(
        ChargingSchedule(
            RateUnit.WATTS,
            (SchedulePeriod(0, Decimal("7400.5"), number_phases=1), SchedulePeriod(900, Decimal("3700"))),
            start_schedule=T0,
            duration=3600,
        ),
        ChargingSchedule(RateUnit.AMPS, (SchedulePeriod(0, Decimal("16.2")),)),
    ),
    installed_at=T1,
    transaction_id="tx-9",
    recurrency=RecurrencyKind.DAILY,
    valid_from=T0,
    valid_to=T1,
    source="EMS",
    as_sent={"id": 7, "chargingSchedule": [{"chargingSchedulePeriod": [{"startPeriod": 0, "limit": 7400.5}]}]},
)
FEWEST_FIELDS = InstalledProfile(
    profile_id=1,
    evse_or_connector_id=0,
    stack_level=0,
    purpose=ProfilePurpose.CHARGE_POINT_MAX,
    kind=ProfileKind.ABSOLUTE,
    schedules=(ChargingSchedule(RateUnit.AMPS, (SchedulePeriod(0, Decimal(32)),)),),
    installed_at=T0,
)
LIMIT = ExternalLimit(
    source="SO",
    evse_id=None,
    schedules=(ChargingSchedule(RateUnit.AMPS, (SchedulePeriod(0, Decimal(20)),), start_schedule=T0),),
    notified_at=T1,
    grid_critical=True,
    as_sent={"chargingLimit": {"chargingLimitSource": "SO", "isGridCritical": True}},
)
QUERY = ProfileQuery(
    request_id=3,
    evse_id=1,
    purpose=ProfilePurpose.TX_DEFAULT,
    stack_level=1,
    profile_ids=frozenset({4, 5}),
    sources=frozenset({"CSO", "EMS"}),
)
FULL = (
    InstalledProfiles(external_limits=(LIMIT,))
    .with_profile(EVERY_FIELD, OcppVersion.V201)
    .with_profile(FEWEST_FIELDS, OcppVersion.V201)
    .report_requested(QUERY, T0)
    .with_report(ProfileReport(4, (), last=False), T1)
)


def test_a_set_round_trips_with_every_field(installed_profiles: InstalledProfileRepository) -> None:
    assert installed_profiles.update("CP-1", lambda _: FULL) == FULL

    stored = installed_profiles.get("CP-1")
    assert stored == FULL
    assert [profile.as_sent for profile in stored.profiles] == [EVERY_FIELD.as_sent, {}]
    assert stored.external_limits[0].as_sent == LIMIT.as_sent
    assert installed_profiles.get("CP-2") == InstalledProfiles()


def test_each_update_changes_the_set_as_stored(installed_profiles: InstalledProfileRepository) -> None:
    installed_profiles.update("CP-1", lambda installed: installed.with_profile(FEWEST_FIELDS, OcppVersion.V16))
    seen: list[InstalledProfiles] = []

    def add(installed: InstalledProfiles) -> InstalledProfiles:
        seen.append(installed)
        return installed.with_profile(EVERY_FIELD, OcppVersion.V16)

    assert installed_profiles.update("CP-1", add).profiles == (FEWEST_FIELDS, EVERY_FIELD)
    assert seen == [InstalledProfiles((FEWEST_FIELDS,))]
    assert installed_profiles.update("CP-1", lambda installed: installed).profiles == (FEWEST_FIELDS, EVERY_FIELD)


def test_a_write_that_came_between_is_not_lost(installed_profiles: InstalledProfileRepository) -> None:
    # Given an update whose change runs while another writer changes the set (the first time only)
    installed_profiles.update("CP-1", lambda installed: installed.with_profile(FEWEST_FIELDS, OcppVersion.V16))
    attempts: list[InstalledProfiles] = []

    def add_while_another_writes(installed: InstalledProfiles) -> InstalledProfiles:
        attempts.append(installed)
        if len(attempts) == 1:
            installed_profiles.update("CP-1", lambda other: other.with_external_limit(LIMIT))
        return installed.with_profile(EVERY_FIELD, OcppVersion.V16)

    # When it is stored
    stored = installed_profiles.update("CP-1", add_while_another_writes)

    # Then it was made again from the set the other writer left: both changes are kept
    assert len(attempts) == 2
    assert attempts[1].external_limits == (LIMIT,)
    assert stored == installed_profiles.get("CP-1")
    assert stored.profiles == (FEWEST_FIELDS, EVERY_FIELD)
    assert stored.external_limits == (LIMIT,)


def test_the_first_write_of_a_set_is_not_lost_either(installed_profiles: InstalledProfileRepository) -> None:
    attempts = 0

    def add(installed: InstalledProfiles) -> InstalledProfiles:
        nonlocal attempts
        attempts += 1
        if attempts == 1:
            installed_profiles.update("CP-1", lambda other: other.with_external_limit(LIMIT))
        return installed.with_profile(FEWEST_FIELDS, OcppVersion.V16)

    stored = installed_profiles.update("CP-1", add)

    assert (stored.profiles, stored.external_limits) == ((FEWEST_FIELDS,), (LIMIT,))


def test_the_set_is_kept_with_its_charge_point_and_apart_from_it(
    installed_profiles: InstalledProfileRepository, charge_points: ChargePointRepository
) -> None:
    # Given a registered charge point with a set, and a set of a charge point not registered
    charge_points.register("CP-1", None, T0)
    installed_profiles.update("CP-1", lambda _: FULL)
    installed_profiles.update("CP-X", lambda _: FULL)

    # Then neither reads as a charge point or a charge point's part
    charge_point = charge_points.get("CP-1")
    assert charge_point is not None
    assert charge_point.connectors == []
    assert charge_points.get("CP-X") is None
    assert [cp.charge_point_id for cp in charge_points.page(ChargePointFilter(), 10).items] == ["CP-1"]
    assert charge_points.count_fleet().total == 1

    # And deleting the charge point deletes its set
    charge_points.delete("CP-1")
    assert installed_profiles.get("CP-1") == InstalledProfiles()
    assert installed_profiles.get("CP-X") == FULL
