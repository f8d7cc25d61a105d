"""What the CSMS knows a charger trusts: its installed (root) certificates, by OCPP certificate hash data.

OCPP names an installed certificate by its type and `CertificateHashDataType`: the hash of its issuer's
distinguished name (DER), of its issuer's public key (the key's bit string, as OCSP's CertID) and its serial
number in hexadecimal. The CSMS computes the same from a PEM it installs, and compares hash data as OCPP means
it: hexadecimal without regard to case, a serial without leading zeros.
"""

import hashlib
import re
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum

from asn1crypto import pem, x509

from csms.domain.violations import InvalidValuesError

# The longest hexadecimal digest each algorithm makes; OCPP allows no other algorithm.
_DIGEST_HEX_LENGTHS = {"SHA256": 64, "SHA384": 96, "SHA512": 128}
MAX_SERIAL_HEX_DIGITS = 40  # CertificateHashDataType.serialNumber string[40]
MAX_CERTIFICATE_LENGTH = 5500  # InstallCertificate certificate string[5500]
_HEX = re.compile(r"[0-9A-Fa-f]+")


class HashAlgorithm(StrEnum):
    SHA256 = "SHA256"
    SHA384 = "SHA384"
    SHA512 = "SHA512"


@dataclass(frozen=True)
class CertificateHashData:
    hash_algorithm: HashAlgorithm
    issuer_name_hash: str
    issuer_key_hash: str
    serial_number: str

    def same_certificate(self, other: "CertificateHashData") -> bool:
        return _identity(self) == _identity(other)

    def as_ocpp(self) -> dict[str, str]:
        return {
            "hashAlgorithm": self.hash_algorithm.value,
            "issuerNameHash": self.issuer_name_hash,
            "issuerKeyHash": self.issuer_key_hash,
            "serialNumber": self.serial_number,
        }


def _identity(data: CertificateHashData) -> tuple[str, str, str, str]:
    serial = data.serial_number.lower().lstrip("0") or "0"
    return (data.hash_algorithm.value, data.issuer_name_hash.lower(), data.issuer_key_hash.lower(), serial)


@dataclass(frozen=True)
class InstalledCertificate:
    certificate_type: str  # the OCPP name of the charger's version (CSMSRootCertificate, CentralSystemRootCertificate)
    hash_data: CertificateHashData
    learned_at: datetime  # its InstallCertificate accepted, or the GetInstalledCertificateIds answer that listed it


@dataclass(frozen=True)
class InstalledCertificates:
    """One charger's installed certificates, in the order learned."""

    certificates: tuple[InstalledCertificate, ...] = field(default=())

    def installed(self, certificate: InstalledCertificate) -> "InstalledCertificates":
        """With `certificate` (replacing the same certificate learned before)."""
        others = self.without(certificate.hash_data).certificates
        return replace(self, certificates=(*others, certificate))

    def without(self, hash_data: CertificateHashData) -> "InstalledCertificates":
        kept = tuple(c for c in self.certificates if not c.hash_data.same_certificate(hash_data))
        return replace(self, certificates=kept)

    def reported(self, types: frozenset[str], listed: list[InstalledCertificate]) -> "InstalledCertificates":
        """What a GetInstalledCertificateIds answer says: exactly `listed` for the `types` it asked for."""
        result = replace(self, certificates=tuple(c for c in self.certificates if c.certificate_type not in types))
        for certificate in listed:
            result = result.installed(certificate)
        return result


def hash_data_of(certificate_pem: str) -> CertificateHashData:
    """The SHA-256 hash data of a self-signed (root) certificate in PEM; raises `InvalidValuesError`.

    InstallCertificate installs root certificates (every type OCPP names is a root): the issuer's key is the
    certificate's own, so the CSMS can compute the hash data the charger will report.
    """
    if len(certificate_pem) > MAX_CERTIFICATE_LENGTH:
        raise InvalidValuesError([f"certificate: longer than {MAX_CERTIFICATE_LENGTH} characters"])
    try:
        _, _, der = pem.unarmor(certificate_pem.strip().encode(), multiple=False)
        certificate = x509.Certificate.load(der, strict=True)
        issuer, subject = certificate.issuer, certificate.subject
        serial = certificate.serial_number
        public_key = bytes(certificate.public_key["public_key"])
    except (ValueError, TypeError, KeyError) as error:
        raise InvalidValuesError(["certificate: not a PEM-encoded X.509 certificate"]) from error
    if issuer != subject:
        raise InvalidValuesError(["certificate: not a root certificate (its issuer is not its subject)"])
    return CertificateHashData(
        HashAlgorithm.SHA256,
        hashlib.sha256(issuer.dump()).hexdigest(),
        hashlib.sha256(public_key).hexdigest(),
        format(serial, "x"),
    )


def checked_hash_data(
    hash_algorithm: str, issuer_name_hash: str, issuer_key_hash: str, serial_number: str
) -> CertificateHashData:
    """Hash data as an operator gives it; raises `InvalidValuesError` with every reason."""
    reasons = []
    if hash_algorithm not in _DIGEST_HEX_LENGTHS:
        reasons.append(f"hashAlgorithm: one of {', '.join(_DIGEST_HEX_LENGTHS)}")
    length = _DIGEST_HEX_LENGTHS.get(hash_algorithm)
    for name, value in (("issuerNameHash", issuer_name_hash), ("issuerKeyHash", issuer_key_hash)):
        if not _HEX.fullmatch(value) or (length is not None and len(value) != length):
            reasons.append(f"{name}: {length or 'the'} hexadecimal digits of the algorithm's digest")
    if not _HEX.fullmatch(serial_number) or len(serial_number) > MAX_SERIAL_HEX_DIGITS:
        reasons.append(f"serialNumber: 1 to {MAX_SERIAL_HEX_DIGITS} hexadecimal digits")
    if reasons:
        raise InvalidValuesError(reasons)
    return CertificateHashData(HashAlgorithm(hash_algorithm), issuer_name_hash, issuer_key_hash, serial_number)
