"""A site's picture for a rebalance: its active sessions as the allocator sees them, and what each
charger is counted at now.

A session's charger is counted at the limit its installed profiles give it (its TxProfile, else its
TxDefaultProfile, else its maximum). After a change it never answered (the last allocation says Offline)
it may hold either limit: it is counted at the higher, and the lower is kept as its lowest. A charger
that is not connected keeps what it holds (`fixed_amps`): the allocator counts it and nothing is sent.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from csms.domain.charging_priority import ChargingPriorities
from csms.domain.charging_profiles.effective_limits import effective_limit_amps, external_limit_amps
from csms.domain.load_balancing import SessionDemand
from csms.domain.models import ChargePoint, Transaction, TransactionStatus
from csms.domain.ports import ChargePointRepository, InstalledProfileRepository, TransactionRepository
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


def session_key(charge_point_id: str, transaction_id: str) -> str:
    return f"{charge_point_id}#{transaction_id}"


class SitePictures:
    def __init__(
        self,
        charge_points: ChargePointRepository,
        transactions: TransactionRepository,
        installed: InstalledProfileRepository,
        priorities: ChargingPriorities,
    ) -> None:
        self._charge_points = charge_points
        self._transactions = transactions
        self._installed = installed
        self._priorities = priorities

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
        demand = SessionDemand(
            key=key,
            charger_id=charge_point.charge_point_id,
            transaction_id=transaction.transaction_id,
            connector_id=transaction.connector_id,
            evse_id=transaction.evse_id,
            max_amps=wiring.max_current_amps,
            phases=wiring.phases,
            site_phase=wiring.site_phase,
            priority=self._priorities.of(transaction.id_token),
            arrived_at=transaction.started_at,
            external_limit_amps=external,
            fixed_amps=None if online else effective,
        )
        return SessionPicture(demand, version, place, online, effective, lowest)
