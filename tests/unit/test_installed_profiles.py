"""The rules that change a charge point's installed profile set, as the charge points follow them."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from csms.domain.charging_profiles.installed import (
    ClearCriteria,
    ExternalLimit,
    InstalledProfile,
    InstalledProfiles,
    ProfilePurpose,
    ProfileQuery,
    ProfileReport,
)
from csms.domain.charging_profiles.schedules import ChargingSchedule, ProfileKind, RateUnit, SchedulePeriod
from csms.wire.versions import OcppVersion

T0 = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
V16, V201 = OcppVersion.V16, OcppVersion.V201
TX, TX_DEFAULT, MAX = ProfilePurpose.TX, ProfilePurpose.TX_DEFAULT, ProfilePurpose.CHARGING_STATION_MAX
EXTERNAL = ProfilePurpose.EXTERNAL_CONSTRAINTS
SIXTEEN_AMPS = ChargingSchedule(RateUnit.AMPS, (SchedulePeriod(0, Decimal(16)),))


def profile(
    profile_id: int,
    place: int = 1,
    stack_level: int = 0,
    purpose: ProfilePurpose = TX_DEFAULT,
    transaction_id: str | None = None,
    valid_from: datetime | None = None,
    valid_to: datetime | None = None,
    source: str = "CSO",
) -> InstalledProfile:
    return InstalledProfile(
        profile_id=profile_id,
        evse_or_connector_id=place,
        stack_level=stack_level,
        purpose=purpose,
        kind=ProfileKind.ABSOLUTE,
        schedules=(SIXTEEN_AMPS,),
        installed_at=T0,
        transaction_id=transaction_id,
        valid_from=valid_from,
        valid_to=valid_to,
        source=source,
    )


def ids(installed: InstalledProfiles) -> list[int]:
    return sorted(p.profile_id for p in installed.profiles)


def hours(n: float) -> datetime:
    return T0 + timedelta(hours=n)


# (case, installed before, the profile set, version, ids installed after)
SET_CASES = [
    ("added beside another", [profile(1)], profile(2, stack_level=1), V16, [1, 2]),
    ("replaces the same id", [profile(1)], profile(1, stack_level=3), V16, [1]),
    ("replaces the same id on another connector", [profile(1, place=1)], profile(1, place=2), V16, [1]),
    ("1.6: replaces the same stack level and purpose", [profile(1)], profile(2), V16, [2]),
    ("1.6: keeps another connector's", [profile(1, place=1)], profile(2, place=2), V16, [1, 2]),
    ("1.6: keeps another purpose's", [profile(1, purpose=TX, transaction_id="7")], profile(2), V16, [1, 2]),
    ("1.6: keeps another stack level's", [profile(1, stack_level=1)], profile(2), V16, [1, 2]),
    (
        "1.6: replaces whatever the validity",
        [profile(1, valid_to=hours(1))],
        profile(2, valid_from=hours(2)),
        V16,
        [2],
    ),
    ("2.0.1: replaces the same stack level, purpose and EVSE", [profile(1)], profile(2), V201, [2]),
    (
        "2.0.1: keeps one whose validity does not overlap",
        [profile(1, valid_to=hours(1))],
        profile(2, valid_from=hours(1)),
        V201,
        [1, 2],
    ),
    (
        "2.0.1: replaces one whose validity overlaps",
        [profile(1, valid_from=hours(0), valid_to=hours(2))],
        profile(2, valid_from=hours(1)),
        V201,
        [2],
    ),
    (
        "2.0.1: replaces the TxProfile of the same transaction and stack level",
        [profile(1, purpose=TX, transaction_id="a")],
        profile(2, purpose=TX, transaction_id="a"),
        V201,
        [2],
    ),
    (
        "2.0.1: keeps another transaction's TxProfile",
        [profile(1, purpose=TX, transaction_id="a")],
        profile(2, purpose=TX, transaction_id="b"),
        V201,
        [1, 2],
    ),
    ("2.0.1: keeps another EVSE's", [profile(1, place=0, purpose=MAX)], profile(2, place=1, purpose=MAX), V201, [1, 2]),
]


@pytest.mark.parametrize(("case", "before", "new", "version", "after"), SET_CASES, ids=[c[0] for c in SET_CASES])
def test_set_charging_profile(
    case: str, before: list[InstalledProfile], new: InstalledProfile, version: OcppVersion, after: list[int]
) -> None:
    installed = InstalledProfiles(tuple(before)).with_profile(new, version)

    assert ids(installed) == after
    assert new in installed.profiles


INSTALLED = InstalledProfiles(
    (
        profile(1, place=0, purpose=MAX),
        profile(2, place=1, stack_level=0),
        profile(3, place=2, stack_level=1),
        profile(4, place=1, stack_level=1, purpose=TX, transaction_id="7"),
        profile(5, place=0, purpose=EXTERNAL, source="EMS"),
    )
)

# (case, criteria, ids left)
CLEAR_CASES = [
    ("by id", ClearCriteria(profile_id=3), [1, 2, 4, 5]),
    ("by id, whatever else it names", ClearCriteria(profile_id=3, evse_or_connector_id=1, stack_level=0), [1, 2, 4, 5]),
    ("an unknown id clears nothing", ClearCriteria(profile_id=9), [1, 2, 3, 4, 5]),
    ("no criteria: all", ClearCriteria(), [5]),
    ("a connector or EVSE", ClearCriteria(evse_or_connector_id=1), [1, 3, 5]),
    ("the whole charge point's (0)", ClearCriteria(evse_or_connector_id=0), [2, 3, 4, 5]),
    ("a purpose", ClearCriteria(purpose=TX_DEFAULT), [1, 4, 5]),
    ("a stack level", ClearCriteria(stack_level=1), [1, 2, 5]),
    (
        "all criteria must match",
        ClearCriteria(evse_or_connector_id=1, purpose=TX_DEFAULT, stack_level=1),
        [1, 2, 3, 4, 5],
    ),
    ("purpose and stack level", ClearCriteria(purpose=TX_DEFAULT, stack_level=1), [1, 2, 4, 5]),
    ("never the energy manager's external constraints", ClearCriteria(purpose=EXTERNAL), [1, 2, 3, 4, 5]),
    ("not even by id", ClearCriteria(profile_id=5), [1, 2, 3, 4, 5]),
]


@pytest.mark.parametrize(("case", "criteria", "left"), CLEAR_CASES, ids=[c[0] for c in CLEAR_CASES])
def test_clear_charging_profile(case: str, criteria: ClearCriteria, left: list[int]) -> None:
    assert ids(INSTALLED.cleared(criteria)) == left


def test_a_transaction_that_ends_takes_its_tx_profiles_only() -> None:
    installed = InstalledProfiles(
        (
            profile(1, purpose=TX, transaction_id="7"),
            profile(2, purpose=TX, transaction_id="7", stack_level=2),
            profile(3, purpose=TX, transaction_id="8", place=2),
            profile(4, purpose=TX_DEFAULT),
        )
    )

    assert ids(installed.without_transaction("7")) == [3, 4]


def test_expired_profiles_and_stale_reports_are_dropped() -> None:
    installed = InstalledProfiles(
        (profile(1, valid_to=hours(1)), profile(2, valid_to=hours(3)), profile(3, valid_from=hours(2)))
    ).report_requested(ProfileQuery(request_id=1), at=T0)

    assert ids(installed.tidied(hours(1))) == [2, 3]
    assert installed.tidied(hours(0.9)).reports == installed.reports
    assert installed.tidied(hours(1)).reports == ()


HELD = InstalledProfiles(
    (
        profile(1, place=0, purpose=MAX),
        profile(2, place=1),
        profile(3, place=2),
        profile(4, place=1, stack_level=2),
    )
)


@pytest.mark.parametrize("answer_first", [True, False], ids=["answer first", "reports first"])
def test_a_complete_report_leaves_only_what_it_listed_among_what_it_asked_for(answer_first: bool) -> None:
    # Given a GetChargingProfiles for EVSE 1, whose answer may be recorded before or after its reports
    query = ProfileQuery(request_id=5, evse_id=1)
    reports = [
        ProfileReport(5, (replace(profile(2, place=1), stack_level=1),), last=False),
        ProfileReport(5, (profile(6, place=1, purpose=EXTERNAL, source="EMS"),), last=True),
    ]
    installed = HELD.report_requested(query, T0) if answer_first else HELD
    installed = installed.with_report(reports[0], T0)
    assert 4 in ids(installed)  # more reports follow: nothing is removed yet
    installed = installed.with_report(reports[1], T0)
    if not answer_first:
        assert 4 in ids(installed)  # what was asked for is not known yet
        installed = installed.report_requested(query, T0)

    # Then EVSE 1 holds what was reported (4 is gone), the rest stays; the report is done with
    assert ids(installed) == [1, 2, 3, 6]
    assert next(p for p in installed.profiles if p.profile_id == 2).stack_level == 1
    assert installed.reports == ()


@pytest.mark.parametrize(
    ("query", "left"),
    [
        (ProfileQuery(request_id=1), []),
        (ProfileQuery(request_id=1, evse_id=1), [1, 3]),
        (ProfileQuery(request_id=1, purpose=MAX), [2, 3, 4]),
        (ProfileQuery(request_id=1, stack_level=2), [1, 2, 3]),
        (ProfileQuery(request_id=1, profile_ids=frozenset({2, 3})), [1, 4]),
        (ProfileQuery(request_id=1, sources=frozenset({"EMS"})), [1, 2, 3, 4]),
        (ProfileQuery(request_id=1, sources=frozenset({"CSO"}), evse_id=2), [1, 2, 4]),
    ],
)
def test_no_profiles_means_none_matching_is_held(query: ProfileQuery, left: list[int]) -> None:
    assert ids(HELD.none_matching(query)) == left


def test_reports_of_other_requests_stay_apart() -> None:
    installed = HELD.with_report(ProfileReport(1, (), last=True), T0).report_requested(ProfileQuery(2), T0)

    assert [report.request_id for report in installed.reports] == [1, 2]
    assert ids(installed) == [1, 2, 3, 4]


def external(source: str, evse_id: int | None, limit: int) -> ExternalLimit:
    schedule = ChargingSchedule(RateUnit.AMPS, (SchedulePeriod(0, Decimal(limit)),))
    return ExternalLimit(source=source, evse_id=evse_id, schedules=(schedule,), notified_at=T0)


def test_external_limits_are_kept_per_source_and_evse_until_cleared() -> None:
    installed = (
        InstalledProfiles()
        .with_external_limit(external("EMS", 1, 20))
        .with_external_limit(external("EMS", None, 40))
        .with_external_limit(external("SO", 1, 10))
        .with_external_limit(external("EMS", 1, 16))
    )

    assert installed.external_limits == (external("EMS", None, 40), external("SO", 1, 10), external("EMS", 1, 16))
    assert installed.without_external_limit("EMS", 1).external_limits == (
        external("EMS", None, 40),
        external("SO", 1, 10),
    )
    assert installed.without_external_limit("EMS", 2) == installed
