"""The CSMS stack: one construct per concern, wired together here."""

from pathlib import Path
from typing import Any

from aws_cdk import CfnOutput, Stack
from constructs import Construct

from csms import constants
from csms.tables import CERTIFICATES
from stacks.config import CsmsConfig
from stacks.constructs.billing import Billing
from stacks.constructs.campaigns import Campaigns
from stacks.constructs.certificate_authority import CertificateAuthority
from stacks.constructs.commands import Commands
from stacks.constructs.console import Console
from stacks.constructs.cost_updates import CostUpdates
from stacks.constructs.data import Data
from stacks.constructs.events import DomainEvents
from stacks.constructs.fleet_files import FIRMWARE_PREFIX, LOGS_PREFIX, FleetFiles
from stacks.constructs.monitoring import Monitoring
from stacks.constructs.ocpp_endpoint import OcppEndpoint
from stacks.constructs.ocpp_gateway import OcppGateway
from stacks.constructs.operator_api import OperatorApi
from stacks.constructs.origin_verify import OriginVerifySecret
from stacks.constructs.rebalancing import Rebalancing
from stacks.constructs.runtime import FunctionRuntime
from stacks.nag import acknowledge

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# The console's build (`npm ci && npm run build` in console/), unless the context names another.
CONSOLE_DIST = PROJECT_ROOT / "console" / "dist"


class CsmsStack(Stack):
    def __init__(self, scope: Construct, construct_id: str, *, config: CsmsConfig, **kwargs: Any) -> None:
        super().__init__(scope, construct_id, **kwargs)
        data = Data(self, "Data")
        runtime = FunctionRuntime(
            self,
            "Runtime",
            layers_dir=PROJECT_ROOT / "layers",
            functions_dir=PROJECT_ROOT / "functions",
            log_level=config.log_level,
            snap_start=config.snap_start,
        )
        environment = {
            **data.environment,
            constants.ENV_ACCEPT_UNKNOWN_CHARGE_POINTS: str(config.accept_unknown_charge_points).lower(),
            constants.ENV_HEARTBEAT_INTERVAL_SECONDS: str(config.heartbeat_interval_seconds),
            constants.ENV_COMMAND_TIMEOUT_SECONDS: str(config.command_timeout_seconds),
            constants.ENV_COMMAND_QUEUE_LIMIT: str(config.command_queue_limit),
        }
        certificate_authority = CertificateAuthority(
            self,
            "CertificateAuthority",
            organization=config.certificate_organization,
            validity_days=config.certificate_validity_days,
            renewal_window_days=config.certificate_renewal_window_days,
            imported=config.imported_ca,
        )
        environment.update(certificate_authority.environment)
        origin_verify = OriginVerifySecret(self, "OriginVerify")
        gateway = OcppGateway(
            self,
            "OcppGateway",
            runtime=runtime,
            data=data,
            environment=environment,
            origin_verify_secret=origin_verify.value,
        )
        endpoint = OcppEndpoint(
            self,
            "OcppEndpoint",
            gateway=gateway,
            origin_verify_value=origin_verify.value,
            custom_domain=config.custom_domain,
            viewer_mtls=config.viewer_mtls,
        )
        console = Console(self, "Console", log_bucket=endpoint.log_bucket)
        commands = Commands(self, "Commands", runtime=runtime, data=data, gateway=gateway, environment=environment)
        commands.grant_task_response(gateway.message_function)
        # A 2.0.1 session's start submits SetDisplayMessage with its tariff's text.
        commands.grant_submit(gateway.message_function)
        operator_api = OperatorApi(
            self,
            "OperatorApi",
            runtime=runtime,
            data=data,
            gateway=gateway,
            environment=environment,
            console_url=console.url,
        )
        console.publish(
            site=Path(config.console_dist) if config.console_dist else CONSOLE_DIST,
            api=operator_api,
            ocpp_url=endpoint.url,
        )
        commands.grant_submit(operator_api.function)
        fleet_files = FleetFiles(
            self, "FleetFiles", access_logs=endpoint.log_bucket, data=data, public_api_url=operator_api.url
        )
        # POST /api/chargers/{id}/logs presigns the charger's upload, GET the operators' downloads.
        fleet_files.grant_presign(operator_api.function, LOGS_PREFIX, upload=True, download=True)
        # POST /api/firmware presigns the image's upload; GET /api/firmware reads its size and MD5 (HeadObject).
        fleet_files.grant_presign(operator_api.function, FIRMWARE_PREFIX, upload=True, download=True)
        # A security profile upgrade sets this URL in a 2.0.1 charger's network profile.
        operator_api.function.add_environment(constants.ENV_CSMS_OCPP_URL, endpoint.url)
        # SignCertificate issues station certificates; GET /api/pki/ca self-signs the root the first time.
        certificate_authority.allow_signing(data, gateway.message_function, operator_api.function)
        # An accepted CertificateSigned supersedes the charger's earlier certificates (the worker records answers).
        data.grant_read_write(commands.worker, [CERTIFICATES])
        certificate_authority.schedule_renewal(
            certificate_authority,
            runtime=runtime,
            data=data,
            commands=commands,
            environment=environment,
            rate_minutes=config.certificate_renewal_rate_minutes,
        )
        domain_events = DomainEvents(self, "DomainEvents", runtime=runtime, data=data, environment=environment)
        rebalancing = Rebalancing(
            self,
            "Rebalancing",
            runtime=runtime,
            data=data,
            commands=commands,
            environment=environment,
            tick_minutes=config.site_tick_minutes,
        )
        # Stored changes that alter a site's picture request its rebalance; a charger's boot, joining or
        # leaving a site sends it the site's TxDefaultProfile (or clears it).
        rebalancing.grant_request(domain_events.function)
        commands.grant_submit(domain_events.function)
        campaigns = Campaigns(self, "Campaigns", runtime=runtime, data=data, commands=commands, environment=environment)
        # The API creates, resumes (a new execution) and reads campaigns (it reads and writes every table).
        campaigns.grant_start(operator_api.function)
        # A firmware campaign gives each charger a download URL of the image.
        fleet_files.grant_presign(campaigns.worker, FIRMWARE_PREFIX, upload=False, download=True)
        Billing(
            self,
            "Billing",
            runtime=runtime,
            data=data,
            environment=environment,
            rate_minutes=config.billing_rate_minutes,
        )
        CostUpdates(
            self,
            "CostUpdates",
            runtime=runtime,
            data=data,
            commands=commands,
            environment=environment,
            interval_minutes=config.cost_update_interval_minutes,
        )
        monitoring = Monitoring(
            self,
            "Monitoring",
            functions=runtime.functions,
            websocket_api=gateway.api,
            websocket_stage=gateway.stage.stage_name,
            http_api=operator_api.api,
            state_machine=commands.state_machine,
            command_steps=commands.queue,
            command_steps_dead_letters=commands.dead_letters,
            domain_events_dead_letters=domain_events.dead_letters,
            tables=data.tables,
            alarm_email=config.alarm_email,
            connection_drop_threshold=config.connection_drop_threshold,
        )

        CfnOutput(self, "OcppUrl", value=endpoint.url, description="Charge points connect to this URL + their id")
        if config.custom_domain:
            CfnOutput(
                self,
                "OcppDistributionDomainName",
                value=endpoint.distribution.distribution_domain_name,
                description=f"DNS target (CNAME or alias) of {config.custom_domain.domain_name}",
            )
        CfnOutput(self, "ConsoleUrl", value=console.url, description="Operator console (sign in with a Cognito user)")
        CfnOutput(self, "OperatorApiUrl", value=operator_api.url, description="Operator API base URL")
        CfnOutput(self, "UserPoolId", value=operator_api.user_pool.user_pool_id)
        CfnOutput(
            self,
            "OperatorClientId",
            value=operator_api.client.user_pool_client_id,
            description="Client credentials app client (its secret is in the Cognito console)",
        )
        CfnOutput(self, "TokenUrl", value=operator_api.token_url, description="OAuth2 token endpoint")
        CfnOutput(self, "DashboardUrl", value=monitoring.dashboard_url, description="CloudWatch dashboard")
        CfnOutput(
            self,
            "AlarmTopicArn",
            value=monitoring.topic.topic_arn,
            description="SNS topic of every alarm (context alarmEmail subscribes an address)",
        )
        CfnOutput(
            self,
            "EventBusName",
            value=domain_events.bus.event_bus_name,
            description="EventBridge bus of the domain events (source csms): attach rules to consume them",
        )

        acknowledge(
            self,
            "AwsSolutions-L1",
            "The project pins python3.12 for every function and for the layer's binary wheels "
            "(pydantic-core, rpds-py); a runtime upgrade rebuilds the layer for the new version and is "
            "made deliberately after testing, not whenever CDK learns of a newer runtime.",
        )
