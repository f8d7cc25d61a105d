"""The CA's signing key of `csms local`, kept in its data directory across restarts.

moto keeps KMS keys in memory: without this, each start would make a new key, hence a new root (the root is
kept per key), and no certificate issued before would verify any more. With a data directory, the key's id
and its private key are written to `ca-key.pem` (readable by its owner only) when the key is first made, and
put back into moto's KMS at every later start, so the root and the certificates it issued stay valid. This is
a development runtime's trade-off: the private key sits in a file there, whereas on AWS it never leaves KMS.
Without a data directory nothing is kept (a new CA per start, as before).

An operator's own CA (`csms local --ca-cert --ca-key`) is put into moto's KMS the same way at every start, in
place of the key's private part; its certificate is then the root (`ImportedCa`), and nothing is kept.
"""

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    load_pem_private_key,
)

CA_KEY_FILE = "ca-key.pem"
_KEY_ID_HEADER = "# KMS key id: "


@dataclass(frozen=True)
class ImportedCa:
    """An operator's CA: its certificate (PEM), the root, and the private key of its public key."""

    certificate_pem: str
    private_key: ec.EllipticCurvePrivateKey

    @classmethod
    def from_pem(cls, certificate_pem: str, private_key_pem: bytes) -> "ImportedCa":
        """Both files checked: a certificate, a P-256 private key, and the certificate's key the private key's."""
        from cryptography import x509  # noqa: PLC0415
        from cryptography.hazmat.primitives.serialization import PublicFormat  # noqa: PLC0415

        certificate = x509.load_pem_x509_certificate(certificate_pem.encode())
        private_key = load_pem_private_key(private_key_pem, password=None)
        if not isinstance(private_key, ec.EllipticCurvePrivateKey) or private_key.curve.name != "secp256r1":
            raise ValueError("the CA key must be an EC P-256 private key (KMS ECC_NIST_P256)")
        spki = Encoding.DER, PublicFormat.SubjectPublicKeyInfo
        if certificate.public_key().public_bytes(*spki) != private_key.public_key().public_bytes(*spki):
            raise ValueError("the CA certificate's public key is not the CA key's")
        return cls(certificate_pem, private_key)


def kept_ca_key(directory: Path, made_key_id: str, key_arn: str) -> str:
    """The CA key's id: the one kept in `directory`, put back in place of the key moto just made
    (`made_key_id`, `key_arn`), or that key, now kept."""
    keys, made = _moto_key(made_key_id, key_arn)
    path = directory / CA_KEY_FILE
    if not path.exists():
        _write(path, made_key_id, made.private_key.private_key)
        return made_key_id
    kept_id, private_key = _read(path)
    del keys[made_key_id]
    made.id, made.arn = kept_id, made.arn.replace(made_key_id, kept_id)
    made.private_key.private_key = private_key
    keys[kept_id] = made
    return kept_id


def imported_ca_key(imported: ImportedCa, made_key_id: str, key_arn: str) -> str:
    """The key moto just made, its private part now the imported CA's (moto signs with it from then on)."""
    _, made = _moto_key(made_key_id, key_arn)
    made.private_key.private_key = imported.private_key
    return made_key_id


def _moto_key(key_id: str, key_arn: str) -> tuple[dict[str, Any], Any]:
    """moto's keys of the key's account and region, and the key."""
    from moto.kms.models import kms_backends  # noqa: PLC0415 - only `csms local` has moto
    from moto.kms.utils import ECDSAPrivateKey  # noqa: PLC0415

    _, _, _, region, account, _ = key_arn.split(":", 5)
    keys = kms_backends[account][region].keys
    made = keys[key_id]
    assert isinstance(made.private_key, ECDSAPrivateKey), "the CA's key is ECC_NIST_P256"
    return keys, made


def _write(path: Path, key_id: str, private_key: ec.EllipticCurvePrivateKey) -> None:
    pem = private_key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
    partial = path.with_suffix(".partial")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(f"{_KEY_ID_HEADER}{key_id}\n".encode() + pem)
        file.flush()
        os.fsync(file.fileno())
    partial.replace(path)  # complete on disk before it counts


def _read(path: Path) -> tuple[str, ec.EllipticCurvePrivateKey]:
    first_line, _, pem = path.read_bytes().partition(b"\n")
    key_id = first_line.decode().removeprefix(_KEY_ID_HEADER)
    private_key = load_pem_private_key(pem, password=None)
    if not isinstance(private_key, ec.EllipticCurvePrivateKey):
        raise ValueError(f"{path}: not the CA's EC key")
    return key_id, private_key
