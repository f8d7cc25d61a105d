"""The one place where failures become OCPP CALLERROR codes, spelled as each version spells them."""

from ocpp.exceptions import OCPPError

from csms.ocpp_versions import OcppVersion

# OCPP 1.6 and 2.0.1 name some codes differently (1.6's historic misspellings), and 2.0.1 adds
# codes 1.6 lacks. The `ocpp` library raises one spelling; translate it per version.
_CODE_BY_VERSION: dict[OcppVersion, dict[str, str]] = {
    OcppVersion.V16: {
        "FormatViolation": "FormationViolation",
        "OccurrenceConstraintViolation": "OccurenceConstraintViolation",
        "MessageTypeNotSupported": "PropertyConstraintViolation",
        "RpcFrameworkError": "ProtocolError",
    },
    OcppVersion.V201: {
        "FormationViolation": "FormatViolation",
        "OccurenceConstraintViolation": "OccurrenceConstraintViolation",
    },
}

# OCPP-J: the message id of a frame whose id cannot be read.
UNKNOWN_MESSAGE_ID = "-1"


class CallErrorReply(Exception):
    """A frame that must be answered with a CALLERROR instead of a CALLRESULT."""

    def __init__(self, message_id: str, code: str, description: str, details: dict[str, object] | None = None):
        super().__init__(f"{code}: {description}")
        self.message_id = message_id
        self.code = code
        self.description = description
        self.details = details or {}

    @classmethod
    def from_ocpp_error(cls, message_id: str, error: OCPPError) -> "CallErrorReply":
        details = error.details if isinstance(error.details, dict) else {}
        return cls(message_id, error.code, error.description or error.code, _json_safe(details))


def error_code(version: OcppVersion, code: str) -> str:
    return _CODE_BY_VERSION[version].get(code, code)


def _json_safe(details: dict[str, object]) -> dict[str, object]:
    """Error details without the library's embedded message objects (not JSON serializable)."""
    return {
        key: value if isinstance(value, str | int | float | bool) else str(value)
        for key, value in details.items()
        if key != "ocpp_message"
    }
