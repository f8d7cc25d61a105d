"""An operator's own CA (its certificate and its KMS key) in place of the self-signed root: station certificates
name it as issuer and verify against it, the client-certificate check admits them, and a certificate whose key
is not the signing key's is refused before anything is signed."""

from datetime import UTC, datetime, timedelta

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat

from csms.local.ca_key import ImportedCa
from csms.pki.authority import CaKeyMismatchError, CertificateAuthority, CertificateProfile
from csms.pki.client_certificates import ClientCertificates
from tests.fakes import FixedClock, InMemoryCertificates, LocalKeySigner
from tests.pki_requests import ca_certificate_pem, p256_key

CP = "CP-1"
NOW = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)


def station_key() -> bytes:
    return p256_key().public_key().public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)


def test_the_imported_ca_is_the_root_and_the_issuer_of_station_certificates() -> None:
    signer, inventory = LocalKeySigner("arn:aws:kms:eu-west-1:111122223333:key/imported"), InMemoryCertificates()
    imported = ca_certificate_pem(signer.private_key, parent=p256_key())
    authority = CertificateAuthority(
        signer, inventory, FixedClock(NOW), CertificateProfile("CSMS", timedelta(days=365)), imported
    )

    record = authority.issue(CP, station_key())
    inventory.add(record)

    assert authority.root().pem == imported
    assert inventory.ca_certificate(signer.key_id) is None  # nothing self-signed or kept in its place
    ca = x509.load_pem_x509_certificate(imported.encode())
    station = x509.load_pem_x509_certificate(record.pem.encode())
    station.verify_directly_issued_by(ca)
    assert record.issuer == "CN=Operator Charging CA"
    check = ClientCertificates(inventory, lambda: authority.root().pem, FixedClock(NOW + timedelta(minutes=1)))
    assert check.check(record.pem, CP).refusal is None


def test_a_ca_certificate_whose_key_is_not_the_signing_key_is_refused_and_nothing_is_signed() -> None:
    signer, inventory = LocalKeySigner("imported"), InMemoryCertificates()
    someone_else_s = ca_certificate_pem(p256_key())
    authority = CertificateAuthority(
        signer, inventory, FixedClock(NOW), CertificateProfile("CSMS", timedelta(days=365)), someone_else_s
    )
    signed: list[bytes] = []
    signer.sign = lambda message: signed.append(message) or b""  # type: ignore[method-assign]

    with pytest.raises(CaKeyMismatchError, match="not the public key of the signing key imported"):
        authority.issue(CP, station_key())
    with pytest.raises(CaKeyMismatchError):
        authority.issue(CP, station_key())
    assert signed == []
    assert inventory.records == {}


def test_csms_local_refuses_a_ca_certificate_and_key_that_do_not_belong_together() -> None:
    key = p256_key()
    key_pem = key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())

    assert ImportedCa.from_pem(ca_certificate_pem(key), key_pem).private_key.public_key() == key.public_key()
    with pytest.raises(ValueError, match="not the CA key's"):
        ImportedCa.from_pem(ca_certificate_pem(p256_key()), key_pem)
