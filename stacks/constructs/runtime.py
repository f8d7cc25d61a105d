"""The shared Lambda layer and a factory for the functions that use it."""

from collections.abc import Mapping
from pathlib import Path

from aws_cdk import AssetHashType, BundlingOptions, DockerImage, Duration
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct

from csms import constants
from csms.function_catalogue import LambdaFunction, Trigger
from stacks.layer_bundling import LayerBundling, bytecode_interpreter
from stacks.nag import acknowledge

PYTHON_RUNTIME = lambda_.Runtime.PYTHON_3_12
ARCHITECTURE = lambda_.Architecture.ARM_64
# pip platform tag of ARCHITECTURE's wheels (Lambda's Amazon Linux 2023 has glibc 2.34).
WHEEL_PLATFORM = "manylinux2014_aarch64"
_ASSET_EXCLUDES = ["__pycache__", "*.pyc", "README.md"]
# The alias of a SnapStart function's latest published version, which its triggers invoke.
LIVE_ALIAS = "live"


class FunctionRuntime(Construct):
    """One layer (`csms` + dependencies) and one code asset (`functions/`) for every function.

    Each function gets its own role with no policy but its log group and X-Ray: callers grant
    exactly the tables and APIs it needs. `functions` holds those made, by catalogue name.

    With `snap_start`, the functions someone waits on (`LambdaFunction.snap_start`) restore from a
    snapshot taken after their import when a version is published; SnapStart applies to published
    versions only, so their triggers must invoke the `LIVE_ALIAS` alias (`invoked`).
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        layers_dir: Path,
        functions_dir: Path,
        log_level: str,
        snap_start: bool = False,
    ) -> None:
        super().__init__(scope, construct_id)
        self._log_level = log_level
        self._snap_start = snap_start
        self.functions: dict[str, lambda_.Function] = {}
        self._live: dict[str, lambda_.Alias] = {}
        python_version = PYTHON_RUNTIME.name.removeprefix("python")
        self.layer = lambda_.LayerVersion(
            self,
            "CsmsLayer",
            description="csms package and its third-party runtime dependencies",
            code=lambda_.Code.from_asset(
                str(layers_dir),
                exclude=_ASSET_EXCLUDES,
                asset_hash_type=AssetHashType.SOURCE,
                bundling=BundlingOptions(
                    # Never pulled: local bundling always succeeds or raises.
                    image=DockerImage.from_registry("unused"),
                    # Not read by the local bundling, but hashed with the source into the asset's hash: a layer built
                    # with bytecode (`LayerBundling`) is another asset than one built without, from the same source.
                    environment={"LAYER_BYTECODE": str(bytecode_interpreter(python_version) is not None).lower()},
                    local=LayerBundling(
                        layers_dir,
                        platform=WHEEL_PLATFORM,
                        python_version=python_version,
                    ),
                ),
            ),
            compatible_runtimes=[PYTHON_RUNTIME],
            compatible_architectures=[ARCHITECTURE],
        )
        self._code = lambda_.Code.from_asset(str(functions_dir), exclude=_ASSET_EXCLUDES)

    def function(
        self,
        scope: Construct,
        construct_id: str,
        function: LambdaFunction[Trigger],
        *,
        environment: Mapping[str, str],
    ) -> lambda_.Function:
        """The catalogue's `function` (handler, description, timeout, memory); its trigger is the caller's."""
        role = iam.Role(
            scope,
            f"{construct_id}Role",
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            description=f"Execution role of {function.module}",
        )
        log_group = logs.LogGroup(scope, f"{construct_id}Logs", retention=logs.RetentionDays.ONE_MONTH)
        log_group.grant_write(role)
        acknowledge(
            role,
            "AwsSolutions-IAM5[Resource::*]",
            "Active tracing needs xray:PutTraceSegments and xray:PutTelemetryRecords, which support "
            "no resource-level permissions.",
        )
        snap_start = self._snap_start and function.snap_start
        created = lambda_.Function(
            scope,
            construct_id,
            description=function.description,
            runtime=PYTHON_RUNTIME,
            architecture=ARCHITECTURE,
            handler=function.handler,
            code=self._code,
            layers=[self.layer],
            role=role,
            log_group=log_group,
            tracing=lambda_.Tracing.ACTIVE,
            timeout=Duration.seconds(function.timeout_seconds),
            memory_size=function.memory_mb,
            environment={
                "POWERTOOLS_SERVICE_NAME": constants.POWERTOOLS_SERVICE_NAME,
                "POWERTOOLS_METRICS_NAMESPACE": constants.METRICS_NAMESPACE,
                "LOG_LEVEL": self._log_level,
                **environment,
            },
            snap_start=lambda_.SnapStartConf.ON_PUBLISHED_VERSIONS if snap_start else None,
        )
        self.functions[function.name] = created
        if snap_start:
            self._live[created.node.path] = lambda_.Alias(
                scope, f"{construct_id}Live", alias_name=LIVE_ALIAS, version=created.current_version
            )
        return created

    def invoked(self, function: lambda_.Function) -> lambda_.IFunction:
        """What a trigger of `function` invokes: the function, or with SnapStart the alias of its
        latest published version."""
        return self._live.get(function.node.path, function)
