"""The CSMS's charging-station CA: its KMS signing key, the functions that sign with it, and the renewal schedule.

The key is asymmetric (ECC_NIST_P256, SIGN_VERIFY): about $1 a month and $0.15 per 10,000 signatures, instead of
ACM Private CA's $400 a month. Its key policy lets exactly the signing functions sign (the message function issues
station certificates, the operator API self-signs the root the first time it is asked for) and denies kms:Sign to
every other principal, the account's administrators included, whatever their IAM policies say.

An operator may bring its own CA instead (`ImportedCa`): its existing key (whose key policy is the operator's: the
stack cannot change it) is granted to exactly the signing functions in their IAM policies, and its certificate is
given to every function as the root, which the CA checks against the key's public key before signing.
"""

from collections.abc import Mapping

from aws_cdk import RemovalPolicy
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from constructs import Construct

from csms import constants
from csms.function_catalogue import CERTIFICATE_RENEWAL
from csms.tables import CERTIFICATES, CERTIFICATES_BY_STATUS_INDEX, CHARGE_POINTS
from stacks.config import ImportedCa
from stacks.constructs.commands import Commands
from stacks.constructs.data import Data
from stacks.constructs.rate_schedule import RateSchedule
from stacks.constructs.runtime import FunctionRuntime

SIGNING_ACTIONS = ["kms:Sign"]
# Reading the public key (the root's SubjectPublicKeyInfo) and describing the key are not signing.
SIGNER_ACTIONS = ["kms:Sign", "kms:GetPublicKey", "kms:DescribeKey"]


class CertificateAuthority(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        organization: str,
        validity_days: int,
        renewal_window_days: int,
        imported: ImportedCa | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        self._imported = imported
        self.key = (
            kms.Key.from_key_arn(self, "ImportedSigningKey", imported.key_arn)
            if imported
            else kms.Key(
                self,
                "SigningKey",
                description="CSMS charging-station CA: signs station certificates and its own root (csms.pki)",
                key_spec=kms.KeySpec.ECC_NIST_P256,
                key_usage=kms.KeyUsage.SIGN_VERIFY,
                # Every certificate the CA issued verifies only against this key: never deleted with the stack.
                removal_policy=RemovalPolicy.RETAIN,
            )
        )
        self.environment: Mapping[str, str] = {
            constants.ENV_CA_KEY_ID: imported.key_arn if imported else self.key.key_id,
            constants.ENV_CA_CERTIFICATE: imported.certificate_pem if imported else "",
            constants.ENV_CERTIFICATE_ORGANIZATION: organization,
            constants.ENV_CERTIFICATE_VALIDITY_DAYS: str(validity_days),
            constants.ENV_CERTIFICATE_RENEWAL_WINDOW_DAYS: str(renewal_window_days),
        }

    def allow_signing(self, data: Data, *functions: lambda_.Function) -> None:
        """Let exactly `functions` sign (the key policy), and deny signing to every other principal; an imported
        key: grant `functions` alone in their IAM policies (its key policy is the operator's)."""
        for function in functions:
            data.grant_read_write(function, [CERTIFICATES])
        if self._imported is not None:
            for function in functions:
                self.key.grant(function, *SIGNER_ACTIONS)
            return
        roles = [function.role for function in functions if function.role is not None]
        role_arns = [role.role_arn for role in roles]
        self.key.add_to_resource_policy(
            iam.PolicyStatement(
                sid="SigningFunctionsSign",
                actions=SIGNER_ACTIONS,
                principals=[iam.ArnPrincipal(arn) for arn in role_arns],
                resources=["*"],
            )
        )
        self.key.add_to_resource_policy(
            iam.PolicyStatement(
                sid="NobodyElseSigns",
                effect=iam.Effect.DENY,
                actions=SIGNING_ACTIONS,
                principals=[iam.AnyPrincipal()],
                resources=["*"],
                conditions={"ArnNotEquals": {"aws:PrincipalArn": role_arns}},
            )
        )

    def schedule_renewal(
        self,
        scope: Construct,
        *,
        runtime: FunctionRuntime,
        data: Data,
        commands: Commands,
        environment: Mapping[str, str],
        rate_minutes: int,
    ) -> lambda_.Function:
        """The renewal run: Active certificates expiring within the window (the status index), their chargers,
        a TriggerMessage command each, the renewal claim and Expired status written on the certificate."""
        function = runtime.function(scope, "Renewal", CERTIFICATE_RENEWAL, environment=environment)
        data.grant_query_index(function, CERTIFICATES, CERTIFICATES_BY_STATUS_INDEX)
        data.grant_read(function, [CHARGE_POINTS])
        iam.Grant.add_to_principal(
            grantee=function, actions=["dynamodb:UpdateItem"], resource_arns=[data.tables[CERTIFICATES].table_arn]
        )
        commands.grant_submit(function)
        # A run that fails is made up by the next: the certificates still expire within the window.
        RateSchedule(
            scope,
            "RenewalSchedule",
            function=function,
            rate_minutes=rate_minutes,
            what=CERTIFICATE_RENEWAL.trigger.what,
        )
        return function
