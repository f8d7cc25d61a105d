"""An operator's own CA (context caKeyArn with caCertificate): no key made, the signing functions alone granted
kms:Sign (and reading the public key) on the imported key's ARN in their IAM policies, and every function given the
key and the certificate, the root it then uses instead of a self-signed one."""

from pathlib import Path
from typing import Any

import pytest
from constructs import Node

from csms import constants
from stacks.config import CsmsConfig
from tests.infra.conftest import synthesize
from tests.infra.queries import function_id, of_type, role_statements
from tests.pki_requests import ca_certificate_pem, p256_key

pytestmark = pytest.mark.infra

KEY_ARN = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
SIGNING_FUNCTIONS = ("ocpp_message", "operator_api")
CERTIFICATE = ca_certificate_pem(p256_key())
# Lambda's limit on a function's environment (names and values together).
ENVIRONMENT_LIMIT_BYTES = 4096


@pytest.fixture(scope="module")
def resources(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    certificate_file = tmp_path_factory.mktemp("operator-ca") / "ca.pem"
    certificate_file.write_text(CERTIFICATE)
    synthesis = synthesize(
        tmp_path_factory.mktemp("cdk.out.imported-ca"), caKeyArn=KEY_ARN, caCertificate=str(certificate_file)
    )
    assert synthesis.error is None, synthesis.error
    resources: dict[str, Any] = synthesis.template.to_json()["Resources"]
    return resources


def statements_on_the_key(resources: dict[str, Any], logical_id: str) -> list[dict[str, Any]]:
    return [s for s in role_statements(resources, logical_id) if KEY_ARN in repr(s["Resource"])]


def test_no_key_is_made_and_only_the_signing_functions_may_sign_with_the_imported_one(
    resources: dict[str, Any],
) -> None:
    assert of_type(resources, "AWS::KMS::Key") == {}
    signers = {function_id(resources, module) for module in SIGNING_FUNCTIONS}
    for logical_id in of_type(resources, "AWS::Lambda::Function"):
        granted = {
            action
            for statement in statements_on_the_key(resources, logical_id)
            for action in ([statement["Action"]] if isinstance(statement["Action"], str) else statement["Action"])
        }
        if logical_id in signers:
            assert granted == {"kms:Sign", "kms:GetPublicKey", "kms:DescribeKey"}, logical_id
        else:
            assert granted == set(), f"{logical_id} may use the CA key"


def test_every_function_knows_the_key_and_the_imported_certificate_within_lambda_s_environment_limit(
    resources: dict[str, Any],
) -> None:
    for logical_id, function in of_type(resources, "AWS::Lambda::Function").items():
        variables = function["Properties"].get("Environment", {}).get("Variables", {})
        if constants.ENV_CA_KEY_ID not in variables:
            continue
        assert variables[constants.ENV_CA_KEY_ID] == KEY_ARN
        assert variables[constants.ENV_CA_CERTIFICATE] == CERTIFICATE
        size = sum(
            len(name) + len(value if isinstance(value, str) else repr(value)) for name, value in variables.items()
        )
        assert size < ENVIRONMENT_LIMIT_BYTES, f"{logical_id}: {size} bytes of environment"


def node_with(**context: str) -> Node:
    import aws_cdk as cdk  # noqa: PLC0415

    return cdk.App(context=context).node


@pytest.mark.parametrize(
    ("context", "message"),
    [
        ({"caKeyArn": KEY_ARN}, "caKeyArn and caCertificate go together"),
        ({"caCertificate": CERTIFICATE}, "caKeyArn and caCertificate go together"),
        ({"caKeyArn": "alias/ca", "caCertificate": CERTIFICATE}, "caKeyArn must be a KMS key ARN"),
        ({"caKeyArn": KEY_ARN, "caCertificate": "-----BEGIN CERTIFICATE-----\nnope\n"}, "caCertificate"),
    ],
)
def test_the_imported_ca_s_context_is_checked(context: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        CsmsConfig.from_context(node_with(**context))


def test_the_certificate_may_be_given_inline_or_as_a_file(tmp_path: Path) -> None:
    (tmp_path / "ca.pem").write_text(CERTIFICATE)

    inline = CsmsConfig.from_context(node_with(caKeyArn=KEY_ARN, caCertificate=CERTIFICATE)).imported_ca
    from_file = CsmsConfig.from_context(node_with(caKeyArn=KEY_ARN, caCertificate=str(tmp_path / "ca.pem"))).imported_ca

    assert inline == from_file
    assert inline is not None
    assert (inline.key_arn, inline.certificate_pem) == (KEY_ARN, CERTIFICATE)
