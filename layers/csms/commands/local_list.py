"""The local authorization list (SendLocalList): every id token, numbered per charge point.

A charge point keeps the list to authorize offline. Each full list gets the next version number
of that charge point, so a charge point can tell a newer list from the one it holds.
"""

from collections.abc import Callable
from typing import Any

from csms.authorization_info import id_tag_info, id_token_info
from csms.commands.shortcuts import CommandRequest
from csms.domain.models import Authorization, IdToken
from csms.domain.ports import ChargePointRepository, IdTokenRepository
from csms.wire.ocpp_library import to_payload
from csms.wire.versions import OcppVersion

SEND_LOCAL_LIST = "SendLocalList"
MAX_ID_TAG_LENGTH_V16 = 20  # IdToken: CiString20Type in 1.6
# The type a 2.0.1 list gives a token registered without one: most tokens are RFID cards.
DEFAULT_ID_TOKEN_TYPE = "ISO14443"  # noqa: S105 - an IdTokenEnumType value


def _authorization(token: IdToken) -> Authorization:
    return Authorization(status=token.status, expiry=token.expiry, parent_id=token.parent_id)


def _fits_v16(token: IdToken) -> bool:
    return len(token.id_token) <= MAX_ID_TAG_LENGTH_V16 and len(token.parent_id or "") <= MAX_ID_TAG_LENGTH_V16


# Each version's generated classes are imported when a list of that version is built: a cold
# start imports only what its invocation needs (`bench.cold_import`).
def _full_list_v16(version: int, tokens: list[IdToken]) -> Any:
    from ocpp.v16 import call as call16  # noqa: PLC0415
    from ocpp.v16.enums import UpdateType  # noqa: PLC0415

    return call16.SendLocalList(
        list_version=version,
        update_type=UpdateType.full,
        local_authorization_list=[
            {"id_tag": token.id_token, "id_tag_info": id_tag_info(_authorization(token))} for token in tokens
        ],
    )


def _full_list_v201(version: int, tokens: list[IdToken]) -> Any:
    from ocpp.v201 import call as call201  # noqa: PLC0415
    from ocpp.v201.enums import UpdateEnumType  # noqa: PLC0415

    return call201.SendLocalList(
        version_number=version,
        update_type=UpdateEnumType.full,
        # 2.0.1 allows no empty list: a full update without one clears the charge point's list.
        local_authorization_list=[
            {
                "id_token": {"id_token": token.id_token, "type": token.token_type or DEFAULT_ID_TOKEN_TYPE},
                "id_token_info": id_token_info(_authorization(token)),
            }
            for token in tokens
        ]
        or None,
    )


_FULL_LIST: dict[OcppVersion, Callable[[int, list[IdToken]], Any]] = {
    OcppVersion.V16: _full_list_v16,
    OcppVersion.V201: _full_list_v201,
}


class LocalListService:
    def __init__(self, charge_points: ChargePointRepository, id_tokens: IdTokenRepository) -> None:
        self._charge_points = charge_points
        self._id_tokens = id_tokens

    def entries(self, version: OcppVersion | None) -> list[IdToken]:
        """The tokens a list for a charge point of `version` carries (1.6 cannot carry long ones)."""
        tokens = sorted(self._id_tokens.list(), key=lambda token: token.id_token)
        return [token for token in tokens if version is not OcppVersion.V16 or _fits_v16(token)]

    def full_list(self, charge_point_id: str, version: OcppVersion) -> CommandRequest:
        """A SendLocalList with the whole list and the charge point's next version (taken: never reused).

        Raises `LookupError` for an unregistered charge point.
        """
        number = self._charge_points.next_local_list_version(charge_point_id)
        return CommandRequest(SEND_LOCAL_LIST, to_payload(_FULL_LIST[version](number, self.entries(version))))
