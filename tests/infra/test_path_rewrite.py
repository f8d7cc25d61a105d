"""The CloudFront Function and its Python twin (`csms.gateway_path`) rewrite paths alike."""

import json
import shutil
import subprocess
from typing import Any

import pytest

from csms import constants
from csms.gateway_path import AUTHORIZATION_COPY_HEADER, rewrite_ocpp_path
from stacks.constructs.ocpp_endpoint import PATH_REWRITE_FUNCTION

pytestmark = pytest.mark.infra

# path -> charge point id, or None for 404
CASES: dict[str, str | None] = {
    "/ocpp/CP001": "CP001",
    "/ocpp/CP%2F01": "CP%2F01",
    "/ocpp/%20": "%20",
    "/ocpp/CP-001_a.b~c": "CP-001_a.b~c",
    "/ocpp/CP001?token=1": "CP001",
    "/ocpp/": None,
    "/ocpp": None,
    "/ocpp/a/b": None,
    "/ocpp/CP001/": None,
    "/ocpp//CP001": None,
    "//ocpp/CP001": None,
    "/OCPP/CP001": None,
    "/ocppx/CP001": None,
    "/other": None,
    "/": None,
    "": None,
}
CLIENT_HEADERS = {
    constants.CHARGE_POINT_ID_HEADER: {"value": "forged"},
    constants.ORIGIN_VERIFY_HEADER: {"value": "forged"},
    AUTHORIZATION_COPY_HEADER: {"value": "forged"},
    "authorization": {"value": "Basic Q1AwMDE6c2VjcmV0"},
}

# Evaluates the function file as CloudFront does (a script defining `handler`), then runs it
# on every request read from stdin.
RUNNER = """
const source = require('fs').readFileSync(process.argv[1], 'utf8');
const handler = new Function(source + '\\nreturn handler;')();
const requests = JSON.parse(require('fs').readFileSync(0, 'utf8'));
process.stdout.write(JSON.stringify(requests.map((request) => handler({ request }))));
"""


@pytest.fixture(scope="module")
def js_results() -> dict[str, dict[str, Any]]:
    node = shutil.which("node")
    assert node, "node is required (the CDK needs it too)"
    requests = [{"uri": path, "method": "GET", "headers": json.loads(json.dumps(CLIENT_HEADERS))} for path in CASES]
    completed = subprocess.run(  # noqa: S603 - fixed arguments
        [node, "-e", RUNNER, str(PATH_REWRITE_FUNCTION)],
        input=json.dumps(requests),
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    )
    return dict(zip(CASES, json.loads(completed.stdout), strict=True))


@pytest.mark.parametrize(("path", "expected"), CASES.items())
def test_python_rewrite(path: str, expected: str | None) -> None:
    assert rewrite_ocpp_path(path) == expected


@pytest.mark.parametrize(("path", "expected"), CASES.items())
def test_cloudfront_function_agrees(js_results: dict[str, dict[str, Any]], path: str, expected: str | None) -> None:
    result = js_results[path]
    if expected is None:
        assert result == {"statusCode": 404, "statusDescription": "Not Found"}
        return
    assert result["uri"] == "/"
    headers = result["headers"]
    assert headers[constants.CHARGE_POINT_ID_HEADER] == {"value": expected}
    assert constants.ORIGIN_VERIFY_HEADER not in headers
    assert headers[AUTHORIZATION_COPY_HEADER] == CLIENT_HEADERS["authorization"]


def test_forged_authorization_copy_is_dropped() -> None:
    node = shutil.which("node")
    assert node
    request = {"uri": "/ocpp/CP001", "headers": {AUTHORIZATION_COPY_HEADER: {"value": "forged"}}}
    completed = subprocess.run(  # noqa: S603 - fixed arguments
        [node, "-e", RUNNER, str(PATH_REWRITE_FUNCTION)],
        input=json.dumps([request]),
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    )
    (result,) = json.loads(completed.stdout)
    assert AUTHORIZATION_COPY_HEADER not in result["headers"]


def test_function_fits_cloudfront_limit() -> None:
    assert len(PATH_REWRITE_FUNCTION.read_bytes()) < 10 * 1024
