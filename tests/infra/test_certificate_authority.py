"""The CA's KMS key: asymmetric P-256 for signing, retained, and a key policy under which only the signing functions
(the message function and the operator API) sign; the renewal schedule and its grants."""

from typing import Any

import pytest

from csms import constants
from csms.function_catalogue import CERTIFICATE_RENEWAL
from csms.tables import CERTIFICATES, CERTIFICATES_BY_STATUS_INDEX
from tests.infra.queries import actions_on, function_id, of_type, role_statements, table_id

pytestmark = pytest.mark.infra

SIGNING_FUNCTIONS = ("ocpp_message", "operator_api")


def the_key(resources: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    [(logical_id, key)] = of_type(resources, "AWS::KMS::Key").items()
    return logical_id, key


def role_ref(resources: dict[str, Any], module: str) -> dict[str, Any]:
    role = resources[function_id(resources, module)]["Properties"]["Role"]["Fn::GetAtt"][0]
    return {"Fn::GetAtt": [role, "Arn"]}


def statements_allowing(policy: dict[str, Any], action: str) -> list[dict[str, Any]]:
    def actions(statement: dict[str, Any]) -> list[str]:
        granted = statement["Action"]
        return [granted] if isinstance(granted, str) else granted

    return [
        s for s in policy["Statement"] if s["Effect"] == "Allow" and any(a in {action, "kms:*"} for a in actions(s))
    ]


def test_the_key_is_an_asymmetric_p256_signing_key_kept_with_the_stack_deleted(resources: dict[str, Any]) -> None:
    _, key = the_key(resources)

    assert key["Properties"]["KeySpec"] == "ECC_NIST_P256"
    assert key["Properties"]["KeyUsage"] == "SIGN_VERIFY"
    assert key["DeletionPolicy"] == "Retain"


def test_only_the_signing_functions_may_sign(resources: dict[str, Any]) -> None:
    _, key = the_key(resources)
    policy = key["Properties"]["KeyPolicy"]
    signers = sorted((role_ref(resources, module) for module in SIGNING_FUNCTIONS), key=repr)

    [allowed] = [s for s in statements_allowing(policy, "kms:Sign") if s.get("Sid") == "SigningFunctionsSign"]
    assert sorted(allowed["Principal"]["AWS"], key=repr) == signers
    [deny] = [s for s in policy["Statement"] if s["Effect"] == "Deny"]
    assert deny["Action"] == "kms:Sign"
    assert deny["Principal"] == {"AWS": "*"}
    assert sorted(deny["Condition"]["ArnNotEquals"]["aws:PrincipalArn"], key=repr) == signers
    # The account's administrators keep the key's administration: any other Allow of kms:Sign is overridden.
    others = [s for s in statements_allowing(policy, "kms:Sign") if s is not allowed]
    assert all("AWS" in s["Principal"] for s in others)


def test_the_signing_functions_know_the_key_and_no_other_function_may_sign(resources: dict[str, Any]) -> None:
    key_id, _ = the_key(resources)

    for module in SIGNING_FUNCTIONS:
        variables = resources[function_id(resources, module)]["Properties"]["Environment"]["Variables"]
        assert variables[constants.ENV_CA_KEY_ID] == {"Ref": key_id}
    for logical_id in of_type(resources, "AWS::Lambda::Function"):
        statements = [s for s in role_statements(resources, logical_id) if f"'{key_id}'" in repr(s["Resource"])]
        assert statements == [], f"{logical_id} is granted the CA key in its IAM policy"


def test_the_renewal_runs_on_a_schedule_and_reads_certificates_through_their_status_index(
    resources: dict[str, Any],
) -> None:
    renewal = function_id(resources, CERTIFICATE_RENEWAL.module)
    statements = role_statements(resources, renewal)
    certificates = table_id(resources, CERTIFICATES)

    queries = [s for s in statements if s["Action"] == "dynamodb:Query" and f"'{certificates}'" in repr(s["Resource"])]
    assert [s["Resource"]["Fn::Join"][1][-1] for s in queries] == [f"/index/{CERTIFICATES_BY_STATUS_INDEX}"]
    assert actions_on(statements, certificates) == {"dynamodb:Query", "dynamodb:UpdateItem"}
    schedules = of_type(resources, "AWS::Scheduler::Schedule").values()
    assert any(repr({"Fn::GetAtt": [renewal, "Arn"]}) in repr(s["Properties"]["Target"]) for s in schedules)
