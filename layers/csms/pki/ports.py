"""What the CA needs from the outside world: a signing key and a place to keep certificates."""

from collections.abc import Callable
from datetime import datetime
from typing import Protocol

from csms.pki.installed import InstalledCertificates
from csms.pki.models import CaCertificate, CertificateRecord, CertificateStatus


class CertificateSigner(Protocol):
    """An ECDSA P-256 key that signs and never hands out its private part (KMS on AWS)."""

    @property
    def key_id(self) -> str: ...

    def public_key_info(self) -> bytes:
        """The public key as a DER SubjectPublicKeyInfo."""

    def sign(self, message: bytes) -> bytes:
        """The DER ECDSA-with-SHA256 signature of `message` (a TBS certificate's bytes)."""


class CertificateRepository(Protocol):
    def ca_certificate(self, key_id: str) -> CaCertificate | None: ...

    def add_ca_certificate(self, ca: CaCertificate) -> CaCertificate:
        """Keep `ca` unless a root of the same key is kept already; returns the one kept (the first wins)."""

    def add(self, record: CertificateRecord) -> None: ...

    def get(self, serial: str) -> CertificateRecord | None: ...

    def find_by_fingerprint(self, sha256_fingerprint: str) -> CertificateRecord | None: ...

    def list_for_charge_point(self, charge_point_id: str) -> list[CertificateRecord]:
        """Newest first (by not-before)."""

    def list_active_expiring_before(self, moment: datetime) -> list[CertificateRecord]:
        """Active certificates whose not-after is before `moment`, soonest first."""

    def set_status(
        self, serial: str, status: CertificateStatus, only_if: CertificateStatus | None = None
    ) -> CertificateRecord | None:
        """Change a certificate's status (only from `only_if`, when given); the record changed, else None."""

    def claim_renewal(self, serial: str, at: datetime, not_since: datetime) -> bool:
        """Record that renewal was asked at `at`, unless it was asked since `not_since`; whether this call did."""


class InstalledCertificateRepository(Protocol):
    """Each charger's installed certificates, one set kept with the charger (deleting it deletes the set)."""

    def get(self, charge_point_id: str) -> InstalledCertificates: ...

    def update(
        self, charge_point_id: str, change: Callable[[InstalledCertificates], InstalledCertificates]
    ) -> InstalledCertificates:
        """The set as `change` leaves it, applied atomically (made again if the set changed meanwhile)."""
