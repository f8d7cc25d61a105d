"""The TLS of `csms local --tls-port`: `wss://` with client certificates, as CloudFront viewer mTLS does it.

The listener asks every client for a certificate and verifies one presented against the CSMS's root
(`GET /api/pki/ca`), in the handshake (a certificate of another CA, or expired, fails it); a client
without one is let through, and the authorizer decides by the charger's security profile. Its own
certificate is issued by the same CA for the listening host (unless `--tls-cert`/`--tls-key` give one),
so a station that trusts the root (InstallCertificate CSMSRootCertificate) trusts the server.
"""

from __future__ import annotations

import ssl
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat

if TYPE_CHECKING:
    from csms.pki.service import CertificateService

LOCAL_HOST_NAMES = ["localhost", "127.0.0.1", "::1"]
_WILDCARDS = frozenset({"", "0.0.0.0", "::"})  # noqa: S104 - names, not bound here


@dataclass(frozen=True)
class TlsOptions:
    port: int
    # A server certificate chain and its key (PEM files); None: one issued by the CSMS CA at start.
    certificate: Path | None = None
    key: Path | None = None


def server_context(options: TlsOptions, host: str, certificates: CertificateService) -> ssl.SSLContext:
    """A server context asking for (not requiring) client certificates issued by the CSMS CA."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2  # OCPP security profiles 2 and 3: TLS 1.2 or later
    if options.certificate is not None:
        context.load_cert_chain(options.certificate, options.key)
    else:
        _load_issued_certificate(context, host, certificates)
    context.verify_mode = ssl.CERT_OPTIONAL
    context.load_verify_locations(cadata=certificates.root_pem())
    return context


def _load_issued_certificate(context: ssl.SSLContext, host: str, certificates: CertificateService) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    public_key = key.public_key().public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
    # The host it listens on, unless a wildcard, and the loopback names.
    names = list(dict.fromkeys([host, *LOCAL_HOST_NAMES] if host not in _WILDCARDS else LOCAL_HOST_NAMES))
    chain = certificates.server_certificate(names, public_key) + certificates.root_pem()
    key_pem = key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
    # `load_cert_chain` reads files only; they are gone once loaded.
    with tempfile.TemporaryDirectory(prefix="csms-tls-") as directory:
        certificate_file, key_file = Path(directory) / "server.pem", Path(directory) / "server.key"
        certificate_file.write_text(chain)
        key_file.write_bytes(key_pem)  # in a directory only this user can read
        context.load_cert_chain(certificate_file, key_file)
