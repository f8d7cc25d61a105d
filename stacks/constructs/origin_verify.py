"""The secret that proves a request came through CloudFront (the `x-origin-verify` header)."""

from aws_cdk import aws_secretsmanager as secretsmanager
from constructs import Construct

from stacks.nag import acknowledge


class OriginVerifySecret(Construct):
    """A generated secret, shared by the CloudFront origin header and the authorizer's environment.

    Tradeoff: `value` is a CloudFormation dynamic reference (`unsafe_unwrap`), resolved at deploy
    time into the distribution's origin header and the authorizer's environment, where anyone
    allowed to read that configuration can see it. Reading it from Secrets Manager at run time
    would keep it out of the configuration, but CloudFront can only send a static header and
    every `$connect` would pay a Secrets Manager call. The value only tells CloudFront's
    requests apart from direct calls to execute-api; charge points still authenticate.
    """

    def __init__(self, scope: Construct, construct_id: str) -> None:
        super().__init__(scope, construct_id)
        self.secret = secretsmanager.Secret(
            self,
            "Secret",
            description="x-origin-verify header value sent by CloudFront to the OCPP WebSocket API",
            generate_secret_string=secretsmanager.SecretStringGenerator(password_length=48, exclude_punctuation=True),
        )
        acknowledge(
            self.secret,
            "AwsSolutions-SMG4",
            "CloudFormation copies the value into the CloudFront origin header and the authorizer's "
            "environment only at deploy time, so a rotation by Secrets Manager would make them "
            "disagree and refuse every charge point; rotate by replacing the secret and redeploying.",
        )
        self.value = self.secret.secret_value.unsafe_unwrap()
