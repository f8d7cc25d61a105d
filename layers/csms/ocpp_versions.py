"""OCPP protocol versions this CSMS speaks, and their WebSocket subprotocol names."""

from enum import StrEnum


class OcppVersion(StrEnum):
    """An OCPP version, valued as the `ocpp` library names it ("1.6", "2.0.1")."""

    V16 = "1.6"
    V201 = "2.0.1"

    @property
    def subprotocol(self) -> str:
        return f"ocpp{self.value}"

    @classmethod
    def from_subprotocol(cls, subprotocol: str) -> "OcppVersion | None":
        for version in cls:
            if version.subprotocol == subprotocol:
                return version
        return None


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
