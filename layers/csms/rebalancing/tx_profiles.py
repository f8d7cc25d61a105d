"""The SetChargingProfile that gives a session its allocation: a TxProfile in amps, for its transaction.

Relative, one period from the start: it holds from the moment the charger accepts it, whatever its
clock says. Its id is the same for a connector (1.6) or EVSE (2.0.1) at every rebalance, so each new
one replaces the last (by id; in 1.6 also by purpose and stack level on the connector).
"""

from decimal import Decimal
from typing import Any

from csms.wire.versions import OcppVersion

SET_CHARGING_PROFILE = "SetChargingProfile"
# Above the ids an operator is likely to pick by hand; one per connector or EVSE.
TX_PROFILE_ID_BASE = 100_000
STACK_LEVEL = 0


def tx_profile_request(
    version: OcppVersion, transaction_id: str, place: int, amps: Decimal, phases: int
) -> dict[str, Any]:
    """`place`: the 1.6 connector or the 2.0.1 EVSE of the session."""
    period: dict[str, Any] = {"startPeriod": 0, "limit": float(amps), "numberPhases": phases}
    profile: dict[str, Any] = {
        "stackLevel": STACK_LEVEL,
        "chargingProfilePurpose": "TxProfile",
        "chargingProfileKind": "Relative",
    }
    if version is OcppVersion.V16:
        schedule: dict[str, Any] = {"chargingRateUnit": "A", "chargingSchedulePeriod": [period]}
        profile |= {
            "chargingProfileId": TX_PROFILE_ID_BASE + place,
            "transactionId": int(transaction_id),
            "chargingSchedule": schedule,
        }
        return {"connectorId": place, "csChargingProfiles": profile}
    schedule_201: dict[str, Any] = {"id": 1, "chargingRateUnit": "A", "chargingSchedulePeriod": [period]}
    profile |= {"id": TX_PROFILE_ID_BASE + place, "transactionId": transaction_id, "chargingSchedule": [schedule_201]}
    return {"evseId": place, "chargingProfile": profile}
