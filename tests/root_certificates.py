"""Self-signed root certificates, as an operator installs them on chargers, and the OCPP hash data a charger
reports for each (computed here with `cryptography`, independently of the CSMS's own code)."""

from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID


def root_pem(common_name: str, serial: int = 0x0ABC) -> str:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(serial)
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    return certificate.public_bytes(serialization.Encoding.PEM).decode()


def hash_data(pem: str) -> dict[str, str]:
    """OCPP CertificateHashDataType of a root certificate: SHA-256 of its issuer name (DER) and of its key's bits."""
    certificate = x509.load_pem_x509_certificate(pem.encode())
    key_bits = certificate.public_key().public_bytes(  # type: ignore[union-attr]
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    name_digest = hashes.Hash(hashes.SHA256())
    name_digest.update(certificate.issuer.public_bytes())
    key_digest = hashes.Hash(hashes.SHA256())
    key_digest.update(key_bits)
    return {
        "hashAlgorithm": "SHA256",
        "issuerNameHash": name_digest.finalize().hex(),
        "issuerKeyHash": key_digest.finalize().hex(),
        "serialNumber": format(certificate.serial_number, "x"),
    }
