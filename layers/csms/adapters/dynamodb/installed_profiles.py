"""Installed charging profiles: one item per charge point in its partition of ChargePoints.

One item holds the whole set (a charge point holds a handful of profiles), so every rule that
changes several profiles at once (a replace, a clear, a report) is one conditional write
(`revisions.RevisionedItem`).
"""

from collections.abc import Callable
from typing import Any

from csms.adapters.dynamodb.codec import from_json_value, integer, item, json_value, timestamp
from csms.adapters.dynamodb.revisions import RevisionedItem
from csms.domain.charging_profiles.installed import (
    ExternalLimit,
    InstalledProfile,
    InstalledProfiles,
    ProfilePurpose,
    ProfileQuery,
    ReportProgress,
)
from csms.domain.charging_profiles.schedules import (
    ChargingSchedule,
    ProfileKind,
    RateUnit,
    RecurrencyKind,
    SchedulePeriod,
)
from csms.timeutil import parse_timestamp

# Sorts after "NOTIFICATION#" (and before "VARIABLE#"): the charge point repository's `get()` never reads it.
INSTALLED_PROFILES = "SMART_CHARGING"


class DynamoDbInstalledProfileRepository:
    def __init__(self, charge_points_table: Any) -> None:
        self._item = RevisionedItem(charge_points_table, _installed, _installed_item, InstalledProfiles())

    def get(self, charge_point_id: str) -> InstalledProfiles:
        return self._item.get(_key(charge_point_id))

    def update(
        self, charge_point_id: str, change: Callable[[InstalledProfiles], InstalledProfiles]
    ) -> InstalledProfiles:
        return self._item.update(_key(charge_point_id), change, f"the installed profiles of {charge_point_id}")


def _installed(stored: dict[str, Any]) -> InstalledProfiles:
    return InstalledProfiles(
        profiles=tuple(_profile(entry) for entry in stored.get("profiles", [])),
        external_limits=tuple(_external_limit(entry) for entry in stored.get("externalLimits", [])),
        reports=tuple(_report(entry) for entry in stored.get("reports", [])),
    )


def _installed_item(installed: InstalledProfiles) -> dict[str, Any]:
    return item(
        profiles=[_profile_item(profile) for profile in installed.profiles],
        externalLimits=[_external_limit_item(limit) for limit in installed.external_limits],
        reports=[_report_item(report) for report in installed.reports],
    )


def _key(charge_point_id: str) -> dict[str, str]:
    return {"chargePointId": charge_point_id, "itemKey": INSTALLED_PROFILES}


def _profile_item(profile: InstalledProfile) -> dict[str, Any]:
    return item(
        profileId=profile.profile_id,
        place=profile.evse_or_connector_id,
        stackLevel=profile.stack_level,
        purpose=profile.purpose.value,
        kind=profile.kind.value,
        schedules=[_schedule_item(schedule) for schedule in profile.schedules],
        installedAt=profile.installed_at,
        transactionId=profile.transaction_id,
        recurrency=profile.recurrency.value if profile.recurrency else None,
        validFrom=profile.valid_from,
        validTo=profile.valid_to,
        source=profile.source,
        asSent=json_value(profile.as_sent),
    )


def _profile(entry: dict[str, Any]) -> InstalledProfile:
    return InstalledProfile(
        profile_id=int(entry["profileId"]),
        evse_or_connector_id=int(entry["place"]),
        stack_level=int(entry["stackLevel"]),
        purpose=ProfilePurpose(entry["purpose"]),
        kind=ProfileKind(entry["kind"]),
        schedules=tuple(_schedule(schedule) for schedule in entry["schedules"]),
        installed_at=parse_timestamp(entry["installedAt"]),
        transaction_id=entry.get("transactionId"),
        recurrency=RecurrencyKind(entry["recurrency"]) if "recurrency" in entry else None,
        valid_from=timestamp(entry.get("validFrom")),
        valid_to=timestamp(entry.get("validTo")),
        source=entry["source"],
        as_sent=from_json_value(entry["asSent"]),
    )


def _schedule_item(schedule: ChargingSchedule) -> dict[str, Any]:
    return item(
        rateUnit=schedule.rate_unit.value,
        periods=[
            item(startPeriod=period.start_period, limit=period.limit, numberPhases=period.number_phases)
            for period in schedule.periods
        ],
        startSchedule=schedule.start_schedule,
        duration=schedule.duration,
    )


def _schedule(entry: dict[str, Any]) -> ChargingSchedule:
    return ChargingSchedule(
        rate_unit=RateUnit(entry["rateUnit"]),
        periods=tuple(
            SchedulePeriod(int(period["startPeriod"]), period["limit"], integer(period.get("numberPhases")))
            for period in entry["periods"]
        ),
        start_schedule=timestamp(entry.get("startSchedule")),
        duration=integer(entry.get("duration")),
    )


def _external_limit_item(limit: ExternalLimit) -> dict[str, Any]:
    return item(
        source=limit.source,
        evseId=limit.evse_id,
        schedules=[_schedule_item(schedule) for schedule in limit.schedules],
        notifiedAt=limit.notified_at,
        gridCritical=limit.grid_critical,
        asSent=json_value(limit.as_sent),
    )


def _external_limit(entry: dict[str, Any]) -> ExternalLimit:
    return ExternalLimit(
        source=entry["source"],
        evse_id=integer(entry.get("evseId")),
        schedules=tuple(_schedule(schedule) for schedule in entry["schedules"]),
        notified_at=parse_timestamp(entry["notifiedAt"]),
        grid_critical=entry.get("gridCritical"),
        as_sent=from_json_value(entry["asSent"]),
    )


def _report_item(report: ReportProgress) -> dict[str, Any]:
    query = report.query
    return item(
        requestId=report.request_id,
        startedAt=report.started_at,
        query=None
        if query is None
        else item(
            evseId=query.evse_id,
            purpose=query.purpose.value if query.purpose else None,
            stackLevel=query.stack_level,
            profileIds=sorted(query.profile_ids),
            sources=sorted(query.sources),
        ),
        reported=sorted(report.reported),
        complete=report.complete,
    )


def _report(entry: dict[str, Any]) -> ReportProgress:
    request_id = int(entry["requestId"])
    query = entry.get("query")
    return ReportProgress(
        request_id=request_id,
        started_at=parse_timestamp(entry["startedAt"]),
        query=None
        if query is None
        else ProfileQuery(
            request_id=request_id,
            evse_id=integer(query.get("evseId")),
            purpose=ProfilePurpose(query["purpose"]) if "purpose" in query else None,
            stack_level=integer(query.get("stackLevel")),
            profile_ids=frozenset(int(profile_id) for profile_id in query["profileIds"]),
            sources=frozenset(query["sources"]),
        ),
        reported=frozenset(int(profile_id) for profile_id in entry["reported"]),
        complete=bool(entry["complete"]),
    )
