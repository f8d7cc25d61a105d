"""Certificate signing requests as charging stations make them, good and bad, for the CA's tests."""

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.types import CertificateIssuerPrivateKeyTypes
from cryptography.x509.oid import NameOID

ORGANIZATION = "CSMS"  # the settings' default O


def p256_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def csr_pem(
    common_name: str | None,
    organization: str | None = ORGANIZATION,
    key: CertificateIssuerPrivateKeyTypes | None = None,
) -> str:
    """A PEM CSR signed by `key` (a new P-256 key by default) with the CN and O given (None: left out)."""
    attributes = []
    if common_name is not None:
        attributes.append(x509.NameAttribute(NameOID.COMMON_NAME, common_name))
    if organization is not None:
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization))
    request = x509.CertificateSigningRequestBuilder().subject_name(x509.Name(attributes))
    signed = request.sign(key or p256_key(), hashes.SHA256())
    return signed.public_bytes(serialization.Encoding.PEM).decode()


def rsa_key(bits: int) -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=bits)


def with_bad_signature(pem: str) -> str:
    """`pem` with one bit of its signature flipped (still a well-formed request)."""
    der = bytearray(x509.load_pem_x509_csr(pem.encode()).public_bytes(serialization.Encoding.DER))
    der[-5] ^= 0x01
    return x509.load_der_x509_csr(bytes(der)).public_bytes(serialization.Encoding.PEM).decode()


def ca_certificate_pem(
    key: ec.EllipticCurvePrivateKey,
    common_name: str = "Operator Charging CA",
    parent: ec.EllipticCurvePrivateKey | None = None,
) -> str:
    """An operator's CA certificate for `key` (P-256), issued by `parent` (an upper CA; None: self-signed),
    as an operator would bring to the CSMS."""
    from datetime import UTC, datetime, timedelta  # noqa: PLC0415

    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    issuer = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Operator Root")]) if parent else subject
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .sign(parent or key, hashes.SHA256())
    )
    return certificate.public_bytes(serialization.Encoding.PEM).decode()
