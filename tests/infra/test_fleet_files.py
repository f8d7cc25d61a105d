"""The FleetFiles bucket: private, encrypted, TLS only, access logged, logs expiring, kept with the stack gone; only
the functions that presign know it, each with the object actions its URLs need on its prefix."""

import re
from typing import Any

import pytest

from csms import constants
from stacks.constructs.fleet_files import LOG_RETENTION_DAYS, LOGS_PREFIX
from tests.infra.queries import function_id, of_type, role_statements

pytestmark = pytest.mark.infra

PRESIGNING_FUNCTIONS = {"operator_api"}


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
    assert knowing == PRESIGNING_FUNCTIONS

    for module in PRESIGNING_FUNCTIONS:
        granted = [
            s for s in role_statements(resources, function_id(resources, module)) if logical_id in repr(s["Resource"])
        ]
        [statement] = granted
        assert sorted(statement["Action"]) == ["s3:GetObject", "s3:PutObject"]
        assert f"/{LOGS_PREFIX}*" in repr(statement["Resource"])
