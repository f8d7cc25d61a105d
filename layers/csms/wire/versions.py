"""The OCPP versions this CSMS speaks: subprotocol, message types and CALLERROR spelling of each.

Adding a version is a member of `OcppVersion` and an entry in `_SPECS`. OCPP 2.1, for instance,
adds the message types CALLRESULTERROR (5) and SEND (6) to `MessageType` and spells its codes
like 2.0.1.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from enum import IntEnum, StrEnum

from csms.wire.errors import ErrorCode


class MessageType(IntEnum):
    """The first element of an OCPP-J frame."""

    CALL = 2
    CALLRESULT = 3
    CALLERROR = 4


class OcppVersion(StrEnum):
    """An OCPP version, valued as the `ocpp` library names it ("1.6", "2.0.1")."""

    V16 = "1.6"
    V201 = "2.0.1"

    @property
    def subprotocol(self) -> str:
        return f"ocpp{self.value}"

    @property
    def message_types(self) -> frozenset[MessageType]:
        return _SPECS[self].message_types

    def spell(self, code: ErrorCode) -> str:
        """The code as this version writes it in a CALLERROR."""
        return _SPECS[self].spelling[code]


@dataclass(frozen=True)
class _VersionSpec:
    message_types: frozenset[MessageType]
    spelling: Mapping[ErrorCode, str]  # every code, as the version's OCPP-J spells it


_SPELLING_201 = {
    ErrorCode.FORMAT_VIOLATION: "FormatViolation",
    ErrorCode.GENERIC_ERROR: "GenericError",
    ErrorCode.INTERNAL_ERROR: "InternalError",
    ErrorCode.MESSAGE_TYPE_NOT_SUPPORTED: "MessageTypeNotSupported",
    ErrorCode.NOT_IMPLEMENTED: "NotImplemented",
    ErrorCode.NOT_SUPPORTED: "NotSupported",
    ErrorCode.OCCURRENCE_CONSTRAINT_VIOLATION: "OccurrenceConstraintViolation",
    ErrorCode.PROPERTY_CONSTRAINT_VIOLATION: "PropertyConstraintViolation",
    ErrorCode.PROTOCOL_ERROR: "ProtocolError",
    ErrorCode.SECURITY_ERROR: "SecurityError",
    ErrorCode.TYPE_CONSTRAINT_VIOLATION: "TypeConstraintViolation",
}
# OCPP-J 1.6 keeps its historic misspellings and has no MessageTypeNotSupported.
_SPELLING_16 = {
    **_SPELLING_201,
    ErrorCode.FORMAT_VIOLATION: "FormationViolation",
    ErrorCode.OCCURRENCE_CONSTRAINT_VIOLATION: "OccurenceConstraintViolation",
    ErrorCode.MESSAGE_TYPE_NOT_SUPPORTED: "PropertyConstraintViolation",
}
_FRAMES = frozenset(MessageType)

_SPECS: dict[OcppVersion, _VersionSpec] = {
    OcppVersion.V16: _VersionSpec(_FRAMES, _SPELLING_16),
    OcppVersion.V201: _VersionSpec(_FRAMES, _SPELLING_201),
}

# Most preferred first: a charge point offering both gets 2.0.1.
SUPPORTED_VERSIONS: tuple[OcppVersion, ...] = (OcppVersion.V201, OcppVersion.V16)


def negotiate_subprotocol(offered_header: str | None) -> OcppVersion | None:
    """Pick our preferred version among those in a `Sec-WebSocket-Protocol` header value."""
    if not offered_header:
        return None
    offered = {token.strip() for token in offered_header.split(",") if token.strip()}
    for version in SUPPORTED_VERSIONS:
        if version.subprotocol in offered:
            return version
    return None
