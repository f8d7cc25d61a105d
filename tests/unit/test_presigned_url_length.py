"""How long a presigned upload URL is, against the 512 characters of GetLog's `log.remoteLocation`: with a Lambda's
session token (about a thousand characters) far longer, with `csms local`'s short test token well within; and what a
charger is given for GetLog on AWS, a short link, well within too."""

import base64
import secrets
from datetime import timedelta

import boto3
import pytest

from csms.adapters.s3_files import S3FileStore, UrlTooLongError
from csms.domain.short_links import ShortLinks
from csms.wire.schema_limits import max_length
from csms.wire.versions import OcppVersion
from tests.fakes import FixedClock, InMemoryShortLinks

REMOTE_LOCATION_MAX_LENGTH = max_length(OcppVersion.V201, "GetLog", "log", "remoteLocation")  # 512, as in 1.6's
KEY = "logs/CP-000000000000001/0f8b5c2e-8a0e-4d0b-9e7c-3b1f2a4c5d6e"
AWS_BUCKET = "csms-fleetfilesbucket-1a2b3c4d5e6f"
OPERATOR_API_URL = "https://a1b2c3d4e5.execute-api.eu-central-1.amazonaws.com/api/"


def lambda_like_store(
    monkeypatch: pytest.MonkeyPatch, session_token: str, bucket: str, endpoint: str = ""
) -> S3FileStore:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "ASIA" + "X" * 16)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "s" * 40)
    monkeypatch.setenv("AWS_SESSION_TOKEN", session_token)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-central-1")
    monkeypatch.setattr(boto3, "DEFAULT_SESSION", None)  # its credentials are read once per session
    return S3FileStore(bucket, endpoint, ShortLinks(InMemoryShortLinks(), OPERATOR_API_URL, FixedClock()))


def presigned_length(monkeypatch: pytest.MonkeyPatch, session_token: str, bucket: str, endpoint: str = "") -> int:
    return len(lambda_like_store(monkeypatch, session_token, bucket, endpoint).upload_url(KEY, timedelta(hours=1)))


def lambda_like_token() -> str:
    return base64.b64encode(secrets.token_bytes(800)).decode()  # about 1,070 characters


def test_a_url_presigned_with_a_lambda_session_token_is_too_long_for_get_log(monkeypatch: pytest.MonkeyPatch) -> None:
    length = presigned_length(monkeypatch, lambda_like_token(), AWS_BUCKET)

    assert REMOTE_LOCATION_MAX_LENGTH == 512
    assert length > 2 * REMOTE_LOCATION_MAX_LENGTH


def test_what_a_charger_is_given_for_get_log_on_aws_is_a_short_link_within_512(monkeypatch: pytest.MonkeyPatch) -> None:
    store = lambda_like_store(monkeypatch, lambda_like_token(), AWS_BUCKET)

    given = store.upload_url(KEY, timedelta(hours=1), REMOTE_LOCATION_MAX_LENGTH)

    assert given.startswith(f"{OPERATOR_API_URL}files/")
    assert len(given) <= 100  # 68 characters of base URL and path, 22 of token


def test_a_url_of_csms_local_fits(monkeypatch: pytest.MonkeyPatch) -> None:
    store = lambda_like_store(monkeypatch, "testing", "csms-local-fleet-files", "http://127.0.0.1:9000/s3")

    given = store.upload_url(KEY, timedelta(hours=1), REMOTE_LOCATION_MAX_LENGTH)

    assert len(given) < REMOTE_LOCATION_MAX_LENGTH
    assert "/s3/csms-local-fleet-files/" in given  # the presigned URL itself


def test_a_store_without_short_links_refuses_a_url_it_cannot_fit(monkeypatch: pytest.MonkeyPatch) -> None:
    lambda_like_store(monkeypatch, lambda_like_token(), AWS_BUCKET)  # the credentials
    store = S3FileStore(AWS_BUCKET)

    with pytest.raises(UrlTooLongError):
        store.upload_url(KEY, timedelta(hours=1), REMOTE_LOCATION_MAX_LENGTH)
