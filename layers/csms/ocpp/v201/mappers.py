"""OCPP 2.0.1 payloads as domain inputs, and the domain's results as 2.0.1 responses.

Requests come as the `ocpp` library's dataclasses, their nested parts (EVSE, id token, charging
station, transaction info, report data) as its snake_case dicts; the parts the CSMS keeps as they
were sent (sampled values, notifications) come from the payload as received (camelCase).
"""

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ocpp.v201 import call, call_result
from ocpp.v201.datatypes import StatusInfoType
from ocpp.v201.enums import GenericStatusEnumType, NotifyEVChargingNeedsStatusEnumType, RegistrationStatusEnumType

from csms.authorization_info import id_token_info
from csms.commands import profile_payloads
from csms.commands.configuration_reports import DEFAULT_MUTABILITY, component_variable
from csms.domain.charging_needs import ChargingNeeds
from csms.domain.charging_profiles.installed import ExternalLimit, ProfileReport
from csms.domain.configuration_variables import ConfigurationVariable
from csms.domain.models import (
    ENERGY_REGISTER,
    Authorization,
    BootInfo,
    ConnectorStatus,
    MeterReading,
    ReservationStatus,
    SampledValue,
)
from csms.domain.transactions import MeterValues, TransactionEvent, TransactionEventOutcome
from csms.ocpp.mapping import meter_readings, number, timestamp
from csms.timeutil import format_timestamp

if TYPE_CHECKING:  # the CA's modules are imported by the first SignCertificate only (cold starts)
    from csms.pki.service import SigningAnswer


def boot_info(request: call.BootNotification) -> BootInfo:
    station: dict[str, Any] = request.charging_station
    return BootInfo(
        vendor=station["vendor_name"],
        model=station["model"],
        serial_number=station.get("serial_number"),
        firmware_version=station.get("firmware_version"),
        boot_reason=request.reason,
    )


def connector_status(request: call.StatusNotification) -> ConnectorStatus:
    return ConnectorStatus(
        evse_id=request.evse_id,
        connector_id=request.connector_id,
        status=request.connector_status,
        timestamp=timestamp(request.timestamp),
    )


def presented_token(id_token: dict[str, Any]) -> str:
    """The token of an IdTokenType; its type does not matter to the CSMS."""
    token: str = id_token["id_token"]
    return token


def transaction_event(request: call.TransactionEvent, sent: dict[str, Any]) -> TransactionEvent:
    info: dict[str, Any] = request.transaction_info
    evse: dict[str, Any] = request.evse or {}
    return TransactionEvent(
        event_type=request.event_type,
        timestamp=timestamp(request.timestamp),
        transaction_id=info["transaction_id"],
        seq_no=request.seq_no,
        trigger_reason=request.trigger_reason,
        stopped_reason=info.get("stopped_reason"),
        evse_id=evse.get("id"),
        connector_id=evse.get("connector_id"),
        id_token=presented_token(request.id_token) if request.id_token else None,
        offline=bool(request.offline),
        readings=tuple(readings(sent.get("meterValue"))),
        reservation_id=request.reservation_id,
        charging_state=info.get("charging_state"),
    )


def meter_values(request: call.MeterValues, sent: dict[str, Any]) -> MeterValues:
    return MeterValues(evse_or_connector_id=request.evse_id, readings=tuple(readings(sent["meterValue"])))


def readings(entries: list[dict[str, Any]] | None) -> list[MeterReading]:
    """2.0.1 MeterValueType entries as sent."""
    return meter_readings(entries, sampled_value)


def sampled_value(sent: dict[str, Any]) -> SampledValue:
    """A 2.0.1 SampledValueType: its value a number, its unit and multiplier in `unitOfMeasure`."""
    unit_of_measure: dict[str, Any] = sent.get("unitOfMeasure") or {}
    return SampledValue(
        sent=sent,
        value=number(sent["value"]),
        measurand=sent.get("measurand", ENERGY_REGISTER),
        phase=sent.get("phase"),
        unit=unit_of_measure.get("unit", "Wh"),
        multiplier=int(unit_of_measure.get("multiplier", 0)),
    )


def reported_variables(request: call.NotifyReport) -> list[ConfigurationVariable]:
    """Every attribute of each component variable a NotifyReport carries."""
    return [
        component_variable(
            report["component"],
            report["variable"],
            attribute.get("type"),
            attribute.get("value"),
            attribute.get("mutability", DEFAULT_MUTABILITY),
        )
        for report in request.report_data or []
        for attribute in report["variable_attribute"]
    ]


def reservation_status(request: call.ReservationStatusUpdate) -> ReservationStatus:
    return ReservationStatus(request.reservation_update_status)


def charging_profiles_report(sent: dict[str, Any], at: datetime) -> ProfileReport:
    """A ReportChargingProfiles: the profiles of one EVSE set by one source, as the station reported them."""
    source, evse_id = sent["chargingLimitSource"], sent["evseId"]
    return ProfileReport(
        request_id=sent["requestId"],
        profiles=tuple(
            profile_payloads.profile_201(evse_id, profile, source, at) for profile in sent["chargingProfile"]
        ),
        last=not sent.get("tbc", False),
    )


def external_limit(sent: dict[str, Any], at: datetime) -> ExternalLimit:
    """A NotifyChargingLimit (with its schedules, when it says them), as sent."""
    limit = sent["chargingLimit"]
    return ExternalLimit(
        source=limit["chargingLimitSource"],
        evse_id=limited_evse(sent.get("evseId")),
        schedules=tuple(profile_payloads.schedule(schedule) for schedule in sent.get("chargingSchedule", ())),
        notified_at=at,
        grid_critical=limit.get("isGridCritical"),
        as_sent=sent,
    )


def limited_evse(evse_id: int | None) -> int | None:
    """The EVSE a charging limit is on; None (also for 0): the whole station."""
    return evse_id or None


def charging_needs(request: call.NotifyEVChargingNeeds, at: datetime) -> ChargingNeeds:
    """What the vehicle asks for: departure, energy (AC or DC `energyAmount`, Wh) and AC `evMaxCurrent` (its most
    per phase; a value that is not positive is no maximum)."""
    needs: dict[str, Any] = request.charging_needs
    ac = needs.get("ac_charging_parameters") or {}
    energy = ac.get("energy_amount", (needs.get("dc_charging_parameters") or {}).get("energy_amount"))
    departure, ev_max_current = needs.get("departure_time"), ac.get("ev_max_current")
    return ChargingNeeds(
        received_at=at,
        requested_energy_transfer=needs["requested_energy_transfer"],
        departure=timestamp(departure) if departure is not None else None,
        energy_amount_wh=Decimal(energy) if energy is not None else None,
        ev_max_current_amps=Decimal(ev_max_current) if ev_max_current is not None and ev_max_current > 0 else None,
    )


def charging_needs_answer(schedule_follows: bool) -> call_result.NotifyEVChargingNeeds:
    """Accepted: "a schedule will be provided momentarily"; Rejected: "service not available" (K17)."""
    status = (
        NotifyEVChargingNeedsStatusEnumType.accepted
        if schedule_follows
        else NotifyEVChargingNeedsStatusEnumType.rejected
    )
    return call_result.NotifyEVChargingNeeds(status=status)


# Responses -------------------------------------------------------------------------------------


def boot_accepted(now: datetime, heartbeat_interval_seconds: int) -> call_result.BootNotification:
    return call_result.BootNotification(
        current_time=format_timestamp(now),
        interval=heartbeat_interval_seconds,
        status=RegistrationStatusEnumType.accepted,
    )


def boot_pending(now: datetime, retry_seconds: int) -> call_result.BootNotification:
    """The CSMS sets the charger up first (`csms.commands.provisioning`); it boots again after `retry_seconds`."""
    return call_result.BootNotification(
        current_time=format_timestamp(now), interval=retry_seconds, status=RegistrationStatusEnumType.pending
    )


def heartbeat_answer(now: datetime) -> call_result.Heartbeat:
    return call_result.Heartbeat(current_time=format_timestamp(now))


def authorize_answer(authorization: Authorization) -> call_result.Authorize:
    return call_result.Authorize(id_token_info=id_token_info(authorization))


def transaction_event_answer(outcome: TransactionEventOutcome) -> call_result.TransactionEvent:
    return call_result.TransactionEvent(
        id_token_info=id_token_info(outcome.authorization) if outcome.authorization else None,
        # Optional in the schema: stations without TariffAndCost ignore it.
        total_cost=float(outcome.total_cost) if outcome.total_cost is not None else None,
    )


# StatusInfoType: reasonCode at most 20 characters, additionalInfo at most 512.
INVALID_CSR_REASON = "InvalidCSR"
MAX_ADDITIONAL_INFO = 512


def sign_certificate_answer(answer: "SigningAnswer") -> call_result.SignCertificate:
    if answer.accepted:
        return call_result.SignCertificate(status=GenericStatusEnumType.accepted)
    reason = answer.reason or ""
    return call_result.SignCertificate(
        status=GenericStatusEnumType.rejected,
        status_info=StatusInfoType(reason_code=INVALID_CSR_REASON, additional_info=reason[:MAX_ADDITIONAL_INFO]),
    )
