"""The local authorization list on the wire: SendLocalList of each version, read back once accepted, and the
charger's limits (how many entries per message and in all) in its configuration.

The operator's local-list shortcut sends every token as one full list (`LocalListService`); the CSMS's own sync
(`csms.local_lists`) plans its messages with `csms.domain.local_lists` and sends them through the same builders.
Either way an accepted SendLocalList is what the CSMS then believes the charger holds (`accepted_update`).
"""

from collections.abc import Iterable
from typing import Any

from csms.authorization_info import id_tag_info, id_token_info
from csms.commands.shortcuts import CommandRequest
from csms.domain.configuration_variables import ConfigurationVariable
from csms.domain.local_lists import (
    AcceptedUpdate,
    ListEntry,
    ListLimits,
    SendUpdate,
    UpdateType,
    entry_key,
    key_parts,
    list_entry,
    listable,
)
from csms.domain.models import Authorization, IdTokenStatus
from csms.domain.ports import ChargePointRepository, IdTokenRepository
from csms.timeutil import parse_timestamp
from csms.wire.ocpp_library import to_payload
from csms.wire.versions import OcppVersion

SEND_LOCAL_LIST = "SendLocalList"
GET_LOCAL_LIST_VERSION = "GetLocalListVersion"

# The charger's limits, as its configuration names them: (per message, in all).
LIMIT_KEYS_V16 = ("SendLocalListMaxLength", "LocalAuthListMaxLength")
# 2.0.1 reports how many entries it holds in all only as the maxLimit characteristic of `Entries` (a NotifyReport),
# which the stored configuration does not keep: the default stands for it.
LOCAL_AUTH_LIST_CTRLR = "LocalAuthListCtrlr"
LIMIT_VARIABLES_V201 = ("ItemsPerMessage", None)


def _entry_v16(key: str, entry: ListEntry | None) -> dict[str, Any]:
    """A removal (entry None) is the id alone, without its info."""
    if entry is None:
        return {"idTag": key}
    return {"idTag": entry.id_token, "idTagInfo": to_payload(id_tag_info(entry.authorization))}


def _entry_v201(key: str, entry: ListEntry | None) -> dict[str, Any]:
    if entry is None:
        id_token, token_type = key_parts(key)
        return {"idToken": {"idToken": id_token, "type": token_type}}
    return {
        "idToken": {"idToken": entry.id_token, "type": entry.token_type},
        "idTokenInfo": to_payload(id_token_info(entry.authorization)),
    }


def send_local_list(version: OcppVersion, list_version: int, update: SendUpdate) -> CommandRequest:
    """SendLocalList of `update`, numbered `list_version`. A 2.0.1 list is never empty: a full update without one
    empties the charger's list, as a 1.6 one with an empty list does."""
    if version is OcppVersion.V16:
        entries = [_entry_v16(key, entry) for key, entry in update.changes]
        payload = {"listVersion": list_version, "updateType": update.update_type.value}
        return CommandRequest(SEND_LOCAL_LIST, payload | {"localAuthorizationList": entries})
    entries = [_entry_v201(key, entry) for key, entry in update.changes]
    payload = {"versionNumber": list_version, "updateType": update.update_type.value}
    return CommandRequest(SEND_LOCAL_LIST, payload | ({"localAuthorizationList": entries} if entries else {}))


def accepted_update(version: OcppVersion, request: dict[str, Any]) -> AcceptedUpdate:
    """What an accepted SendLocalList's `request` leaves the charger holding, whoever sent it."""
    changes: list[tuple[str, str | None]] = []
    for entry in request.get("localAuthorizationList") or []:
        if version is OcppVersion.V16:
            key, info = entry["idTag"], entry.get("idTagInfo")
            parsed = _read_v16(key, info)
        else:
            token = entry["idToken"]
            key, info = entry_key(token["idToken"], token["type"]), entry.get("idTokenInfo")
            parsed = _read_v201(token["idToken"], token["type"], info)
        changes.append((key, parsed.digest if parsed is not None else None))
    number = request["listVersion" if version is OcppVersion.V16 else "versionNumber"]
    return AcceptedUpdate(int(number), UpdateType(request["updateType"]), tuple(changes))


def _read_v16(id_tag: str, info: dict[str, Any] | None) -> ListEntry | None:
    if info is None:
        return None
    expiry = info.get("expiryDate")
    authorization = Authorization(
        IdTokenStatus(info["status"]), parse_timestamp(expiry) if expiry else None, info.get("parentIdTag")
    )
    return ListEntry(id_tag, None, authorization)


def _read_v201(id_token: str, token_type: str, info: dict[str, Any] | None) -> ListEntry | None:
    if info is None:
        return None
    expiry, group = info.get("cacheExpiryDateTime"), info.get("groupIdToken")
    status = info["status"]
    authorization = Authorization(
        # 2.0.1 has refusals 1.6 has not (NoCredit, NotAllowedTypeEVSE, ...): the CSMS lists none of them.
        IdTokenStatus(status) if status in set(IdTokenStatus) else IdTokenStatus.INVALID,
        parse_timestamp(expiry) if expiry else None,
        group["idToken"] if group else None,
    )
    return ListEntry(id_token, token_type, authorization)


def request_version(version: OcppVersion, request: dict[str, Any]) -> int:
    return int(request["listVersion" if version is OcppVersion.V16 else "versionNumber"])


def reported_version(version: OcppVersion, response: dict[str, Any]) -> int:
    """GetLocalListVersion's answer."""
    return int(response["listVersion" if version is OcppVersion.V16 else "versionNumber"])


# The charger's limits


def _limit_values(version: OcppVersion, variables: Iterable[ConfigurationVariable]) -> tuple[int | None, int | None]:
    names: tuple[str, str | None]
    if version is OcppVersion.V16:
        names, component = LIMIT_KEYS_V16, None
    else:
        names, component = LIMIT_VARIABLES_V201, LOCAL_AUTH_LIST_CTRLR
    found: dict[str | None, int] = {}
    for variable in variables:
        if variable.component == component and variable.attribute_type == "Actual" and variable.variable in names:
            value = _positive(variable.value)
            if value is not None:
                found[variable.variable] = value
    return found.get(names[0]), found.get(names[1])


def _positive(value: str | None) -> int | None:
    try:
        number = int(value or "")
    except ValueError:
        return None
    return number if number > 0 else None


def list_limits(version: OcppVersion, variables: Iterable[ConfigurationVariable]) -> ListLimits:
    """The limits its stored configuration reports, the defaults for those it does not."""
    per_message, in_all = _limit_values(version, variables)
    defaults = ListLimits()
    return ListLimits(per_message or defaults.items_per_message, in_all or defaults.max_entries)


def limits_known(version: OcppVersion, variables: Iterable[ConfigurationVariable]) -> bool:
    per_message, in_all = _limit_values(version, variables)
    return per_message is not None and (in_all is not None or version is not OcppVersion.V16)


def limits_query(version: OcppVersion) -> CommandRequest:
    """GetConfiguration (1.6) or GetVariables (2.0.1) of the limits; their answers update the stored
    configuration (`csms.commands.effects`)."""
    if version is OcppVersion.V16:
        return CommandRequest("GetConfiguration", {"key": list(LIMIT_KEYS_V16)})
    return CommandRequest(
        "GetVariables",
        {
            "getVariableData": [
                {"component": {"name": LOCAL_AUTH_LIST_CTRLR}, "variable": {"name": name}}
                for name in LIMIT_VARIABLES_V201
                if name is not None
            ]
        },
    )


class LocalListService:
    """The operator's shortcut: every token a list of the charger's version can carry, as one full list."""

    def __init__(self, charge_points: ChargePointRepository, id_tokens: IdTokenRepository) -> None:
        self._charge_points = charge_points
        self._id_tokens = id_tokens

    def full_list(self, charge_point_id: str, version: OcppVersion) -> CommandRequest:
        """A SendLocalList with the whole list and the charge point's next version (taken: never reused).

        Raises `LookupError` for an unregistered charge point.
        """
        number = self._charge_points.next_local_list_version(charge_point_id)
        tokens = sorted(listable(self._id_tokens.list(), version), key=lambda token: token.id_token)
        entries = [list_entry(token, version) for token in tokens]
        return send_local_list(version, number, SendUpdate(UpdateType.FULL, tuple((e.key, e) for e in entries)))
