"""The FleetFiles bucket: private, encrypted, TLS only, access logged, logs expiring, kept with the stack gone; only
the functions that presign know it, each with the object actions its URLs need on its prefix."""

import re
from typing import Any

import pytest

from csms import constants
from csms.tables import IDEMPOTENCY
from stacks.constructs.fleet_files import FIRMWARE_PREFIX, LOG_RETENTION_DAYS, LOGS_PREFIX
from tests.infra.queries import actions_on, api_id, function_id, of_type, role_statements, table_id

pytestmark = pytest.mark.infra

# Per function, the object actions it is granted under each prefix.
PRESIGNING_FUNCTIONS = {
    # Log uploads and their downloads; firmware images' uploads and their size and MD5 (HeadObject).
    "operator_api": {LOGS_PREFIX: ["s3:GetObject", "s3:PutObject"], FIRMWARE_PREFIX: ["s3:GetObject", "s3:PutObject"]},
    # A firmware campaign's download URLs.
    "campaign_worker": {FIRMWARE_PREFIX: ["s3:GetObject"]},
}


def the_bucket(resources: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    [(logical_id, bucket)] = [
        (i, r)
        for i, r in of_type(resources, "AWS::S3::Bucket").items()
        if re.match(r"^FleetFilesBucket[0-9A-F]{8}$", i)
    ]
    return logical_id, bucket


def test_the_bucket_is_private_encrypted_logged_and_kept(resources: dict[str, Any]) -> None:
    _, bucket = the_bucket(resources)
    properties = bucket["Properties"]

    assert properties["PublicAccessBlockConfiguration"] == {
        "BlockPublicAcls": True,
        "BlockPublicPolicy": True,
        "IgnorePublicAcls": True,
        "RestrictPublicBuckets": True,
    }
    [encryption] = properties["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    assert encryption["ServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256"
    assert properties["LoggingConfiguration"]["LogFilePrefix"] == "fleet-files/"
    assert bucket["DeletionPolicy"] == "Retain"


def test_logs_expire_and_nothing_else_does(resources: dict[str, Any]) -> None:
    _, bucket = the_bucket(resources)
    rules = {rule["Id"]: rule for rule in bucket["Properties"]["LifecycleConfiguration"]["Rules"]}

    assert rules["LogsExpire"]["Prefix"] == LOGS_PREFIX
    assert rules["LogsExpire"]["ExpirationInDays"] == LOG_RETENTION_DAYS
    assert all("ExpirationInDays" not in rule for rule_id, rule in rules.items() if rule_id != "LogsExpire")


def test_requests_without_tls_are_denied(resources: dict[str, Any]) -> None:
    logical_id, _ = the_bucket(resources)
    [policy] = [
        p
        for p in of_type(resources, "AWS::S3::BucketPolicy").values()
        if p["Properties"]["Bucket"] == {"Ref": logical_id}
    ]

    [deny] = [s for s in policy["Properties"]["PolicyDocument"]["Statement"] if s["Effect"] == "Deny"]
    assert deny["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}


def test_only_the_presigning_functions_know_the_bucket_and_may_use_its_objects(resources: dict[str, Any]) -> None:
    logical_id, _ = the_bucket(resources)
    knowing = {
        r["Properties"]["Handler"].removesuffix(".handler")
        for r in of_type(resources, "AWS::Lambda::Function").values()
        if constants.ENV_FLEET_FILES_BUCKET in r["Properties"].get("Environment", {}).get("Variables", {})
    }
    assert knowing == set(PRESIGNING_FUNCTIONS)

    for module, prefixes in PRESIGNING_FUNCTIONS.items():
        granted = {
            prefix: sorted(actions)
            for s in role_statements(resources, function_id(resources, module))
            if logical_id in repr(s["Resource"])
            for actions in [[s["Action"]] if isinstance(s["Action"], str) else s["Action"]]
            for prefix in (LOGS_PREFIX, FIRMWARE_PREFIX)
            if f"/{prefix}*" in repr(s["Resource"])
        }
        assert granted == prefixes, module


def test_the_presigning_functions_may_give_short_links_under_the_operator_api(resources: dict[str, Any]) -> None:
    """A presigned URL too long for its OCPP field becomes `<operator API>/files/<token>`, its link an Idempotency
    item: each presigning function names the operator API's stage URL and may write that table."""
    http_api = api_id(resources, "HTTP")
    for module in PRESIGNING_FUNCTIONS:
        function = resources[function_id(resources, module)]
        url = function["Properties"]["Environment"]["Variables"][constants.ENV_PUBLIC_API_URL]
        assert http_api in repr(url), module
        assert "/api/" in repr(url), url
        statements = role_statements(resources, function_id(resources, module))
        assert "dynamodb:PutItem" in actions_on(statements, table_id(resources, IDEMPOTENCY)), module
