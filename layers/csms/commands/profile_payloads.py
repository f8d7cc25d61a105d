"""Charging profiles as each OCPP version spells them (camelCase, as sent), in the domain's terms.

SetChargingProfile and ClearChargingProfile of both versions and 2.0.1 GetChargingProfiles are read
here from the commands' requests; the 2.0.1 edge reads the station's own reports with `profile_201`
and `schedule`. Schedules are spelled alike in both versions.
"""

from datetime import datetime
from decimal import Decimal
from typing import Any

from csms.domain.charging_profiles.installed import (
    CSMS_SOURCE,
    ClearCriteria,
    InstalledProfile,
    ProfilePurpose,
    ProfileQuery,
)
from csms.domain.charging_profiles.schedules import (
    ChargingSchedule,
    ProfileKind,
    RateUnit,
    RecurrencyKind,
    SchedulePeriod,
)
from csms.timeutil import parse_timestamp
from csms.wire.versions import OcppVersion

Payload = dict[str, Any]


def set_profile(version: OcppVersion, request: Payload, at: datetime) -> InstalledProfile:
    """The profile a SetChargingProfile installs, on its connector (1.6) or EVSE (2.0.1)."""
    if version is OcppVersion.V201:
        return profile_201(request["evseId"], request["chargingProfile"], CSMS_SOURCE, at)
    sent = request["csChargingProfiles"]
    transaction_id = sent.get("transactionId")
    return InstalledProfile(
        profile_id=sent["chargingProfileId"],
        evse_or_connector_id=request["connectorId"],
        stack_level=sent["stackLevel"],
        purpose=ProfilePurpose(sent["chargingProfilePurpose"]),
        kind=ProfileKind(sent["chargingProfileKind"]),
        schedules=(schedule(sent["chargingSchedule"]),),
        installed_at=at,
        transaction_id=None if transaction_id is None else str(transaction_id),
        recurrency=_recurrency(sent),
        valid_from=_timestamp(sent, "validFrom"),
        valid_to=_timestamp(sent, "validTo"),
        as_sent=sent,
    )


def profile_201(evse_id: int, sent: Payload, source: str, at: datetime) -> InstalledProfile:
    """A 2.0.1 ChargingProfileType on an EVSE, set by `source` (chargingLimitSource)."""
    return InstalledProfile(
        profile_id=sent["id"],
        evse_or_connector_id=evse_id,
        stack_level=sent["stackLevel"],
        purpose=ProfilePurpose(sent["chargingProfilePurpose"]),
        kind=ProfileKind(sent["chargingProfileKind"]),
        schedules=tuple(schedule(entry) for entry in sent["chargingSchedule"]),
        installed_at=at,
        transaction_id=sent.get("transactionId"),
        recurrency=_recurrency(sent),
        valid_from=_timestamp(sent, "validFrom"),
        valid_to=_timestamp(sent, "validTo"),
        source=source,
        as_sent=sent,
    )


def schedule(sent: Payload) -> ChargingSchedule:
    return ChargingSchedule(
        rate_unit=RateUnit(sent["chargingRateUnit"]),
        periods=tuple(
            # Through str: a limit read as a binary float keeps the digits it was written with.
            SchedulePeriod(period["startPeriod"], Decimal(str(period["limit"])), period.get("numberPhases"))
            for period in sent["chargingSchedulePeriod"]
        ),
        start_schedule=_timestamp(sent, "startSchedule"),
        duration=sent.get("duration"),
    )


def clear_criteria(version: OcppVersion, request: Payload) -> ClearCriteria:
    """What a ClearChargingProfile clears."""
    if version is OcppVersion.V201:
        criteria = request.get("chargingProfileCriteria", {})
        return ClearCriteria(
            profile_id=request.get("chargingProfileId"),
            evse_or_connector_id=criteria.get("evseId"),
            purpose=_purpose(criteria),
            stack_level=criteria.get("stackLevel"),
        )
    return ClearCriteria(
        profile_id=request.get("id"),
        evse_or_connector_id=request.get("connectorId"),
        purpose=_purpose(request),
        stack_level=request.get("stackLevel"),
    )


def profile_query(request: Payload) -> ProfileQuery:
    """What a 2.0.1 GetChargingProfiles asks for."""
    criterion = request["chargingProfile"]
    return ProfileQuery(
        request_id=request["requestId"],
        evse_id=request.get("evseId"),
        purpose=_purpose(criterion),
        stack_level=criterion.get("stackLevel"),
        profile_ids=frozenset(criterion.get("chargingProfileId", ())),
        sources=frozenset(criterion.get("chargingLimitSource", ())),
    )


def _purpose(sent: Payload) -> ProfilePurpose | None:
    purpose = sent.get("chargingProfilePurpose")
    return None if purpose is None else ProfilePurpose(purpose)


def _recurrency(sent: Payload) -> RecurrencyKind | None:
    recurrency = sent.get("recurrencyKind")
    return None if recurrency is None else RecurrencyKind(recurrency)


def _timestamp(sent: Payload, name: str) -> datetime | None:
    value = sent.get(name)
    return None if value is None else parse_timestamp(value)
