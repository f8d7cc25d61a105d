"""Schedules at a moment, and what the installed profiles let a session draw, in amps per phase."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from csms.domain.charging_profiles.effective_limits import effective_limit_amps, external_limit_amps
from csms.domain.charging_profiles.installed import ExternalLimit, InstalledProfile, InstalledProfiles, ProfilePurpose
from csms.domain.charging_profiles.schedules import (
    ChargingSchedule,
    ProfileKind,
    RateUnit,
    RecurrencyKind,
    SchedulePeriod,
    in_amps,
)

T0 = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
VOLTAGE = Decimal(230)
TX, TX_DEFAULT = ProfilePurpose.TX, ProfilePurpose.TX_DEFAULT


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def amps(*periods: tuple[int, int], start: datetime | None = None, duration: int | None = None) -> ChargingSchedule:
    return ChargingSchedule(
        RateUnit.AMPS, tuple(SchedulePeriod(s, Decimal(limit)) for s, limit in periods), start, duration
    )


TWO_STEPS = amps((0, 32), (600, 16), start=T0, duration=3600)

# (case, schedule, kind, recurrency, moment, origin, limit in force or None)
PERIOD_CASES = [
    ("before it starts", TWO_STEPS, ProfileKind.ABSOLUTE, None, at(-1), T0, None),
    ("first period", TWO_STEPS, ProfileKind.ABSOLUTE, None, at(0), T0, 32),
    ("second period from its start", TWO_STEPS, ProfileKind.ABSOLUTE, None, at(600), T0, 16),
    ("last period until the duration ends", TWO_STEPS, ProfileKind.ABSOLUTE, None, at(3599), T0, 16),
    ("none once the duration ended", TWO_STEPS, ProfileKind.ABSOLUTE, None, at(3600), T0, None),
    ("no duration: the last lasts on", amps((0, 10), start=T0), ProfileKind.ABSOLUTE, None, at(10**6), T0, 10),
    ("absolute without a start: from the origin", amps((0, 8), (60, 9)), ProfileKind.ABSOLUTE, None, at(90), at(0), 9),
    ("relative: from the session's start", TWO_STEPS, ProfileKind.RELATIVE, None, at(700), at(200), 32),
    (
        "daily: again each day",
        amps((0, 6), (3600, 20), start=T0),
        ProfileKind.RECURRING,
        RecurrencyKind.DAILY,
        at(86400 * 3 + 3600),
        T0,
        20,
    ),
    (
        "weekly: again each week",
        amps((0, 6), (86400, 20), start=T0),
        ProfileKind.RECURRING,
        RecurrencyKind.WEEKLY,
        at(86400 * 7 + 100),
        T0,
        6,
    ),
]


@pytest.mark.parametrize(
    ("case", "schedule", "kind", "recurrency", "moment", "origin", "limit"),
    PERIOD_CASES,
    ids=[c[0] for c in PERIOD_CASES],
)
def test_the_period_in_force(
    case: str,
    schedule: ChargingSchedule,
    kind: ProfileKind,
    recurrency: RecurrencyKind | None,
    moment: datetime,
    origin: datetime,
    limit: int | None,
) -> None:
    period = schedule.period_at(moment, kind, recurrency, origin)

    assert (period.limit if period else None) == limit


@pytest.mark.parametrize(
    ("limit", "unit", "phases", "expected"),
    [
        (Decimal(16), RateUnit.AMPS, 3, Decimal(16)),
        (Decimal(7360), RateUnit.WATTS, 1, Decimal(32)),
        (Decimal(11040), RateUnit.WATTS, 3, Decimal(16)),
    ],
)
def test_watts_become_amps_per_phase(limit: Decimal, unit: RateUnit, phases: int, expected: Decimal) -> None:
    assert in_amps(limit, unit, phases, VOLTAGE) == expected


def installed(
    profile_id: int,
    purpose: ProfilePurpose,
    schedule: ChargingSchedule,
    place: int = 1,
    stack_level: int = 0,
    transaction_id: str | None = None,
    kind: ProfileKind = ProfileKind.ABSOLUTE,
    installed_at: datetime = T0,
    valid_from: datetime | None = None,
) -> InstalledProfile:
    return InstalledProfile(
        profile_id=profile_id,
        evse_or_connector_id=place,
        stack_level=stack_level,
        purpose=purpose,
        kind=kind,
        schedules=(schedule,),
        installed_at=installed_at,
        transaction_id=transaction_id,
        valid_from=valid_from,
    )


def limit_of(*profiles: InstalledProfile, moment: datetime = T0, phases: int = 3) -> Decimal | None:
    return effective_limit_amps(
        InstalledProfiles(profiles), "tx-1", 1, moment, voltage=VOLTAGE, phases=phases, session_start=at(-60)
    )


DEFAULT_20 = installed(1, TX_DEFAULT, amps((0, 20), start=T0))
STATION_DEFAULT_10 = installed(2, TX_DEFAULT, amps((0, 10), start=T0), place=0)


def test_no_profile_limits_a_session_by_default() -> None:
    assert limit_of() is None
    assert limit_of(installed(1, TX, amps((0, 8), start=T0), transaction_id="tx-2")) is None
    assert limit_of(installed(1, TX_DEFAULT, amps((0, 8), start=T0), place=2)) is None


def test_the_transactions_tx_profile_comes_first() -> None:
    tx_profile = installed(3, TX, amps((0, 13), start=T0), transaction_id="tx-1")

    assert limit_of(DEFAULT_20, STATION_DEFAULT_10, tx_profile) == 13


def test_else_the_default_of_its_connector_or_evse_then_of_the_whole_charge_point() -> None:
    assert limit_of(DEFAULT_20, STATION_DEFAULT_10) == 20
    assert limit_of(STATION_DEFAULT_10) == 10


def test_the_highest_stack_level_in_force_then_the_latest_installed() -> None:
    low = installed(3, TX, amps((0, 13), start=T0), transaction_id="tx-1", stack_level=1)
    high_ended = installed(4, TX, amps((0, 6), start=T0, duration=60), transaction_id="tx-1", stack_level=2)
    later = installed(5, TX, amps((0, 11), start=T0), transaction_id="tx-1", stack_level=1, installed_at=at(5))

    assert limit_of(low, high_ended) == 6
    assert limit_of(low, high_ended, moment=at(60)) == 13  # the higher one's schedule ended
    assert limit_of(low, later, moment=at(60)) == 11


def test_a_profile_not_valid_yet_does_not_count() -> None:
    future = installed(3, TX, amps((0, 6), start=T0), transaction_id="tx-1", valid_from=at(60))

    assert limit_of(DEFAULT_20, future) == 20
    assert limit_of(DEFAULT_20, future, moment=at(60)) == 6


def test_a_relative_tx_profile_counts_from_the_session_start() -> None:
    relative = installed(3, TX, amps((0, 6), (120, 16)), transaction_id="tx-1", kind=ProfileKind.RELATIVE)

    assert limit_of(relative, moment=at(59)) == 6
    assert limit_of(relative, moment=at(60)) == 16


def test_watts_use_the_periods_phases_else_the_sessions() -> None:
    watts = ChargingSchedule(RateUnit.WATTS, (SchedulePeriod(0, Decimal(7360), number_phases=1),), T0)
    three_phase = ChargingSchedule(RateUnit.WATTS, (SchedulePeriod(0, Decimal(11040)),), T0)

    assert limit_of(installed(3, TX, watts, transaction_id="tx-1")) == 32
    assert limit_of(installed(3, TX, three_phase, transaction_id="tx-1")) == 16
    assert limit_of(installed(3, TX, three_phase, transaction_id="tx-1"), phases=1) == 48


def test_an_iso15118_profile_counts_at_the_highest_of_its_schedules() -> None:
    offers = InstalledProfile(
        profile_id=3,
        evse_or_connector_id=1,
        stack_level=0,
        purpose=TX,
        kind=ProfileKind.ABSOLUTE,
        schedules=(amps((0, 10), start=T0), amps((0, 24), start=T0)),
        installed_at=T0,
        transaction_id="tx-1",
    )

    assert limit_of(offers) == 24


def test_external_limits_of_the_evse_and_the_station_cap_the_session() -> None:
    def limit(source: str, evse_id: int | None, value: int) -> ExternalLimit:
        return ExternalLimit(source, evse_id, (amps((0, value), start=T0),), notified_at=T0)

    ems_profile = installed(9, ProfilePurpose.EXTERNAL_CONSTRAINTS, amps((0, 12), start=T0), place=0)
    profiles = InstalledProfiles(
        (ems_profile,), external_limits=(limit("EMS", 1, 18), limit("SO", None, 14), limit("EMS", 2, 4))
    )

    assert external_limit_amps(profiles, 1, T0, voltage=VOLTAGE, phases=3) == 12
    assert (
        external_limit_amps(
            InstalledProfiles(external_limits=profiles.external_limits), 1, T0, voltage=VOLTAGE, phases=3
        )
        == 14
    )
    assert external_limit_amps(InstalledProfiles(), 1, T0, voltage=VOLTAGE, phases=3) is None
