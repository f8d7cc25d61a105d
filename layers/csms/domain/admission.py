"""Who may open an OCPP connection: identity, subprotocol, and HTTP Basic credentials or a client certificate.

A charge point at security profile 3 is admitted only with a client certificate
(`csms.domain.certificate_checks`); one that tries Basic auth instead is refused and the attempt recorded.
At profiles 1 and 2 either a password or a valid certificate admits it; a certificate presented is
checked whatever the profile, and a bad one refuses the connection.
"""

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from csms.domain.certificate_checks import CertificateRefusal, ClientCertificateChecks
from csms.domain.identity import (
    InvalidIdentityError,
    decode_charge_point_id,
    parse_basic_authorization,
    password_fingerprint,
    verify_password,
)
from csms.domain.models import StoredCredentials
from csms.domain.pending_passwords import PendingPasswordRepository
from csms.domain.ports import ChargePointRepository
from csms.domain.security_events import SecurityEvents
from csms.domain.security_profiles import CERTIFICATE_PROFILE
from csms.domain.verified_passwords import VERIFIED_PASSWORDS
from csms.domain.wrong_passwords import WrongPasswords
from csms.wire.versions import OcppVersion, negotiate_subprotocol

# The CSMS's findings at admission (security events).
INVALID_CERTIFICATE_EVENT = "InvalidChargingStationCertificate"
REVOKED_CERTIFICATE_EVENT = "RevokedCertificateUsed"
DOWNGRADE_EVENT = "SecurityProfileDowngradeAttempt"
# `Admission.credentials` of a connection admitted with a certificate: this prefix and its SHA-256 fingerprint.
CERTIFICATE_CREDENTIALS = "certificate:"


class RefusalReason(StrEnum):
    INVALID_IDENTITY = "InvalidIdentity"
    NO_COMMON_SUBPROTOCOL = "NoCommonSubprotocol"
    UNKNOWN_CHARGE_POINT = "UnknownChargePoint"
    BAD_CREDENTIALS = "BadCredentials"
    BAD_CERTIFICATE = "BadCertificate"
    CERTIFICATE_REQUIRED = "CertificateRequired"  # security profile 3


class ConnectionRefusedError(Exception):
    def __init__(self, reason: RefusalReason, answer_delay: float = 0.0) -> None:
        super().__init__(reason.value)
        self.reason = reason
        self.answer_delay = answer_delay  # seconds to wait before refusing (`csms.domain.wrong_passwords`)


@dataclass(frozen=True)
class Admission:
    charge_point_id: str
    ocpp_version: OcppVersion
    # The fingerprint of the password it was admitted with (`password_fingerprint`), or of its certificate
    # (`CERTIFICATE_CREDENTIALS`).
    credentials: str


def admitted_with_certificate(credentials: str | None) -> bool:
    return (credentials or "").startswith(CERTIFICATE_CREDENTIALS)


class AdmissionService:
    def __init__(
        self,
        charge_points: ChargePointRepository,
        accept_unknown_charge_points: bool,
        wrong_passwords: WrongPasswords,
        security_events: SecurityEvents,
        client_certificates: Callable[[], ClientCertificateChecks],
        pending_passwords: PendingPasswordRepository,
    ) -> None:
        self._charge_points = charge_points
        self._accept_unknown = accept_unknown_charge_points
        self._wrong_passwords = wrong_passwords
        self._pending_passwords = pending_passwords
        self._security_events = security_events
        # Built at the first certificate (it imports `cryptography`): password connections never need it.
        self._client_certificates = client_certificates

    def admit(
        self,
        raw_charge_point_id: str | None,
        offered_subprotocols: str | None,
        authorization: str | None,
        client_certificate: str | None = None,
    ) -> Admission:
        """Admit a connection or raise `ConnectionRefusedError` saying why not.

        `client_certificate`: the PEM leaf the TLS terminator verified, if the charge point presented one.
        """
        try:
            charge_point_id = decode_charge_point_id(raw_charge_point_id or "")
        except InvalidIdentityError as error:
            raise ConnectionRefusedError(RefusalReason.INVALID_IDENTITY) from error
        version = negotiate_subprotocol(offered_subprotocols)
        if version is None:
            raise ConnectionRefusedError(RefusalReason.NO_COMMON_SUBPROTOCOL)
        stored = self._charge_points.get_credentials(charge_point_id)
        if client_certificate is not None:
            if not stored.registered and not self._accept_unknown:
                raise ConnectionRefusedError(RefusalReason.UNKNOWN_CHARGE_POINT)
            fingerprint = self._certificate_fingerprint(charge_point_id, client_certificate)
            return Admission(charge_point_id, version, CERTIFICATE_CREDENTIALS + fingerprint)
        if stored.security_profile == CERTIFICATE_PROFILE:
            if authorization is not None:
                # Basic auth from a charger at profile 3: someone holding its password, or the charger
                # going down a profile on its own; refused either way.
                presented = {"securityProfile": stored.security_profile, "presented": "Basic"}
                self._security_events.record(charge_point_id, DOWNGRADE_EVENT, presented, critical=True)
            raise ConnectionRefusedError(RefusalReason.CERTIFICATE_REQUIRED)
        password_hash = self._authenticate(charge_point_id, stored, authorization)
        return Admission(charge_point_id, version, password_fingerprint(password_hash))

    def _certificate_fingerprint(self, charge_point_id: str, pem: str) -> str:
        """The presented certificate's fingerprint if it admits the charge point, else refused and recorded."""
        check = self._client_certificates().check(pem, charge_point_id)
        if check.refusal is None:
            return check.fingerprint
        revoked = check.refusal is CertificateRefusal.REVOKED
        self._security_events.record(
            charge_point_id,
            REVOKED_CERTIFICATE_EVENT if revoked else INVALID_CERTIFICATE_EVENT,
            {"reason": check.refusal.value, "sha256Fingerprint": check.fingerprint, "serial": check.serial},
            critical=check.refusal.critical,
        )
        raise ConnectionRefusedError(RefusalReason.BAD_CERTIFICATE)

    def still_admitted(self, charge_point_id: str, credentials: str | None) -> bool:
        """Whether the password a connection was admitted with (`Admission.credentials`) is still
        the charge point's, read strongly consistent (a certificate: still not revoked).

        `$connect` asks once its connection is current: a password that changed after the
        authorizer checked it, but before the connection was current (so signing the charge point
        out could not end it), refuses the connection.
        """
        if credentials is not None and admitted_with_certificate(credentials):
            fingerprint = credentials.removeprefix(CERTIFICATE_CREDENTIALS)
            return self._client_certificates().still_valid(fingerprint, charge_point_id)
        password_hash = self._charge_points.get_credentials(charge_point_id).password_hash
        return credentials == password_fingerprint(password_hash) or self._promoted(charge_point_id, credentials)

    def _promoted(self, charge_point_id: str, credentials: str | None) -> bool:
        """Whether the connection was admitted with the pending password, now made the charge point's only one.

        Read only when the current password did not admit it: a connection made with the current one costs
        nothing more.
        """
        pending_hash = self._pending_passwords.get(charge_point_id)
        if pending_hash is None or credentials != password_fingerprint(pending_hash):
            return False
        return self._pending_passwords.promote(charge_point_id, pending_hash)

    def _authenticate(self, charge_point_id: str, stored: StoredCredentials, authorization: str | None) -> str | None:
        """The password hash the credentials were checked against (None: admitted without one)."""
        registered, password_hash = stored.registered, stored.password_hash
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
        if credentials is None or username != charge_point_id:
            raise ConnectionRefusedError(RefusalReason.BAD_CREDENTIALS, self._wrong_passwords.failed(charge_point_id))
        if password_ok:
            return password_hash
        # A password being rotated in admits the charge point too (read only when the current one fails).
        pending_hash = self._pending_passwords.get(charge_point_id)
        if pending_hash is not None and VERIFIED_PASSWORDS.verify(password, pending_hash):
            return pending_hash
        raise ConnectionRefusedError(RefusalReason.BAD_CREDENTIALS, self._wrong_passwords.failed(charge_point_id))
