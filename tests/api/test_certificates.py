"""The CA through the operator API's handler, on moto (its KMS key signs for real): the root, a charger's
certificates, revoking one, and who may do what."""

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import load_der_public_key

from csms import constants
from csms.composition import Services, get_services
from csms.settings import get_settings
from csms.wire.versions import OcppVersion
from tests.api.conftest import OperatorApi, person_claims
from tests.pki_requests import csr_pem

CP = "CP-1"


@pytest.fixture
def ca_key(aws: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The CA's key in moto's KMS, as the stack makes it, named to the handler's settings."""
    key_id = boto3.client("kms").create_key(KeySpec="ECC_NIST_P256", KeyUsage="SIGN_VERIFY")["KeyMetadata"]["KeyId"]
    monkeypatch.setenv(constants.ENV_CA_KEY_ID, key_id)
    get_settings.cache_clear()
    get_services.cache_clear()
    yield key_id
    get_services.cache_clear()


@pytest.fixture
def issued(ca_key: str, state_machine: Any, api: OperatorApi, services: Services) -> dict[str, Any]:
    """A certificate the CA signed for CP-1 (a 2.0.1 charger), as the API lists it."""
    assert api.request("PUT", f"/api/chargers/{CP}", {"password": "correct-horse-battery"}).status == 200
    services.charge_points.connected(CP, "conn-1", OcppVersion.V201)
    assert services.certificates.sign_requested(CP, OcppVersion.V201, csr_pem(CP)).accepted
    services.charge_points.disconnected("conn-1", CP)  # nothing for a revocation to close: no real connection
    [item] = api.get(f"/api/chargers/{CP}/certificates").body["items"]
    return item  # type: ignore[no-any-return]


def test_the_root_is_pem_self_signed_by_the_kms_key_and_made_once(ca_key: str) -> None:
    viewer = OperatorApi(person_claims("vera", "[viewers]"))

    first = viewer.get("/api/pki/ca")
    second = viewer.get("/api/pki/ca")

    assert first.status == 200
    assert first.headers["Content-Type"] == "application/x-pem-file"
    root = x509.load_pem_x509_certificate(first.text.encode())
    kms_public_key = boto3.client("kms").get_public_key(KeyId=ca_key)["PublicKey"]
    assert root.public_key() == load_der_public_key(kms_public_key)
    root.verify_directly_issued_by(root)
    assert second.text == first.text


def test_a_charger_s_certificates_are_listed(issued: dict[str, Any], api: OperatorApi) -> None:
    certificate = x509.load_pem_x509_certificate(issued["pem"].encode())
    root = x509.load_pem_x509_certificate(api.get("/api/pki/ca").text.encode())

    certificate.verify_directly_issued_by(root)
    assert issued["serial"] == f"{certificate.serial_number:x}"
    assert issued["chargerId"] == CP
    assert issued["subject"] == f"CN={CP},O=CSMS"
    assert issued["status"] == "Active"
    assert issued["renewalRequestedAt"] is None


def test_an_unknown_charger_has_no_certificates_to_list(api: OperatorApi) -> None:
    assert api.get("/api/chargers/nobody/certificates").status == 404


def test_only_admins_revoke(issued: dict[str, Any], api: OperatorApi) -> None:
    path = f"/api/certificates/{issued['serial']}/revoke"
    for role in ("viewers", "operators"):
        assert OperatorApi(person_claims("someone", f"[{role}]")).request("POST", path).status == 403

    response = api.request("POST", path)

    assert response.status == 200
    assert response.body["status"] == "Revoked"
    assert [item["status"] for item in api.get(f"/api/chargers/{CP}/certificates").body["items"]] == ["Revoked"]
    assert api.request("POST", path).body["status"] == "Revoked"


def test_revoking_a_serial_never_issued_is_404(ca_key: str, api: OperatorApi) -> None:
    assert api.request("POST", "/api/certificates/abcdef/revoke").status == 404
