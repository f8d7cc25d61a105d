"""What the certificate inventory holds."""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class CertificateStatus(StrEnum):
    ACTIVE = "Active"
    SUPERSEDED = "Superseded"  # the station accepted a newer one
    REVOKED = "Revoked"  # by an operator
    EXPIRED = "Expired"  # past its not-after


@dataclass(frozen=True)
class CertificateRecord:
    """A certificate the CA issued to a charging station. `serial` is lower-case hex, `pem` the certificate."""

    serial: str
    charge_point_id: str
    subject: str  # RFC 4514 ("CN=CP001,O=Example")
    issuer: str
    not_before: datetime
    not_after: datetime
    sha256_fingerprint: str  # lower-case hex of the DER certificate's SHA-256
    status: CertificateStatus
    pem: str
    # When the renewal schedule last asked the station for a new one.
    renewal_requested_at: datetime | None = None


@dataclass(frozen=True)
class CaCertificate:
    """The root certificate, made once per signing key (a new key makes a new root)."""

    key_id: str
    pem: str
    created_at: datetime
