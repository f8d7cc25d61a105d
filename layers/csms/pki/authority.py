"""The charging-station CA: certificates assembled with asn1crypto around the signer's signature.

The private key never leaves the signer (a KMS key on AWS): a certificate's to-be-signed part is
built here, the signer signs its bytes, and the certificate is that part, the algorithm and the
signature. The root is self-signed the same way the first time it is needed, and kept per key (a
new key, or `csms local`'s fresh moto key, makes a new root). An operator may bring its own CA instead: its
certificate (whose public key must be the signer's, else nothing is signed) is then the root.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from asn1crypto import keys, pem, x509

from csms.domain.ports import Clock
from csms.pki.models import CaCertificate, CertificateRecord, CertificateStatus
from csms.pki.ports import CertificateRepository, CertificateSigner

SIGNATURE_ALGORITHM = "sha256_ecdsa"  # the signer's ECDSA P-256 with SHA-256
ROOT_COMMON_NAME = "Charging Station CA"
ROOT_VALIDITY = timedelta(days=20 * 365)
# RFC 5280: UTCTime through 2049, GeneralizedTime from 2050.
_UTC_TIME_UNTIL = 2050


@dataclass(frozen=True)
class CertificateProfile:
    organization: str  # O of the root and of every station's certificate
    validity: timedelta  # of a station's certificate


class CaKeyMismatchError(RuntimeError):
    """The imported CA certificate's public key is not the signing key's: certificates signed would not verify."""


class CertificateAuthority:
    def __init__(
        self,
        signer: CertificateSigner,
        repository: CertificateRepository,
        clock: Clock,
        profile: CertificateProfile,
        imported_root: str | None = None,
    ) -> None:
        """`imported_root`: an operator's CA certificate (PEM) for the signer's key, used as the root as it is
        (None: the root is self-signed by the signer's key)."""
        self._signer = signer
        self._repository = repository
        self._clock = clock
        self._profile = profile
        self._imported_root = imported_root
        self._root: CaCertificate | None = None
        self._import_checked = False

    def root(self) -> CaCertificate:
        """The imported CA certificate; else the root certificate of the signer's key, self-signed and kept the
        first time it is asked for."""
        if self._root is None:
            key_id = self._signer.key_id
            if self._imported_root is not None:
                self._root = CaCertificate(key_id, self._imported_root, _load(self._imported_root).not_valid_before)
            else:
                self._root = self._repository.ca_certificate(key_id) or self._repository.add_ca_certificate(
                    self._self_signed_root(key_id)
                )
        return self._root

    def _signing_root(self) -> x509.Certificate:
        """The root, checked once against the signer's key when imported (reading the root needs no key: the
        functions that only compare certificates against it may not use the key)."""
        root = _load(self.root().pem)
        if self._imported_root is not None and not self._import_checked:
            self._check_import(root)
            self._import_checked = True
        return root

    def issue(self, charge_point_id: str, public_key_info: bytes) -> CertificateRecord:
        """A station certificate for `public_key_info` (DER), CN the charge point id, O the organization.

        Key usage follows the key: digitalSignature with keyAgreement (EC) or keyEncipherment (RSA);
        extended key usage clientAuth (TLS client authentication, OCPP security profile 3).
        """
        root = self._signing_root()
        subject_key = keys.PublicKeyInfo.load(public_key_info)
        second_usage = "key_agreement" if subject_key.algorithm == "ec" else "key_encipherment"
        not_before = self._now()
        der = self._signed(
            subject=_name(charge_point_id, self._profile.organization),
            issuer=root.subject,
            public_key=subject_key,
            not_before=not_before,
            not_after=not_before + self._profile.validity,
            extensions=[
                _extension("basic_constraints", {"ca": False}, critical=True),
                _extension("key_usage", {"digital_signature", second_usage}, critical=True),
                _extension("extended_key_usage", ["client_auth"]),
                _extension("key_identifier", subject_key.sha1),
                _extension("authority_key_identifier", {"key_identifier": _key_identifier(root)}),
            ],
        )
        return certificate_record(der, charge_point_id, CertificateStatus.ACTIVE)

    def issue_server(self, host_names: list[str], public_key_info: bytes) -> str:
        """A TLS server certificate (PEM) for `host_names` (DNS names or IP addresses), so that stations
        trusting the root trust the server (`csms local --tls-port`); not a station's, so not in the inventory."""
        import ipaddress  # noqa: PLC0415 - only `csms local` makes server certificates

        root = self._signing_root()
        subject_key = keys.PublicKeyInfo.load(public_key_info)
        names = []
        for host in host_names:
            try:
                names.append(x509.GeneralName("ip_address", str(ipaddress.ip_address(host))))
            except ValueError:
                names.append(x509.GeneralName("dns_name", host))
        not_before = self._now()
        der = self._signed(
            subject=_name(host_names[0], self._profile.organization),
            issuer=root.subject,
            public_key=subject_key,
            not_before=not_before,
            not_after=not_before + self._profile.validity,
            extensions=[
                _extension("basic_constraints", {"ca": False}, critical=True),
                _extension("key_usage", {"digital_signature", "key_agreement"}, critical=True),
                _extension("extended_key_usage", ["server_auth"]),
                _extension("subject_alt_name", names),
                _extension("authority_key_identifier", {"key_identifier": _key_identifier(root)}),
            ],
        )
        return pem.armor("CERTIFICATE", der).decode()

    def _check_import(self, certificate: x509.Certificate) -> None:
        signing_key = keys.PublicKeyInfo.load(self._signer.public_key_info())
        if certificate.public_key.dump() != signing_key.dump():
            raise CaKeyMismatchError(
                f"the imported CA certificate ({certificate.subject.human_friendly}) holds "
                f"{certificate.public_key.sha256.hex()[:16]}..., not the public key of the signing key "
                f"{self._signer.key_id} ({signing_key.sha256.hex()[:16]}...): refusing to sign with it"
            )

    def _self_signed_root(self, key_id: str) -> CaCertificate:
        name = _name(ROOT_COMMON_NAME, self._profile.organization)
        public_key = keys.PublicKeyInfo.load(self._signer.public_key_info())
        now = self._now()
        der = self._signed(
            subject=name,
            issuer=name,
            public_key=public_key,
            not_before=now,
            not_after=now + ROOT_VALIDITY,
            extensions=[
                _extension("basic_constraints", {"ca": True, "path_len_constraint": 0}, critical=True),
                _extension("key_usage", {"key_cert_sign", "crl_sign"}, critical=True),
                _extension("key_identifier", public_key.sha1),
            ],
        )
        return CaCertificate(key_id, pem.armor("CERTIFICATE", der).decode(), now)

    def _signed(
        self,
        subject: x509.Name,
        issuer: x509.Name,
        public_key: keys.PublicKeyInfo,
        not_before: datetime,
        not_after: datetime,
        extensions: list[dict[str, object]],
    ) -> bytes:
        tbs = x509.TbsCertificate(
            {
                "version": "v3",
                # Positive and at most 20 octets (RFC 5280 4.1.2.2), unpredictable.
                "serial_number": secrets.randbits(159) | 1 << 158,
                "signature": {"algorithm": SIGNATURE_ALGORITHM},
                "issuer": issuer,
                "validity": {"not_before": _time(not_before), "not_after": _time(not_after)},
                "subject": subject,
                "subject_public_key_info": public_key,
                "extensions": extensions,
            }
        )
        signature = self._signer.sign(tbs.dump())
        certificate = x509.Certificate(
            {
                "tbs_certificate": tbs,
                "signature_algorithm": {"algorithm": SIGNATURE_ALGORITHM},
                "signature_value": signature,
            }
        )
        return bytes(certificate.dump())

    def _now(self) -> datetime:
        return self._clock.now().replace(microsecond=0)


def certificate_record(der: bytes, charge_point_id: str, status: CertificateStatus) -> CertificateRecord:
    """The inventory's record of a DER certificate."""
    from cryptography import x509 as crypto_x509  # noqa: PLC0415 - only signing and the answer's effect need it

    certificate = crypto_x509.load_der_x509_certificate(der)
    return CertificateRecord(
        serial=serial_hex(certificate.serial_number),
        charge_point_id=charge_point_id,
        subject=certificate.subject.rfc4514_string(),
        issuer=certificate.issuer.rfc4514_string(),
        not_before=certificate.not_valid_before_utc,
        not_after=certificate.not_valid_after_utc,
        sha256_fingerprint=hashlib.sha256(der).hexdigest(),
        status=status,
        pem=pem.armor("CERTIFICATE", der).decode(),
    )


def serial_hex(serial_number: int) -> str:
    return f"{serial_number:x}"


def _load(certificate_pem: str) -> x509.Certificate:
    return x509.Certificate.load(pem.unarmor(certificate_pem.encode())[2])


def _key_identifier(root: x509.Certificate) -> bytes:
    """The root's subject key identifier; an imported CA without one: its key's SHA-1 (RFC 5280 4.2.1.2)."""
    return bytes(root.key_identifier or root.public_key.sha1)


def _name(common_name: str, organization: str) -> x509.Name:
    return x509.Name.build({"organization_name": organization, "common_name": common_name})


def _time(moment: datetime) -> x509.Time:
    return x509.Time({"utc_time" if moment.year < _UTC_TIME_UNTIL else "general_time": moment})


def _extension(name: str, value: object, critical: bool = False) -> dict[str, object]:
    return {"extn_id": name, "critical": critical, "extn_value": value}
