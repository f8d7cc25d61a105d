"""A charge point's installed charging profiles, changed by the rules the charge point itself follows.

- An accepted SetChargingProfile installs the profile. It replaces the installed profile with the
  same id, and the one of the same purpose and stack level on the same connector (1.6, section
  3.13.3) or EVSE (2.0.1: K01.FR.06 and, for TxProfiles of the same transaction, K01.FR.39; there
  only when their validity periods overlap, since a 2.0.1 station keeps both otherwise).
- An accepted ClearChargingProfile removes the profile it names by id, else every profile matching
  all its criteria (none given: all of them); a 2.0.1 station never clears the external
  constraints an energy manager set that way (K10).
- A transaction's TxProfiles end with it.
- A profile whose `validTo` has passed is dropped.
- 2.0.1: the ReportChargingProfiles that answer a GetChargingProfiles install what they report,
  and, once the last one has arrived and the request's criteria are known (from the command,
  whichever comes first), remove the matching profiles they did not report: the station holds none
  of those. NotifyChargingLimit and ClearedChargingLimit set and clear external limits, kept
  apart from the profiles with their source.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from csms.domain.charging_profiles.schedules import ChargingSchedule, ProfileKind, RecurrencyKind
from csms.wire.versions import OcppVersion

# chargingLimitSource of the profiles the CSMS sets; an energy manager's are EMS, a grid operator's SO.
CSMS_SOURCE = "CSO"
# A GetChargingProfiles whose reports stop coming is forgotten after this long.
REPORT_TIMEOUT = timedelta(hours=1)


class ProfilePurpose(StrEnum):
    CHARGE_POINT_MAX = "ChargePointMaxProfile"  # 1.6
    CHARGING_STATION_MAX = "ChargingStationMaxProfile"  # 2.0.1
    EXTERNAL_CONSTRAINTS = "ChargingStationExternalConstraints"  # 2.0.1: set by the station's energy manager
    TX_DEFAULT = "TxDefaultProfile"
    TX = "TxProfile"


@dataclass(frozen=True)
class InstalledProfile:
    profile_id: int
    # 1.6 connector or 2.0.1 EVSE; 0: the whole charge point.
    evse_or_connector_id: int
    stack_level: int
    purpose: ProfilePurpose
    kind: ProfileKind
    schedules: tuple[ChargingSchedule, ...]  # 1.6: one; 2.0.1: one to three (ISO 15118 offers)
    installed_at: datetime  # when the CSMS learned it is installed
    transaction_id: str | None = None
    recurrency: RecurrencyKind | None = None
    valid_from: datetime | None = None
    valid_to: datetime | None = None
    source: str = CSMS_SOURCE
    # As sent (1.6 csChargingProfiles, 2.0.1 chargingProfile) or as the station reported it.
    as_sent: dict[str, Any] = field(default_factory=dict, compare=False)

    def expired(self, now: datetime) -> bool:
        return self.valid_to is not None and self.valid_to <= now

    def valid_at(self, at: datetime) -> bool:
        return not self.expired(at) and (self.valid_from is None or self.valid_from <= at)

    def _overlaps(self, other: "InstalledProfile") -> bool:
        """Whether the validity periods overlap (an open end is unbounded)."""
        starts_before_other_ends = self.valid_from is None or other.valid_to is None or self.valid_from < other.valid_to
        ends_after_other_starts = self.valid_to is None or other.valid_from is None or other.valid_from < self.valid_to
        return starts_before_other_ends and ends_after_other_starts

    def replaced_by(self, new: "InstalledProfile", version: OcppVersion) -> bool:
        if self.profile_id == new.profile_id:
            return True
        same_slot = (
            self.purpose is new.purpose
            and self.stack_level == new.stack_level
            and self.evse_or_connector_id == new.evse_or_connector_id
        )
        if not same_slot or version is OcppVersion.V16:
            return same_slot
        if new.purpose is ProfilePurpose.TX:
            return self.transaction_id == new.transaction_id
        return self._overlaps(new)


@dataclass(frozen=True)
class ClearCriteria:
    """ClearChargingProfile: a profile id, else criteria that must all match (None: any)."""

    profile_id: int | None = None
    evse_or_connector_id: int | None = None
    purpose: ProfilePurpose | None = None
    stack_level: int | None = None

    def clears(self, profile: InstalledProfile) -> bool:
        if profile.purpose is ProfilePurpose.EXTERNAL_CONSTRAINTS:
            return False
        if self.profile_id is not None:
            return profile.profile_id == self.profile_id
        return (
            self.evse_or_connector_id in (None, profile.evse_or_connector_id)
            and self.purpose in (None, profile.purpose)
            and self.stack_level in (None, profile.stack_level)
        )


@dataclass(frozen=True)
class ProfileQuery:
    """A 2.0.1 GetChargingProfiles: its request id and the criteria the reported profiles match (None: any)."""

    request_id: int
    evse_id: int | None = None
    purpose: ProfilePurpose | None = None
    stack_level: int | None = None
    profile_ids: frozenset[int] = frozenset()  # empty: any
    sources: frozenset[str] = frozenset()  # empty: any

    def matches(self, profile: InstalledProfile) -> bool:
        return (
            self.evse_id in (None, profile.evse_or_connector_id)
            and self.purpose in (None, profile.purpose)
            and self.stack_level in (None, profile.stack_level)
            and (not self.profile_ids or profile.profile_id in self.profile_ids)
            and (not self.sources or profile.source in self.sources)
        )


@dataclass(frozen=True)
class ProfileReport:
    """One ReportChargingProfiles: profiles of one EVSE and one source, and whether more follow."""

    request_id: int
    profiles: tuple[InstalledProfile, ...]
    last: bool  # tbc false


@dataclass(frozen=True)
class ReportProgress:
    """A GetChargingProfiles being answered: what its reports listed so far."""

    request_id: int
    started_at: datetime
    query: ProfileQuery | None = None  # known once the command's answer is recorded
    reported: frozenset[int] = frozenset()
    complete: bool = False  # its last report arrived


@dataclass(frozen=True)
class ExternalLimit:
    """A limit from outside the CSMS (an energy manager, a grid operator) the station notified (2.0.1)."""

    source: str  # chargingLimitSource: EMS, SO, Other
    evse_id: int | None  # None: the whole station
    schedules: tuple[ChargingSchedule, ...]
    notified_at: datetime
    grid_critical: bool | None = None
    as_sent: dict[str, Any] = field(default_factory=dict, compare=False)  # the NotifyChargingLimit payload


@dataclass(frozen=True)
class InstalledProfiles:
    profiles: tuple[InstalledProfile, ...] = ()
    external_limits: tuple[ExternalLimit, ...] = ()
    reports: tuple[ReportProgress, ...] = ()

    def tidied(self, now: datetime) -> "InstalledProfiles":
        """Without the expired profiles and the reports that stopped coming."""
        return replace(
            self,
            profiles=_without(self.profiles, lambda profile: profile.expired(now)),
            reports=tuple(report for report in self.reports if now - report.started_at < REPORT_TIMEOUT),
        )

    def with_profile(self, new: InstalledProfile, version: OcppVersion) -> "InstalledProfiles":
        """An accepted SetChargingProfile."""
        kept = _without(self.profiles, lambda profile: profile.replaced_by(new, version))
        return replace(self, profiles=(*kept, new))

    def cleared(self, criteria: ClearCriteria) -> "InstalledProfiles":
        """An accepted ClearChargingProfile."""
        return replace(self, profiles=_without(self.profiles, criteria.clears))

    def without_transaction(self, transaction_id: str) -> "InstalledProfiles":
        """The transaction ended: its TxProfiles are gone."""
        return replace(
            self,
            profiles=_without(
                self.profiles, lambda p: p.purpose is ProfilePurpose.TX and p.transaction_id == transaction_id
            ),
        )

    def none_matching(self, query: ProfileQuery) -> "InstalledProfiles":
        """GetChargingProfiles answered NoProfiles: the station holds none that match."""
        return replace(self, profiles=_without(self.profiles, query.matches))

    def report_requested(self, query: ProfileQuery, at: datetime) -> "InstalledProfiles":
        """GetChargingProfiles answered Accepted: reports follow (or came already)."""
        progress = self._progress(query.request_id, at)
        return self._with_progress(replace(progress, query=query))

    def with_report(self, report: ProfileReport, at: datetime) -> "InstalledProfiles":
        """A ReportChargingProfiles: the station holds these profiles, each replacing the one of its id."""
        reported_ids = {profile.profile_id for profile in report.profiles}
        kept = _without(self.profiles, lambda profile: profile.profile_id in reported_ids)
        progress = self._progress(report.request_id, at)
        installed = replace(self, profiles=(*kept, *report.profiles))
        return installed._with_progress(
            replace(progress, reported=progress.reported | reported_ids, complete=progress.complete or report.last)
        )

    def with_external_limit(self, limit: ExternalLimit) -> "InstalledProfiles":
        """NotifyChargingLimit: replaces the limit of the same source on the same EVSE (or station)."""
        kept = self._external_limits_except(limit.source, limit.evse_id)
        return replace(self, external_limits=(*kept, limit))

    def without_external_limit(self, source: str, evse_id: int | None) -> "InstalledProfiles":
        """ClearedChargingLimit."""
        return replace(self, external_limits=self._external_limits_except(source, evse_id))

    def _external_limits_except(self, source: str, evse_id: int | None) -> tuple[ExternalLimit, ...]:
        return tuple(limit for limit in self.external_limits if (limit.source, limit.evse_id) != (source, evse_id))

    def _progress(self, request_id: int, at: datetime) -> ReportProgress:
        found = [report for report in self.reports if report.request_id == request_id]
        return found[0] if found else ReportProgress(request_id, started_at=at)

    def _with_progress(self, progress: ReportProgress) -> "InstalledProfiles":
        """Kept while the report is incomplete; once complete and its query known, what it did not list goes."""
        others = tuple(report for report in self.reports if report.request_id != progress.request_id)
        if not (progress.complete and progress.query is not None):
            return replace(self, reports=(*others, progress))
        query, reported = progress.query, progress.reported
        return replace(
            self,
            profiles=_without(self.profiles, lambda p: query.matches(p) and p.profile_id not in reported),
            reports=others,
        )


def _without(
    profiles: Iterable[InstalledProfile], drop: Callable[[InstalledProfile], bool]
) -> tuple[InstalledProfile, ...]:
    return tuple(profile for profile in profiles if not drop(profile))
