"""Whether a client certificate a charging station presented admits it (security profile 3).

A pure check of what the TLS terminator (CloudFront viewer mTLS, `csms local --tls-port`) passed on:
the certificate must be signed by the CSMS's CA and known to its inventory, inside its validity, not
revoked, and name the charge point id as its subject's CN. A superseded certificate (the station
accepted a newer one with CertificateSigned) is still admitted for `SUPERSEDED_GRACE` after the newer
one was issued: a station switches at its next connection and may be reconnecting just then; after
that, only the newer one. The inventory decides, whatever the TLS terminator's trust store says: a
revoked certificate is refused at once.
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import NameOID

from csms.domain.certificate_checks import CertificateCheck, CertificateRefusal
from csms.domain.ports import Clock
from csms.pki.authority import serial_hex
from csms.pki.models import CertificateRecord, CertificateStatus
from csms.pki.ports import CertificateRepository

SUPERSEDED_GRACE = timedelta(hours=1)


class UnreadableCertificateError(ValueError):
    pass


@dataclass(frozen=True)
class PresentedCertificate:
    """A station's leaf certificate as the TLS terminator saw it."""

    certificate: x509.Certificate

    @classmethod
    def from_pem(cls, pem: str) -> "PresentedCertificate":
        try:
            return cls(x509.load_pem_x509_certificate(pem.encode()))
        except ValueError as error:
            raise UnreadableCertificateError(str(error)) from error

    @property
    def sha256_fingerprint(self) -> str:
        return hashlib.sha256(self.certificate.public_bytes(Encoding.DER)).hexdigest()

    @property
    def serial(self) -> str:
        return serial_hex(self.certificate.serial_number)

    @property
    def common_names(self) -> list[str]:
        return [
            str(attribute.value) for attribute in self.certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
        ]


def certificate_refusal(
    presented: PresentedCertificate,
    charge_point_id: str,
    root: x509.Certificate,
    record: CertificateRecord | None,
    now: datetime,
    superseded_at: datetime | None = None,
) -> CertificateRefusal | None:
    """Why `presented` does not admit `charge_point_id` (None: it does).

    `record` is the inventory's record of the presented certificate (by fingerprint), `superseded_at`
    when the certificate that superseded it was issued (for a Superseded record).
    """
    certificate = presented.certificate
    if record is None or record.sha256_fingerprint != presented.sha256_fingerprint or not _issued_by(certificate, root):
        return CertificateRefusal.OTHER_ISSUER
    if presented.common_names != [charge_point_id] or record.charge_point_id != charge_point_id:
        return CertificateRefusal.OTHER_CHARGE_POINT
    if now < certificate.not_valid_before_utc:
        return CertificateRefusal.NOT_YET_VALID
    if now >= certificate.not_valid_after_utc or record.status is CertificateStatus.EXPIRED:
        return CertificateRefusal.EXPIRED
    if record.status is CertificateStatus.REVOKED:
        return CertificateRefusal.REVOKED
    if record.status is CertificateStatus.SUPERSEDED and (
        superseded_at is None or now >= superseded_at + SUPERSEDED_GRACE
    ):
        return CertificateRefusal.SUPERSEDED
    return None


def _issued_by(certificate: x509.Certificate, root: x509.Certificate) -> bool:
    try:
        certificate.verify_directly_issued_by(root)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True


class ClientCertificates:
    """The check of a presented certificate against the CA's root and the inventory."""

    def __init__(self, certificates: CertificateRepository, root_pem: Callable[[], str], clock: Clock) -> None:
        self._certificates = certificates
        self._root_pem = root_pem
        self._clock = clock

    def check(self, pem: str, charge_point_id: str) -> CertificateCheck:
        try:
            presented = PresentedCertificate.from_pem(pem)
        except UnreadableCertificateError:
            return CertificateCheck(CertificateRefusal.UNREADABLE)
        fingerprint, serial = presented.sha256_fingerprint, presented.serial
        record = self._certificates.find_by_fingerprint(fingerprint)
        if record is None:  # not the CA's: no need for its root (never made yet, perhaps)
            return CertificateCheck(CertificateRefusal.OTHER_ISSUER, fingerprint, serial)
        root = x509.load_pem_x509_certificate(self._root_pem().encode())
        refusal = certificate_refusal(
            presented, charge_point_id, root, record, self._clock.now(), self._superseded_at(record)
        )
        return CertificateCheck(refusal, fingerprint, serial)

    def still_valid(self, fingerprint: str, charge_point_id: str) -> bool:
        """Whether the certificate a connection was admitted with is still its charge point's and not revoked."""
        record = self._certificates.find_by_fingerprint(fingerprint)
        return (
            record is not None
            and record.charge_point_id == charge_point_id
            and record.status is not CertificateStatus.REVOKED
        )

    def _superseded_at(self, record: CertificateRecord) -> datetime | None:
        """When the certificate that superseded `record` was issued (the charger's newest Active one)."""
        if record.status is not CertificateStatus.SUPERSEDED:
            return None
        newer = self._certificates.list_for_charge_point(record.charge_point_id)
        return next((r.not_before for r in newer if r.status is CertificateStatus.ACTIVE), None)
