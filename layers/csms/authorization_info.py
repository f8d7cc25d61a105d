"""An id token's authorization as each OCPP version sends it: IdTagInfo (1.6), IdTokenInfoType (2.0.1).

The same shape answers Authorize and the transaction messages, and fills the local authorization
lists that SendLocalList carries; snake_case, as the `ocpp` library's dataclasses take it.
"""

from csms.domain.models import Authorization
from csms.timeutil import format_timestamp

# Group tokens are issued by the CSMS, which 2.0.1 calls a "Central" token type.
GROUP_ID_TOKEN_TYPE = "Central"  # noqa: S105 - an IdTokenEnumType value


def id_tag_info(authorization: Authorization) -> dict[str, object]:
    """OCPP 1.6 IdTagInfo."""
    info: dict[str, object] = {"status": authorization.status.value}
    if authorization.expiry is not None:
        info["expiry_date"] = format_timestamp(authorization.expiry)
    if authorization.parent_id is not None:
        info["parent_id_tag"] = authorization.parent_id
    return info


def id_token_info(authorization: Authorization) -> dict[str, object]:
    """OCPP 2.0.1 IdTokenInfoType."""
    info: dict[str, object] = {"status": authorization.status.value}
    if authorization.expiry is not None:
        info["cache_expiry_date_time"] = format_timestamp(authorization.expiry)
    if authorization.parent_id is not None:
        info["group_id_token"] = {"id_token": authorization.parent_id, "type": GROUP_ID_TOKEN_TYPE}
    return info
