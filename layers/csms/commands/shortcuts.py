"""Version-independent commands: the action and payload each OCPP version uses for them.

Reset types: `soft` is 1.6 Soft and 2.0.1 OnIdle, `hard` is 1.6 Hard and 2.0.1 Immediate. 2.0.1
has no graceful-now reset: OnIdle waits for running transactions to end instead of stopping
them, which is the gentler reading of "soft" (a 1.6 Soft reset stops them gracefully).
"""

import secrets
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from csms.commands.errors import InvalidCommandError
from csms.wire.versions import OcppVersion

V16, V201 = OcppVersion.V16, OcppVersion.V201
MAX_REMOTE_START_ID = 2**31 - 1  # an OCPP integer


class ResetType(StrEnum):
    SOFT = "soft"
    HARD = "hard"


class Availability(StrEnum):
    OPERATIVE = "operative"
    INOPERATIVE = "inoperative"


@dataclass(frozen=True)
class CommandRequest:
    action: str
    payload: dict[str, Any]


def _refuse(version: OcppVersion, given: str, use: str) -> InvalidCommandError:
    return InvalidCommandError([f"OCPP {version.value} has no {given}; use {use}"])


def start(version: OcppVersion, id_token: str, connector_id: int | None, evse_id: int | None) -> CommandRequest:
    if version is V16:
        if evse_id is not None:
            raise _refuse(version, "evseId", "connectorId")
        payload: dict[str, Any] = {"idTag": id_token}
        if connector_id is not None:
            payload["connectorId"] = connector_id
        return CommandRequest("RemoteStartTransaction", payload)
    if connector_id is not None:
        raise _refuse(version, "connectorId in RequestStartTransaction", "evseId")
    payload = {
        "idToken": {"idToken": id_token, "type": "Central"},
        # Echoed in the TransactionEvent the start causes.
        "remoteStartId": secrets.randbelow(MAX_REMOTE_START_ID) + 1,
    }
    if evse_id is not None:
        payload["evseId"] = evse_id
    return CommandRequest("RequestStartTransaction", payload)


def stop(version: OcppVersion, transaction_id: str) -> CommandRequest:
    if version is V16:
        if not transaction_id.isdigit():
            raise InvalidCommandError([f"OCPP 1.6 transaction ids are integers, not {transaction_id!r}"])
        return CommandRequest("RemoteStopTransaction", {"transactionId": int(transaction_id)})
    return CommandRequest("RequestStopTransaction", {"transactionId": transaction_id})


def reset(version: OcppVersion, reset_type: ResetType) -> CommandRequest:
    names = {
        V16: {ResetType.SOFT: "Soft", ResetType.HARD: "Hard"},
        V201: {ResetType.SOFT: "OnIdle", ResetType.HARD: "Immediate"},
    }
    return CommandRequest("Reset", {"type": names[version][reset_type]})


def unlock(version: OcppVersion, connector_id: int | None, evse_id: int | None) -> CommandRequest:
    if version is V16:
        if evse_id is not None:
            raise _refuse(version, "evseId", "connectorId")
        if connector_id is None:
            raise InvalidCommandError(["connectorId is required"])
        return CommandRequest("UnlockConnector", {"connectorId": connector_id})
    if evse_id is None:
        raise InvalidCommandError(["evseId is required (and connectorId, 1 by default) for OCPP 2.0.1"])
    return CommandRequest("UnlockConnector", {"evseId": evse_id, "connectorId": connector_id or 1})


def availability(
    version: OcppVersion, status: Availability, connector_id: int | None, evse_id: int | None
) -> CommandRequest:
    """Without connector or EVSE: the whole charge point."""
    value = status.value.capitalize()
    if version is V16:
        if evse_id is not None:
            raise _refuse(version, "evseId", "connectorId")
        return CommandRequest("ChangeAvailability", {"connectorId": connector_id or 0, "type": value})
    payload: dict[str, Any] = {"operationalStatus": value}
    if evse_id is not None:
        payload["evse"] = {"id": evse_id} if connector_id is None else {"id": evse_id, "connectorId": connector_id}
    elif connector_id is not None:
        raise InvalidCommandError(["OCPP 2.0.1 addresses a connector within an EVSE: give evseId too"])
    return CommandRequest("ChangeAvailability", payload)


def composite_schedule(
    version: OcppVersion, duration: int, connector_id: int | None, evse_id: int | None, rate_unit: str | None
) -> CommandRequest:
    """GetCompositeSchedule of a connector (1.6) or EVSE (2.0.1; 0: the whole charge point) for `duration` s."""
    if version is V16:
        if evse_id is not None:
            raise _refuse(version, "evseId", "connectorId")
        if connector_id is None:
            raise InvalidCommandError(["connectorId is required (0: the whole charger)"])
        payload: dict[str, Any] = {"connectorId": connector_id, "duration": duration}
    else:
        if connector_id is not None:
            raise _refuse(version, "connectorId in GetCompositeSchedule", "evseId")
        if evse_id is None:
            raise InvalidCommandError(["evseId is required (0: the whole station)"])
        payload = {"evseId": evse_id, "duration": duration}
    if rate_unit is not None:
        payload["chargingRateUnit"] = rate_unit
    return CommandRequest("GetCompositeSchedule", payload)
