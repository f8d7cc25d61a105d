"""CALLERROR codes as the program names them; each version spells them in `csms.wire.versions`."""

from enum import Enum, auto

# OCPP-J: the message id of a reply to a frame whose own id cannot be read.
UNKNOWN_MESSAGE_ID = "-1"


class ErrorCode(Enum):
    """A CALLERROR code. Deliberately not a string: a frame gets one only through its version's spelling."""

    FORMAT_VIOLATION = auto()
    GENERIC_ERROR = auto()
    INTERNAL_ERROR = auto()
    MESSAGE_TYPE_NOT_SUPPORTED = auto()
    NOT_IMPLEMENTED = auto()
    NOT_SUPPORTED = auto()
    OCCURRENCE_CONSTRAINT_VIOLATION = auto()
    PROPERTY_CONSTRAINT_VIOLATION = auto()
    PROTOCOL_ERROR = auto()
    SECURITY_ERROR = auto()
    TYPE_CONSTRAINT_VIOLATION = auto()


class CallErrorReply(Exception):
    """A frame that must be answered with a CALLERROR instead of a CALLRESULT."""

    def __init__(
        self, message_id: str, code: ErrorCode, description: str, details: dict[str, object] | None = None
    ) -> None:
        super().__init__(f"{code.name}: {description}")
        self.message_id = message_id
        self.code = code
        self.description = description
        self.details = details or {}
