"""POST and GET /api/firmware through the operator API's handler, on moto (tables, S3): an image registered with
the URL its file is PUT to, shown uploaded (size, MD5) once its file is in the bucket; 422 with every reason;
operators register, viewers read."""

import hashlib
from typing import Any

import boto3
import pytest

from tests.api.conftest import FLEET_FILES_BUCKET, OperatorApi, person_claims
from tests.root_certificates import root_pem

IMAGE = {"vendor": "ACME", "model": "Wallbox-2", "version": "2.4.1"}


pytestmark = pytest.mark.usefixtures("fleet_files")


def register(api: OperatorApi, **fields: Any) -> dict[str, Any]:
    response = api.request("POST", "/api/firmware", {**IMAGE, **fields})
    assert response.status == 201, response.text
    return response.body  # type: ignore[no-any-return]


def test_an_image_is_registered_with_an_upload_url_and_shown_uploaded_once_its_file_is_there(
    api: OperatorApi,
) -> None:
    registered = register(api)

    firmware_id = registered["firmwareId"]
    assert registered["uploadMethod"] == "PUT"
    assert f"/firmware/{firmware_id}?" in registered["uploadUrl"]
    assert "X-Amz-Signature=" in registered["uploadUrl"]
    assert registered["uploadExpiresAt"]
    shown = api.get(f"/api/firmware/{firmware_id}").body
    assert {name: shown[name] for name in IMAGE} == IMAGE
    assert (shown["signed"], shown["uploaded"]) == (False, None)

    content = b"firmware image" * 4096
    boto3.client("s3").put_object(Bucket=FLEET_FILES_BUCKET, Key=f"firmware/{firmware_id}", Body=content)

    shown = api.get(f"/api/firmware/{firmware_id}").body
    assert shown["uploaded"] == {"size": len(content), "md5": hashlib.md5(content).hexdigest()}  # noqa: S324


def test_images_are_listed_newest_first_and_paged(api: OperatorApi) -> None:
    ids = [register(api, version=f"2.4.{index}")["firmwareId"] for index in range(3)]

    pages = api.pages("/api/firmware", limit=2)

    assert [image["firmwareId"] for page in pages for image in page] == ids[::-1]


def test_a_signed_image_keeps_its_certificate_and_signature(api: OperatorApi) -> None:
    pem = root_pem("ACME firmware signing")
    firmware_id = register(api, signingCertificate=pem, signature="c2lnbmF0dXJl")["firmwareId"]

    shown = api.get(f"/api/firmware/{firmware_id}").body

    assert (shown["signed"], shown["signingCertificate"], shown["signature"]) == (True, pem, "c2lnbmF0dXJl")


def test_bad_fields_are_refused_with_every_reason(api: OperatorApi) -> None:
    response = api.request(
        "POST",
        "/api/firmware",
        {"vendor": "", "model": "M" * 21, "version": "V" * 51, "signingCertificate": "not a certificate"},
    )

    assert response.status == 422, response.text
    assert response.body["reasons"] == [
        "vendor: a string of 1 to 50 characters",
        "model: a string of 1 to 20 characters",
        "version: a string of 1 to 50 characters",
        "signingCertificate: not a PEM X.509 certificate",
        "signingCertificate and signature: both (a secure update) or neither",
    ]


def test_a_signature_must_be_base64_within_the_schema_length(api: OperatorApi) -> None:
    pem = root_pem("ACME firmware signing")
    cases = (("not base64!", "signature: not base64"), ("A" * 804, "signature: base64 of at most 800"))
    for signature, reason in cases:
        response = api.request("POST", "/api/firmware", {**IMAGE, "signingCertificate": pem, "signature": signature})
        assert response.status == 422, response.text
        assert response.body["reasons"][0].startswith(reason)


def test_an_unknown_image_is_404(api: OperatorApi) -> None:
    assert api.get("/api/firmware/none").status == 404


def test_viewers_read_and_operators_register() -> None:
    viewer = OperatorApi(person_claims("vera", "[viewers]"))
    operator = OperatorApi(person_claims("otto", "[operators]"))

    assert viewer.request("POST", "/api/firmware", IMAGE).status == 403
    assert operator.request("POST", "/api/firmware", IMAGE).status == 201
    assert viewer.get("/api/firmware").status == 200


def test_a_firmware_campaign_names_an_uploaded_image(api: OperatorApi) -> None:
    firmware_id = register(api)["firmwareId"]
    api.request("PUT", "/api/chargers/CP-1", {})
    body = {
        "name": "to 2.4.1",
        "target": {"chargerIds": ["CP-1"]},
        "operation": {"kind": "firmware", "firmwareId": firmware_id, "installAt": "2026-12-24T03:00:00+01:00"},
    }

    response = api.request("POST", "/api/campaigns", body)

    assert response.status == 422, response.text
    assert response.body["reasons"] == ["operation.firmwareId: the image is not uploaded yet (PUT it to its uploadUrl)"]
