"""A vehicle's charging needs (OCPP 2.0.1 NotifyEVChargingNeeds), kept with its session for the allocation.

The station asks for a charging schedule that meets them. The answer says whether one follows (K17,
NotifyEVChargingNeedsStatusEnumType): Accepted, "a schedule will be provided momentarily"; Rejected, "service
not available". This CSMS schedules the sessions of its sites only: it accepts the needs of an active session
of a charger at a site, keeps them with that transaction (whose stored change requests the site's rebalance,
`csms.rebalancing.triggers`), and that rebalance sends the session a TxProfile (`csms.rebalancing.picture`
`SessionPicture.awaits_schedule`). Anything else is Rejected and nothing is kept.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal


@dataclass(frozen=True)
class ChargingNeeds:
    """What the vehicle asked for, and the energy register when it did (what it got since counts against it)."""

    received_at: datetime
    requested_energy_transfer: str  # EnergyTransferModeEnumType: AC_single_phase, AC_three_phase, DC, ...
    departure: datetime | None = None
    energy_amount_wh: Decimal | None = None  # AC or DC energyAmount: the energy it wants from now on
    ev_max_current_amps: Decimal | None = None  # AC evMaxCurrent: the most it draws per phase
    energy_register_wh: Decimal | None = None  # the session's register when the needs arrived


def energy_delivered_wh(needs: ChargingNeeds, register_wh: Decimal | None) -> Decimal | None:
    """The energy delivered since the needs arrived, by the session's register now; None when not known."""
    if needs.energy_register_wh is None or register_wh is None:
        return None
    return max(register_wh - needs.energy_register_wh, Decimal(0))
