"""The FleetFiles bucket: what chargers upload (logs under `logs/`) and download (firmware under `firmware/`), only
through presigned URLs (`csms.domain.file_store`).

Private, S3-managed encryption, TLS only, versioning off (an upload lands once under its own key), access logged to
the stack's log bucket. Logs expire after `LOG_RETENTION_DAYS`; firmware images never do (campaigns and chargers
refer to them by id). Only the functions that presign get the bucket's
name, and each only the actions its URLs need on its prefixes: a presigned URL is worth exactly what its signer may
do. Where a presigned URL is too long for the OCPP field it goes in, such a function gives a short link instead
(`csms.domain.short_links`): it writes the link to the Idempotency table and names the operator API's URL, whose
function serves `/api/files/{token}` with its own grants (PutObject for an upload link, GetObject to presign a
download link's redirect), which the operator API has on every prefix whose URLs are shortened.
"""

from collections.abc import Mapping
from typing import cast

from aws_cdk import Duration, RemovalPolicy, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_s3 as s3
from constructs import Construct

from csms import constants
from csms.tables import IDEMPOTENCY
from stacks.constructs.data import Data
from stacks.nag import acknowledge

LOGS_PREFIX = "logs/"
FIRMWARE_PREFIX = "firmware/"  # `csms.firmware.models.KEY_PREFIX`
LOG_RETENTION_DAYS = 90
# Presigning a PUT needs s3:PutObject, a GET s3:GetObject (which HeadObject also needs: `FileStore.exists`).
UPLOAD_ACTIONS = ("s3:PutObject",)
DOWNLOAD_ACTIONS = ("s3:GetObject",)


class FleetFiles(Construct):
    def __init__(
        self, scope: Construct, construct_id: str, *, access_logs: s3.IBucket, data: Data, public_api_url: str
    ) -> None:
        """`public_api_url`: the operator API's, under which short links are served."""
        super().__init__(scope, construct_id)
        self._data = data
        self._public_api_url = public_api_url
        self.bucket = s3.Bucket(
            self,
            "Bucket",
            encryption=s3.BucketEncryption.S3_MANAGED,
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            enforce_ssl=True,
            server_access_logs_bucket=access_logs,
            server_access_logs_prefix="fleet-files/",
            lifecycle_rules=[
                s3.LifecycleRule(id="LogsExpire", prefix=LOGS_PREFIX, expiration=Duration.days(LOG_RETENTION_DAYS)),
                s3.LifecycleRule(id="AbortedUploads", abort_incomplete_multipart_upload_after=Duration.days(1)),
            ],
            # Logs are evidence an operator asked for, firmware images campaigns refer to: kept with the stack gone.
            removal_policy=RemovalPolicy.RETAIN,
        )

    @property
    def environment(self) -> Mapping[str, str]:
        return {constants.ENV_FLEET_FILES_BUCKET: self.bucket.bucket_name}

    def grant_presign(self, function: lambda_.Function, prefix: str, *, upload: bool, download: bool) -> None:
        """Let `function` presign URLs under `prefix` (and know the bucket), and give short links to them."""
        actions = (UPLOAD_ACTIONS if upload else ()) + (DOWNLOAD_ACTIONS if download else ())
        function.add_environment(constants.ENV_FLEET_FILES_BUCKET, self.bucket.bucket_name)
        function.add_environment(constants.ENV_PUBLIC_API_URL, self._public_api_url)
        self._data.grant_read_write(function, [IDEMPOTENCY])
        iam.Grant.add_to_principal(
            grantee=function, actions=list(actions), resource_arns=[self.bucket.arn_for_objects(f"{prefix}*")]
        )
        if function.role is None:
            raise ValueError(f"{function.node.path} has no execution role")
        bucket_id = Stack.of(self).resolve(cast(s3.CfnBucket, self.bucket.node.default_child).logical_id)
        acknowledge(
            function.role,
            f"AwsSolutions-IAM5[Resource::<{bucket_id}.Arn>/{prefix}*]",
            "Object keys (a charger's id and an upload id) are made at run time; the grant is limited to the "
            f"object actions its presigned URLs need, under {prefix} of this bucket.",
        )
