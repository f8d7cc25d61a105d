"""The operator API through its Lambda handler, with HTTP API (payload 2.0) events, on moto."""

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast
from urllib.parse import parse_qsl, urlencode

import boto3
import pytest
from aws_lambda_powertools.utilities.typing import LambdaContext

from csms import constants
from csms.composition import Services, get_services
from csms.local.lambda_events import ApiInfo, http_api_event, lambda_context
from csms.settings import get_settings
from functions.operator_api import handler
from tests.wired import handler_services

API = ApiInfo(api_id="testapi", stage="$default", domain_name="testapi.execute-api.us-east-1.amazonaws.com")
FLEET_FILES_BUCKET = "csms-test-fleet-files"
# The machine-to-machine client's token (client credentials): an administrator's.
OPERATOR_CLAIMS = {"scope": "csms/operator", "client_id": "test-operator"}


def person_claims(username: str, groups: str) -> dict[str, str]:
    """A signed-in person's access token claims as API Gateway passes them (`groups`: e.g. "[viewers]")."""
    return {"sub": f"sub-{username}", "username": username, "cognito:groups": groups, "token_use": "access"}


@dataclass
class ApiResponse:
    status: int
    headers: dict[str, str]
    text: str

    @property
    def body(self) -> Any:
        return json.loads(self.text) if self.text else None


class OperatorApi:
    """Requests as API Gateway hands them to the function (authorized, as its JWT authorizer would)."""

    def __init__(self, claims: Mapping[str, Any] = OPERATOR_CLAIMS) -> None:
        self.claims = claims

    def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        headers: Sequence[tuple[str, str]] = (),
        raw_body: str | None = None,
        **query: Any,
    ) -> ApiResponse:
        """`body` as JSON, or `raw_body` as it is (JSON text no serializer writes)."""
        if raw_body is None:
            raw_body = json.dumps(body) if body is not None else ""
        raw_query = urlencode({name: value for name, value in query.items() if value is not None})
        event = http_api_event(
            API,
            method=method,
            raw_path=path,
            raw_query=raw_query,
            query=parse_qsl(raw_query),
            headers=[("content-type", "application/json"), *headers],
            body=raw_body.encode(),
            source_ip="192.0.2.1",
            jwt_claims=self.claims,
        )
        result = handler(event, cast(LambdaContext, lambda_context("operator_api")))
        return ApiResponse(result["statusCode"], result.get("headers") or {}, result.get("body") or "")

    def get(self, path: str, **query: Any) -> ApiResponse:
        return self.request("GET", path, **query)

    def pages(self, path: str, limit: int, **query: Any) -> list[list[dict[str, Any]]]:
        """Every page of a list endpoint, following `nextToken` until it is null."""
        pages, token = [], None
        while True:
            response = self.get(path, limit=limit, nextToken=token, **query)
            assert response.status == 200, response.text
            pages.append(response.body["items"])
            token = response.body["nextToken"]
            if token is None:
                return pages


@pytest.fixture
def api(aws: None) -> OperatorApi:
    return OperatorApi()


@pytest.fixture
def state_machine(aws: None, monkeypatch: pytest.MonkeyPatch) -> Any:
    """A command state machine on moto that does nothing (no charge point answers here): commands stay Pending."""
    stepfunctions = boto3.client("stepfunctions")
    arn = stepfunctions.create_state_machine(
        name="commands",
        definition=json.dumps({"StartAt": "Done", "States": {"Done": {"Type": "Succeed"}}}),
        roleArn="arn:aws:iam::123456789012:role/commands",
    )["stateMachineArn"]
    monkeypatch.setenv(constants.ENV_COMMAND_STATE_MACHINE_ARN, arn)
    get_settings.cache_clear()
    get_services.cache_clear()
    return stepfunctions


@pytest.fixture
def services(aws: None) -> Services:
    """The very services the handler uses (same moto tables), to set up what the API shows."""
    return handler_services()


@pytest.fixture
def fleet_files(aws: None, monkeypatch: pytest.MonkeyPatch) -> str:
    """The FleetFiles bucket (charger logs, firmware) in moto S3, named in the settings the handlers are built from."""
    boto3.client("s3").create_bucket(Bucket=FLEET_FILES_BUCKET)
    monkeypatch.setenv(constants.ENV_FLEET_FILES_BUCKET, FLEET_FILES_BUCKET)
    get_settings.cache_clear()
    get_services.cache_clear()
    return FLEET_FILES_BUCKET
