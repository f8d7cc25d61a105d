"""A site's picture for a rebalance: its active sessions as the allocator sees them, and what each
charger is counted at now.

A session's charger is counted at the limit its installed profiles give it (its TxProfile, else its
TxDefaultProfile, else its maximum). After a change it never answered (the last allocation says Offline)
it may hold either limit: it is counted at the higher, and the lower is kept as its lowest. A charger
that is not connected keeps what it holds (`fixed_amps`): the allocator counts it and nothing is sent.

A session's priority is its id token's (`csms.domain.charging_priority`). A 2.0.1 vehicle's charging
needs give its energy request, departure and the energy delivered since (by the meter), and cap it at
its own maximum current; once they arrive the session awaits a schedule until its charger accepts a
TxProfile for it.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from csms.domain.charging_needs import ChargingNeeds, energy_delivered_wh
from csms.domain.charging_priority import ChargingPriorities
from csms.domain.charging_profiles.effective_limits import effective_limit_amps, external_limit_amps
from csms.domain.charging_profiles.installed import InstalledProfiles, ProfilePurpose
from csms.domain.load_balancing import SessionDemand
from csms.domain.meter_series import TransactionSeries
from csms.domain.metering import energy_register_wh
from csms.domain.models import ChargePoint, Transaction, TransactionStatus
from csms.domain.ports import (
    ChargePointRepository,
    InstalledProfileRepository,
    MeterValueRepository,
    TransactionRepository,
)
from csms.domain.sites import Site
from csms.rebalancing.models import ProfileStatus, SiteAllocation
from csms.wire.versions import OcppVersion


@dataclass(frozen=True)
class SessionPicture:
    demand: SessionDemand
    ocpp_version: OcppVersion
    place: int  # the 1.6 connector or the 2.0.1 EVSE
    online: bool
    effective_amps: Decimal
    lowest_amps: Decimal | None
    # Its vehicle told its charging needs after the charger's latest TxProfile for it: one is sent, changed or not.
    awaits_schedule: bool = False


def session_key(charge_point_id: str, transaction_id: str) -> str:
    return f"{charge_point_id}#{transaction_id}"


class SitePictures:
    def __init__(
        self,
        charge_points: ChargePointRepository,
        transactions: TransactionRepository,
        installed: InstalledProfileRepository,
        priorities: ChargingPriorities,
        meter_values: MeterValueRepository,
    ) -> None:
        self._charge_points = charge_points
        self._transactions = transactions
        self._installed = installed
        self._priorities = priorities
        self._meter_values = meter_values

    def sessions(self, site: Site, previous: SiteAllocation | None, now: datetime) -> list[SessionPicture]:
        pictures = []
        for charge_point_id in self._charge_points.ids_at_site(site.site_id):
            charge_point = self._charge_points.get(charge_point_id)
            if charge_point is None or charge_point.ocpp_version is None:
                continue
            active = [
                transaction
                for transaction in self._transactions.list_for_charge_point(charge_point_id)
                if transaction.status is TransactionStatus.ACTIVE
            ]
            pictures += [self._picture(site, charge_point, transaction, previous, now) for transaction in active]
        return pictures

    def _picture(
        self,
        site: Site,
        charge_point: ChargePoint,
        transaction: Transaction,
        previous: SiteAllocation | None,
        now: datetime,
    ) -> SessionPicture:
        version = charge_point.ocpp_version
        assert version is not None
        wiring = charge_point.wiring
        place = (transaction.connector_id if version is OcppVersion.V16 else transaction.evse_id) or 0
        key = session_key(charge_point.charge_point_id, transaction.transaction_id)
        installed = self._installed.get(charge_point.charge_point_id)
        voltage, phases = site.voltage, wiring.phases
        holds = effective_limit_amps(
            installed,
            transaction.transaction_id,
            place,
            now,
            voltage=voltage,
            phases=phases,
            session_start=transaction.started_at,
        )
        effective = wiring.max_current_amps if holds is None else min(holds, wiring.max_current_amps)
        lowest = None
        last = previous.session(key) if previous is not None else None
        if last is not None and last.profile_status is ProfileStatus.OFFLINE and last.effective_amps > effective:
            effective, lowest = last.effective_amps, min(effective, last.lowest_amps or effective)
        online = charge_point.connected
        external = None
        if version is OcppVersion.V201:
            external = external_limit_amps(installed, place, now, voltage=voltage, phases=phases)
        needs = transaction.charging_needs
        demand = SessionDemand(
            key=key,
            charger_id=charge_point.charge_point_id,
            transaction_id=transaction.transaction_id,
            connector_id=transaction.connector_id,
            evse_id=transaction.evse_id,
            max_amps=_vehicle_capped(wiring.max_current_amps, needs),
            phases=wiring.phases,
            site_phase=wiring.site_phase,
            priority=self._priorities.of(transaction.id_token),
            arrived_at=transaction.started_at,
            external_limit_amps=external,
            fixed_amps=None if online else effective,
            energy_request_wh=needs.energy_amount_wh if needs else None,
            departure=needs.departure if needs else None,
            energy_delivered_wh=self._delivered_wh(transaction, needs) if needs else None,
        )
        awaits = needs is not None and not _scheduled_since(installed, transaction.transaction_id, needs.received_at)
        return SessionPicture(demand, version, place, online, effective, lowest, awaits)

    def _delivered_wh(self, transaction: Transaction, needs: ChargingNeeds) -> Decimal | None:
        readings = self._meter_values.list(TransactionSeries(transaction.charge_point_id, transaction.transaction_id))
        return energy_delivered_wh(needs, energy_register_wh(readings))


def _vehicle_capped(max_amps: Decimal, needs: ChargingNeeds | None) -> Decimal:
    """The charger's maximum, or the vehicle's own (AC evMaxCurrent) when lower."""
    if needs is None or needs.ev_max_current_amps is None:
        return max_amps
    return min(max_amps, needs.ev_max_current_amps)


def _scheduled_since(installed: InstalledProfiles, transaction_id: str, since: datetime) -> bool:
    """Whether the charger accepted a TxProfile for the transaction at or after `since`."""
    return any(
        profile.purpose is ProfilePurpose.TX
        and profile.transaction_id == transaction_id
        and profile.installed_at >= since
        for profile in installed.profiles
    )
