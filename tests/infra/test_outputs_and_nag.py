"""Stack outputs, and cdk-nag (AwsSolutions) acceptance."""

import pytest
from aws_cdk.assertions import Template

from tests.infra.conftest import Synthesis

pytestmark = pytest.mark.infra

OUTPUTS = {
    "OcppUrl",
    "ConsoleUrl",
    "OperatorApiUrl",
    "UserPoolId",
    "OperatorClientId",
    "TokenUrl",
    "EventBusName",
    "DashboardUrl",
    "AlarmTopicArn",
}


def test_outputs(template: Template) -> None:
    assert set(template.find_outputs("*")) == OUTPUTS


def test_token_url(template: Template) -> None:
    (output,) = template.find_outputs("TokenUrl").values()
    assert output["Value"]["Fn::Join"][1][-1] == ".amazoncognito.com/oauth2/token"


def test_cdk_nag_has_no_unacknowledged_findings(synthesis: Synthesis) -> None:
    """Any finding makes synthesis raise and fills validation-report.json."""
    violations = [
        violation["ruleName"]
        for report in synthesis.validation_report["pluginReports"]
        for violation in report["violations"]
    ]
    assert violations == []
    assert synthesis.error is None
