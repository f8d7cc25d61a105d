"""How long a presigned upload URL is, against the 512 characters of GetLog's `log.remoteLocation`: with a Lambda's
session token (about a thousand characters) far longer, with `csms local`'s short test token well within."""

import base64
import secrets
from datetime import timedelta

import boto3
import pytest

from csms.adapters.s3_files import S3FileStore

REMOTE_LOCATION_MAX_LENGTH = 512  # 2.0.1 GetLog and the 1.6 security extension's
KEY = "logs/CP-000000000000001/0f8b5c2e-8a0e-4d0b-9e7c-3b1f2a4c5d6e"


def presigned_length(monkeypatch: pytest.MonkeyPatch, session_token: str, bucket: str, endpoint: str = "") -> int:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "ASIA" + "X" * 16)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "s" * 40)
    monkeypatch.setenv("AWS_SESSION_TOKEN", session_token)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-central-1")
    monkeypatch.setattr(boto3, "DEFAULT_SESSION", None)  # its credentials are read once per session
    return len(S3FileStore(bucket, endpoint).upload_url(KEY, timedelta(hours=1)))


def test_a_url_presigned_with_a_lambda_session_token_is_too_long_for_get_log(monkeypatch: pytest.MonkeyPatch) -> None:
    lambda_like_token = base64.b64encode(secrets.token_bytes(800)).decode()  # about 1,070 characters

    length = presigned_length(monkeypatch, lambda_like_token, "csms-fleetfilesbucket-1a2b3c4d5e6f")

    assert length > 2 * REMOTE_LOCATION_MAX_LENGTH


def test_a_url_of_csms_local_fits(monkeypatch: pytest.MonkeyPatch) -> None:
    length = presigned_length(monkeypatch, "testing", "csms-local-fleet-files", "http://127.0.0.1:9000/s3")

    assert length < REMOTE_LOCATION_MAX_LENGTH
