"""Checking a station's certificate signing request (OCPP SignCertificate) before anything is signed.

A request is signed only if it is a PEM PKCS#10 request whose own signature verifies, whose subject
names the connection's charge point (CN) and the configured organization (O), and whose key is RSA
of at least 2048 bits or EC on P-256 or P-384 (the OCPP 2.0.1 A00.FR key rules).
"""

from dataclasses import dataclass

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

MIN_RSA_BITS = 2048
# Above this a certificate's to-be-signed part could pass the 4096 bytes KMS signs whole.
MAX_RSA_BITS = 8192
EC_CURVES = ("secp256r1", "secp384r1")


class CsrRejectedError(ValueError):
    """The request is refused; the message says why (recorded as a security event)."""


@dataclass(frozen=True)
class SigningRequest:
    common_name: str
    organization: str
    public_key_info: bytes  # DER SubjectPublicKeyInfo


def checked_signing_request(csr_pem: str, charge_point_id: str, organization: str) -> SigningRequest:
    """The request, if the CA may sign it for `charge_point_id`; else raises `CsrRejectedError`."""
    try:
        request = x509.load_pem_x509_csr(csr_pem.encode())
        public_key = request.public_key()
    except ValueError as error:
        raise CsrRejectedError("not a PEM-encoded PKCS#10 certificate signing request") from error
    except UnsupportedAlgorithm as error:
        raise CsrRejectedError(f"key of an algorithm not supported: {error}") from error
    if not request.is_signature_valid:
        raise CsrRejectedError("the request's signature does not verify")
    _check_key(public_key)
    common_name = _single(request.subject, NameOID.COMMON_NAME, "CN")
    if common_name != charge_point_id:
        raise CsrRejectedError(f"subject CN must be the charge point id {charge_point_id!r}, not {common_name!r}")
    request_organization = _single(request.subject, NameOID.ORGANIZATION_NAME, "O")
    if request_organization != organization:
        raise CsrRejectedError(f"subject O must be {organization!r}, not {request_organization!r}")
    return SigningRequest(
        common_name,
        request_organization,
        public_key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo),
    )


def _check_key(public_key: object) -> None:
    if isinstance(public_key, rsa.RSAPublicKey):
        if not MIN_RSA_BITS <= public_key.key_size <= MAX_RSA_BITS:
            raise CsrRejectedError(
                f"RSA key of {public_key.key_size} bits: from {MIN_RSA_BITS} to {MAX_RSA_BITS} bits are signed"
            )
        return
    if isinstance(public_key, ec.EllipticCurvePublicKey):
        if public_key.curve.name not in EC_CURVES:
            raise CsrRejectedError(f"EC key on {public_key.curve.name}: only P-256 and P-384 are signed")
        return
    raise CsrRejectedError(f"{type(public_key).__name__} keys are not signed: RSA or EC (P-256, P-384) only")


def _single(subject: x509.Name, oid: x509.ObjectIdentifier, label: str) -> str:
    values = subject.get_attributes_for_oid(oid)
    if len(values) != 1:
        raise CsrRejectedError(f"subject must hold one {label}, not {len(values)}")
    return str(values[0].value)
