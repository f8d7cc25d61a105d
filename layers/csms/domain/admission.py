"""Who may open an OCPP connection: identity, subprotocol and HTTP Basic credentials."""

from dataclasses import dataclass
from enum import StrEnum

from csms.domain.identity import (
    InvalidIdentityError,
    decode_charge_point_id,
    parse_basic_authorization,
    password_fingerprint,
    verify_password,
)
from csms.domain.ports import ChargePointRepository
from csms.domain.verified_passwords import VERIFIED_PASSWORDS
from csms.domain.wrong_passwords import WrongPasswords
from csms.wire.versions import OcppVersion, negotiate_subprotocol


class RefusalReason(StrEnum):
    INVALID_IDENTITY = "InvalidIdentity"
    NO_COMMON_SUBPROTOCOL = "NoCommonSubprotocol"
    UNKNOWN_CHARGE_POINT = "UnknownChargePoint"
    BAD_CREDENTIALS = "BadCredentials"


class ConnectionRefusedError(Exception):
    def __init__(self, reason: RefusalReason, answer_delay: float = 0.0) -> None:
        super().__init__(reason.value)
        self.reason = reason
        self.answer_delay = answer_delay  # seconds to wait before refusing (`csms.domain.wrong_passwords`)


@dataclass(frozen=True)
class Admission:
    charge_point_id: str
    ocpp_version: OcppVersion
    credentials: str  # the fingerprint of the password it was admitted with (`password_fingerprint`)


class AdmissionService:
    def __init__(
        self, charge_points: ChargePointRepository, accept_unknown_charge_points: bool, wrong_passwords: WrongPasswords
    ) -> None:
        self._charge_points = charge_points
        self._accept_unknown = accept_unknown_charge_points
        self._wrong_passwords = wrong_passwords

    def admit(
        self, raw_charge_point_id: str | None, offered_subprotocols: str | None, authorization: str | None
    ) -> Admission:
        """Admit a connection or raise `ConnectionRefusedError` saying why not."""
        try:
            charge_point_id = decode_charge_point_id(raw_charge_point_id or "")
        except InvalidIdentityError as error:
            raise ConnectionRefusedError(RefusalReason.INVALID_IDENTITY) from error
        version = negotiate_subprotocol(offered_subprotocols)
        if version is None:
            raise ConnectionRefusedError(RefusalReason.NO_COMMON_SUBPROTOCOL)
        password_hash = self._authenticate(charge_point_id, authorization)
        return Admission(charge_point_id, version, password_fingerprint(password_hash))

    def still_admitted(self, charge_point_id: str, credentials: str | None) -> bool:
        """Whether the password a connection was admitted with (`Admission.credentials`) is still
        the charge point's, read strongly consistent.

        `$connect` asks once its connection is current: a password that changed after the
        authorizer checked it, but before the connection was current (so signing the charge point
        out could not end it), refuses the connection.
        """
        _, password_hash = self._charge_points.get_password_hash(charge_point_id)
        return credentials == password_fingerprint(password_hash)

    def _authenticate(self, charge_point_id: str, authorization: str | None) -> str | None:
        """The password hash the credentials were checked against (None: admitted without one)."""
        registered, password_hash = self._charge_points.get_password_hash(charge_point_id)
        if password_hash is None:
            # No password to check: only an open deployment lets such a charge point in.
            verify_password("", None)  # same cost as a real check
            if self._accept_unknown:
                return None
            reason = RefusalReason.BAD_CREDENTIALS if registered else RefusalReason.UNKNOWN_CHARGE_POINT
            raise ConnectionRefusedError(reason)
        credentials = parse_basic_authorization(authorization)
        username, password = credentials or ("", "")
        password_ok = VERIFIED_PASSWORDS.verify(password, password_hash)
        if credentials is None or username != charge_point_id or not password_ok:
            raise ConnectionRefusedError(RefusalReason.BAD_CREDENTIALS, self._wrong_passwords.failed(charge_point_id))
        return password_hash
