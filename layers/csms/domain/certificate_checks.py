"""What the admission of a charge point needs to know of a client certificate it presented (security
profile 3): the verdict of a check, and the port that checks (`csms.pki.client_certificates` implements it
against the CSMS's CA and its certificate inventory)."""

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol


class CertificateRefusal(StrEnum):
    UNREADABLE = "Unreadable"
    OTHER_ISSUER = "NotIssuedByTheCsmsCa"  # another CA's, or not in the inventory
    NOT_YET_VALID = "NotYetValid"
    EXPIRED = "Expired"
    REVOKED = "Revoked"
    SUPERSEDED = "Superseded"
    OTHER_CHARGE_POINT = "IssuedToAnotherChargePoint"

    @property
    def critical(self) -> bool:
        """A forged, stolen or revoked credential; not a station that missed its renewal or switch."""
        return self in {
            CertificateRefusal.OTHER_ISSUER,
            CertificateRefusal.OTHER_CHARGE_POINT,
            CertificateRefusal.REVOKED,
        }


@dataclass(frozen=True)
class CertificateCheck:
    refusal: CertificateRefusal | None  # None: admitted
    fingerprint: str = ""  # SHA-256 of the DER certificate ("" if unreadable)
    serial: str = ""


class ClientCertificateChecks(Protocol):
    def check(self, pem: str, charge_point_id: str) -> CertificateCheck:
        """Whether the certificate (PEM) admits `charge_point_id`, and why not."""

    def still_valid(self, fingerprint: str, charge_point_id: str) -> bool:
        """Whether the certificate a connection was admitted with (by fingerprint) still admits it."""
