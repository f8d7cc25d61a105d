"""A site's allocation as the last rebalance left it, and its history."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from csms.domain.sites import LimitSource


class ProfileStatus(StrEnum):
    """Where a session's TxProfile stands."""

    APPLIED = "Applied"  # the charger accepted its allocation
    PENDING = "Pending"  # sent, or waiting for the headroom other chargers give back
    REJECTED = "Rejected"  # Rejected or a CALLERROR: the charger kept its previous limit
    OFFLINE = "Offline"  # not connected, or no answer: counted at the higher of its two limits


@dataclass(frozen=True)
class SessionAllocation:
    key: str
    charger_id: str
    transaction_id: str
    connector_id: int | None
    evse_id: int | None
    allocated_amps: Decimal
    effective_amps: Decimal  # the most its charger may hold now: counted at it
    profile_status: ProfileStatus
    # After a change never answered the charger may hold less: the least (kept until an answer says which).
    lowest_amps: Decimal | None = None
    measured_amps: Decimal | None = None


@dataclass(frozen=True)
class SiteAllocation:
    site_id: str
    limit_amps: Decimal
    limit_source: LimitSource
    computed_at: datetime
    sessions: tuple[SessionAllocation, ...] = ()

    @property
    def allocated_amps(self) -> Decimal:
        return sum((session.allocated_amps for session in self.sessions), Decimal(0))

    @property
    def effective_amps(self) -> Decimal:
        return sum((session.effective_amps for session in self.sessions), Decimal(0))

    @property
    def measured_amps(self) -> Decimal | None:
        """Of the sessions whose chargers report it; None when none does."""
        measured = [session.measured_amps for session in self.sessions if session.measured_amps is not None]
        return sum(measured, Decimal(0)) if measured else None

    def session(self, key: str) -> SessionAllocation | None:
        return next((session for session in self.sessions if session.key == key), None)
