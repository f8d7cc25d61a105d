"""The composition root: domain services wired to their adapters, once per process.

Every service and repository is built on first use, and its modules are imported then: a function
imports and builds only what its invocations use (the authorizer, the charge point's admission;
a billing run, billing), which keeps its cold start short (`bench.cold_import`).
"""

from __future__ import annotations

from datetime import timedelta
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING, Any, Protocol

import boto3

from csms import constants
from csms.adapters.connection_sender import ApiGatewayConnectionSender
from csms.adapters.eventbridge import EventBridgePublisher
from csms.adapters.kms_signer import KmsCertificateSigner
from csms.adapters.step_functions import StepFunctionsWorkflows
from csms.built_once import Lazy, built_once
from csms.settings import Settings, SettingsError, get_settings
from csms.timeutil import SystemClock

if TYPE_CHECKING:
    from csms.adapters.dynamodb.streams import DynamoDbStreamChanges
    from csms.billing.cost_updates import CostUpdateService
    from csms.billing.invoice_history import InvoiceHistory
    from csms.billing.invoices import BillingService, InvoiceRepository
    from csms.billing.overview import FleetOverview
    from csms.billing.tariff_display import TariffDisplay
    from csms.campaigns.administration import CampaignAdministration
    from csms.campaigns.ports import CampaignRepository
    from csms.campaigns.recovery import CampaignRecovery
    from csms.campaigns.workflow import CampaignWorkflow
    from csms.commands.answer_wait import AnswerWait
    from csms.commands.answers import CallAnswers
    from csms.commands.composite_schedules import CompositeSchedules
    from csms.commands.effects import AnswerEffects
    from csms.commands.executions import CommandExecutions
    from csms.commands.local_list import LocalListService
    from csms.commands.log_upload_progress import LogUploadProgress
    from csms.commands.log_uploads import LogUploads
    from csms.commands.password_rotation import PasswordRotation
    from csms.commands.ports import (
        CallRepository,
        CommandQueueRepository,
        CommandRepository,
        CommandWorkflows,
        WorkflowStarter,
    )
    from csms.commands.provisioning import Provisioning
    from csms.commands.queue import CommandQueue
    from csms.commands.recovery import CommandRecovery
    from csms.commands.service import CommandService
    from csms.commands.workflow import CommandWorkflow
    from csms.domain.admission import AdmissionService
    from csms.domain.authorization import AuthorizationService
    from csms.domain.charge_point_administration import ChargePointAdministration
    from csms.domain.charge_points import ChargePointService
    from csms.domain.charging_needs_service import ChargingNeedsService
    from csms.domain.charging_profiles.service import InstalledProfileService
    from csms.domain.configuration import ConfigurationService
    from csms.domain.file_store import FileStore
    from csms.domain.id_token_administration import IdTokenAdministration
    from csms.domain.local_lists import LocalListRepository
    from csms.domain.log_uploads import LogUploadRepository
    from csms.domain.notification_history import NotificationHistory
    from csms.domain.pending_passwords import PendingPasswordRepository
    from csms.domain.ports import (
        ChargePointRepository,
        Clock,
        ConfigurationRepository,
        ConnectionRepository,
        ConnectionSender,
        IdTokenRepository,
        InstalledProfileRepository,
        MeterValueRepository,
        ReservationRepository,
        SiteRepository,
        TariffRepository,
        TransactionRepository,
    )
    from csms.domain.provisioning import ProvisioningRepository
    from csms.domain.reservations import ReservationService
    from csms.domain.security_event_log import SecurityEventLog
    from csms.domain.security_events import SecurityEventRepository
    from csms.domain.security_profiles import SecurityProfiles
    from csms.domain.session_ends import SessionEnds
    from csms.domain.short_links import LinkedFiles, ShortLinkRepository
    from csms.domain.site_administration import SiteAdministration
    from csms.domain.tariff_administration import TariffAdministration
    from csms.domain.transaction_history import TransactionHistory
    from csms.domain.transactions import TransactionService
    from csms.domain.wrong_passwords import FailureCounter, WrongPasswords
    from csms.domain_events.ports import EventPublisher
    from csms.domain_events.service import DomainEventService
    from csms.firmware.ports import FirmwareRepository
    from csms.firmware.publishing import FirmwarePublishing
    from csms.firmware.registry import FirmwareRegistry
    from csms.local_lists.sync import LocalListSync
    from csms.local_lists.triggers import LocalListTriggers
    from csms.pki.authority import CertificateAuthority
    from csms.pki.client_certificates import ClientCertificates
    from csms.pki.installed_certificates import InstalledCertificateService
    from csms.pki.ports import CertificateRepository, CertificateSigner, InstalledCertificateRepository
    from csms.pki.profile_upgrades import ProfileUpgradeRepository
    from csms.pki.renewal import CertificateRenewal
    from csms.pki.security_profile_upgrade import SecurityProfileUpgrades
    from csms.pki.service import CertificateService
    from csms.rebalancing.allocation_reports import AllocationReports
    from csms.rebalancing.default_profile import SiteDefaultProfiles
    from csms.rebalancing.measured_currents import MeasuredCurrents
    from csms.rebalancing.ports import AllocationRepository, RebalanceStateRepository
    from csms.rebalancing.requests import RebalanceRequests
    from csms.rebalancing.site_tick import SiteTick
    from csms.rebalancing.workflow import RebalanceWorkflow
    from csms.users.administration import UserAdministration
    from csms.users.directory import UserDirectory


class Repositories(Protocol):
    """Every port the services store through: the DynamoDB adapters (and Cognito's user directory), or the
    in-memory fakes in tests."""

    @property
    def charge_points(self) -> ChargePointRepository: ...
    @property
    def connections(self) -> ConnectionRepository: ...
    @property
    def id_tokens(self) -> IdTokenRepository: ...
    @property
    def transactions(self) -> TransactionRepository: ...
    @property
    def meter_values(self) -> MeterValueRepository: ...
    @property
    def calls(self) -> CallRepository: ...
    @property
    def command_queues(self) -> CommandQueueRepository: ...
    @property
    def commands(self) -> CommandRepository: ...
    @property
    def configuration(self) -> ConfigurationRepository: ...
    @property
    def installed_profiles(self) -> InstalledProfileRepository: ...
    @property
    def reservations(self) -> ReservationRepository: ...
    @property
    def tariffs(self) -> TariffRepository: ...
    @property
    def sites(self) -> SiteRepository: ...
    @property
    def invoices(self) -> InvoiceRepository: ...
    @property
    def rebalance_states(self) -> RebalanceStateRepository: ...
    @property
    def allocations(self) -> AllocationRepository: ...
    @property
    def users(self) -> UserDirectory: ...
    @property
    def security_events(self) -> SecurityEventRepository: ...
    @property
    def wrong_password_counter(self) -> FailureCounter: ...
    @property
    def certificates(self) -> CertificateRepository: ...
    @property
    def installed_certificates(self) -> InstalledCertificateRepository: ...
    @property
    def pending_passwords(self) -> PendingPasswordRepository: ...
    @property
    def provisioning(self) -> ProvisioningRepository: ...
    @property
    def local_lists(self) -> LocalListRepository: ...
    @property
    def files(self) -> FileStore: ...
    @property
    def short_links(self) -> ShortLinkRepository: ...
    @property
    def log_uploads(self) -> LogUploadRepository: ...
    @property
    def profile_upgrades(self) -> ProfileUpgradeRepository: ...
    @property
    def campaigns(self) -> CampaignRepository: ...
    @property
    def firmware(self) -> FirmwareRepository: ...


class Services(Lazy):
    """The domain services, each built on first use; tests compose them over fakes (`compose`)."""

    def __init__(
        self,
        settings: Settings,
        repositories: Repositories,
        sender: ConnectionSender,
        clock: Clock,
        workflows: CommandWorkflows,
        publisher: EventPublisher,
        rebalances: WorkflowStarter,
        signer: CertificateSigner,
        campaigns: CommandWorkflows,
    ) -> None:
        """`campaigns`: the campaign state machine (started by the API, its tokens completed by its worker)."""
        super().__init__()
        self.settings = settings
        self.clock = clock
        self.sender = sender
        self._repositories = repositories
        self._workflows = workflows
        self._publisher = publisher
        self._rebalances = rebalances
        self._signer = signer
        self._campaigns = campaigns

    # The OCPP edge: connections, sessions, the charge point's answers

    @built_once
    def admission(self) -> AdmissionService:
        from csms.domain.admission import AdmissionService  # noqa: PLC0415

        return AdmissionService(
            self._repositories.charge_points,
            self.settings.accept_unknown_charge_points,
            self.wrong_passwords,
            self.security_events,
            lambda: self.client_certificates,
            self._repositories.pending_passwords,
        )

    @built_once
    def security_profiles(self) -> SecurityProfiles:
        from csms.domain.security_profiles import SecurityProfiles  # noqa: PLC0415

        return SecurityProfiles(self._repositories.charge_points)

    @built_once
    def client_certificates(self) -> ClientCertificates:
        from csms.pki.client_certificates import ClientCertificates  # noqa: PLC0415

        return ClientCertificates(
            self._repositories.certificates, lambda: self._certificate_authority.root().pem, self.clock
        )

    @built_once
    def wrong_passwords(self) -> WrongPasswords:
        from csms.domain.wrong_passwords import WrongPasswords  # noqa: PLC0415

        return WrongPasswords(self._repositories.wrong_password_counter, self.security_events, self.clock)

    @built_once
    def authorization(self) -> AuthorizationService:
        from csms.domain.authorization import AuthorizationService  # noqa: PLC0415

        return AuthorizationService(self._repositories.id_tokens, self.clock)

    @built_once
    def charge_points(self) -> ChargePointService:
        from csms.domain.charge_points import ChargePointService  # noqa: PLC0415

        repositories = self._repositories
        return ChargePointService(
            repositories.charge_points, repositories.connections, self.sender, self.clock, self._session_ends
        )

    @built_once
    def transactions(self) -> TransactionService:
        from csms.domain.tariff_resolution import TariffResolver  # noqa: PLC0415
        from csms.domain.transactions import TransactionService  # noqa: PLC0415

        repositories = self._repositories
        return TransactionService(
            repositories.transactions,
            repositories.meter_values,
            self._session_ends,
            self.authorization,
            self.reservations,
            TariffResolver(repositories.tariffs, repositories.id_tokens, repositories.charge_points),
        )

    @built_once
    def configuration(self) -> ConfigurationService:
        from csms.domain.configuration import ConfigurationService  # noqa: PLC0415

        return ConfigurationService(self._repositories.configuration, self.clock)

    @built_once
    def reservations(self) -> ReservationService:
        from csms.domain.reservations import ReservationService  # noqa: PLC0415

        return ReservationService(self._repositories.reservations, self.clock)

    @built_once
    def installed_profiles(self) -> InstalledProfileService:
        from csms.domain.charging_profiles.service import InstalledProfileService  # noqa: PLC0415

        repositories = self._repositories
        return InstalledProfileService(repositories.installed_profiles, repositories.transactions, self.clock)

    @built_once
    def charging_needs(self) -> ChargingNeedsService:
        from csms.domain.charging_needs_service import ChargingNeedsService  # noqa: PLC0415

        repositories = self._repositories
        return ChargingNeedsService(repositories.charge_points, repositories.transactions, repositories.meter_values)

    @built_once
    def local_list(self) -> LocalListService:
        from csms.commands.local_list import LocalListService  # noqa: PLC0415

        return LocalListService(self._repositories.charge_points, self._repositories.id_tokens)

    @built_once
    def security_events(self) -> SecurityEventLog:
        from csms.domain.security_event_log import SecurityEventLog  # noqa: PLC0415

        return SecurityEventLog(self._repositories.security_events, self.clock)

    @built_once
    def call_answers(self) -> CallAnswers:
        from csms.commands.answers import CallAnswers  # noqa: PLC0415

        return CallAnswers(self._repositories.calls, self._command_queue, self._workflows, self.clock)

    # Commands to charge points

    @built_once
    def commands(self) -> CommandService:
        from csms.commands.service import CommandService, CommandTimeouts  # noqa: PLC0415

        settings = self.settings
        return CommandService(
            self._repositories.commands,
            self._repositories.charge_points,
            self._command_executions,
            self.clock,
            CommandTimeouts(
                follow_up_seconds=settings.command_follow_up_timeout_seconds,
                firmware_seconds=settings.firmware_update_timeout_seconds,
            ),
            self._command_queue,
            self.local_list,
        )

    @built_once
    def composite_schedules(self) -> CompositeSchedules:
        from csms.commands.composite_schedules import CompositeSchedules  # noqa: PLC0415

        return CompositeSchedules(self.commands, self._repositories.charge_points, self._answer_wait)

    @built_once
    def _answer_wait(self) -> AnswerWait:
        from csms.commands.answer_wait import AnswerWait  # noqa: PLC0415

        return AnswerWait(self.commands, self.clock)

    @built_once
    def command_workflow(self) -> CommandWorkflow:
        from csms.commands.follow_ups import FollowUps  # noqa: PLC0415
        from csms.commands.workflow import CommandWorkflow  # noqa: PLC0415

        repositories = self._repositories
        return CommandWorkflow(
            repositories.commands,
            repositories.calls,
            self._command_queue,
            repositories.charge_points,
            self.charge_points,
            FollowUps(repositories.charge_points, repositories.transactions),
            self.sender,
            self._workflows,
            self.clock,
            self.settings.command_poll_interval_seconds,
            self._answer_effects,
        )

    @built_once
    def _answer_effects(self) -> AnswerEffects:
        """What answers change, the CA's and the password rotation's included (each service built at its first
        answer)."""
        from csms.commands.effects import AnswerEffects  # noqa: PLC0415
        from csms.pki.installed_certificates import (  # noqa: PLC0415
            DELETE_CERTIFICATE,
            GET_INSTALLED_CERTIFICATE_IDS,
            INSTALL_CERTIFICATE,
        )
        from csms.pki.profile_upgrades import UPGRADE_ACTIONS  # noqa: PLC0415

        effects = AnswerEffects(self.configuration, self.reservations, self.installed_profiles, self.clock)
        effects.on_accepted(
            "CertificateSigned", lambda command, _response: self.certificates.certificate_installed(command)
        )
        effects.on_answered("CertificateSigned", lambda c, r: self.certificates.certificate_answered(c, r))  # noqa: PLW0108
        effects.on_failed("CertificateSigned", lambda c, e: self.certificates.certificate_not_sent(c, e))  # noqa: PLW0108
        # Lambdas, so that each service is built (and its modules imported) at its first answer.
        for action in (INSTALL_CERTIFICATE, DELETE_CERTIFICATE, GET_INSTALLED_CERTIFICATE_IDS):
            effects.on_answered(action, lambda c, r: self.installed_certificates.on_answer(c, r))  # noqa: PLW0108
        for action in UPGRADE_ACTIONS:
            effects.on_answered(action, lambda c, r: self.security_profile_upgrades.answered(c, r))  # noqa: PLW0108
            effects.on_failed(action, lambda c, e: self.security_profile_upgrades.failed(c, e))  # noqa: PLW0108
        for action in ("ChangeConfiguration", "SetVariables"):
            effects.on_answered(action, lambda c, r: self.password_rotation.answered(c, r))  # noqa: PLW0108
            effects.on_failed(action, lambda c, e: self.password_rotation.failed(c, e))  # noqa: PLW0108
            effects.on_answered(action, lambda c, r: self.provisioning.answered(c, r))  # noqa: PLW0108
            effects.on_failed(action, lambda c, e: self.provisioning.failed(c, e))  # noqa: PLW0108
        for action in ("SendLocalList", "GetLocalListVersion", "GetConfiguration", "GetVariables"):
            effects.on_answered(action, lambda c, r: self.local_list_sync.answered(c, r))  # noqa: PLW0108
            effects.on_failed(action, lambda c, e: self.local_list_sync.failed(c, e))  # noqa: PLW0108
        for action in ("GetDiagnostics", "GetLog"):
            effects.on_answered(action, lambda c, r: self.log_upload_progress.answered(c, r))  # noqa: PLW0108
            effects.on_failed(action, lambda c, e: self.log_upload_progress.failed(c, e))  # noqa: PLW0108
        return effects

    @built_once
    def log_uploads(self) -> LogUploads:
        """Asking chargers for their logs and listing the uploads (the functions that presign: the operator API)."""
        from csms.commands.log_uploads import LogUploads  # noqa: PLC0415

        repositories = self._repositories
        return LogUploads(
            repositories.log_uploads, repositories.charge_points, self.commands, repositories.files, self.clock
        )

    @built_once
    def linked_files(self) -> LinkedFiles:
        """What short file links let their holders do (`/api/files/{token}`)."""
        from csms.domain.short_links import LinkedFiles, ShortLinks  # noqa: PLC0415

        links = ShortLinks(self._repositories.short_links, self.settings.public_api_url, self.clock)
        return LinkedFiles(links, self._repositories.files)

    @built_once
    def log_upload_progress(self) -> LogUploadProgress:
        """The uploads' answers and status notifications (no file URLs: the message function and the worker)."""
        from csms.commands.log_upload_progress import LogUploadProgress  # noqa: PLC0415

        return LogUploadProgress(self._repositories.log_uploads, self.clock)

    @built_once
    def provisioning(self) -> Provisioning:
        from csms.commands.provisioning import Provisioning  # noqa: PLC0415

        repositories = self._repositories
        return Provisioning(
            repositories.provisioning, repositories.charge_points, repositories.sites, self.commands, self.clock
        )

    @built_once
    def local_list_sync(self) -> LocalListSync:
        from csms.local_lists.sync import LocalListSync  # noqa: PLC0415

        repositories = self._repositories
        return LocalListSync(
            repositories.local_lists,
            repositories.charge_points,
            repositories.sites,
            repositories.id_tokens,
            repositories.configuration,
            self.commands,
            self.clock,
        )

    @built_once
    def local_list_triggers(self) -> LocalListTriggers:
        from csms.local_lists.triggers import LocalListTriggers  # noqa: PLC0415

        return LocalListTriggers(self.local_list_sync, self._repositories.charge_points)

    @built_once
    def password_rotation(self) -> PasswordRotation:
        from csms.commands.password_rotation import PasswordRotation  # noqa: PLC0415

        repositories = self._repositories
        return PasswordRotation(repositories.charge_points, repositories.pending_passwords, self.commands, self.clock)

    @built_once
    def installed_certificates(self) -> InstalledCertificateService:
        from csms.pki.installed_certificates import InstalledCertificateService  # noqa: PLC0415

        repositories = self._repositories
        return InstalledCertificateService(
            repositories.installed_certificates,
            repositories.charge_points,
            self.commands,
            self._answer_wait,
            self.clock,
        )

    @built_once
    def command_recovery(self) -> CommandRecovery:
        """The commands whose workflows stopped with `csms local` (see `recover_after_restart`)."""
        from csms.commands.recovery import CommandRecovery  # noqa: PLC0415

        return CommandRecovery(self._repositories.commands, self._command_queue, self._command_executions, self.clock)

    def recover_after_restart(self) -> None:
        """What `csms local` runs at its start: the commands, then the campaigns, whose workflows stopped with it
        (the commands first: their queues rejoined before a campaign's execution submits anything)."""
        self.command_recovery.recover()
        self.campaign_recovery.recover()

    # The CA

    @built_once
    def certificates(self) -> CertificateService:
        from csms.pki.service import CertificateService  # noqa: PLC0415

        return CertificateService(
            self._certificate_authority,
            self._repositories.certificates,
            self.commands,
            self.security_events,
            self.clock,
            self.settings.certificate_organization,
            self.charge_point_administration.sign_out,
        )

    @built_once
    def security_profile_upgrades(self) -> SecurityProfileUpgrades:
        from csms.pki.security_profile_upgrade import SecurityProfileUpgrades  # noqa: PLC0415

        repositories = self._repositories
        return SecurityProfileUpgrades(
            repositories.profile_upgrades,
            repositories.charge_points,
            self.certificates,
            self.installed_certificates,
            self.commands,
            self.clock,
            self.settings.csms_ocpp_url,
        )

    @built_once
    def certificate_renewal(self) -> CertificateRenewal:
        from csms.pki.renewal import CertificateRenewal  # noqa: PLC0415

        repositories = self._repositories
        return CertificateRenewal(
            repositories.certificates,
            repositories.charge_points,
            self.commands,
            self.clock,
            timedelta(days=self.settings.certificate_renewal_window_days),
        )

    @built_once
    def _certificate_authority(self) -> CertificateAuthority:
        from csms.pki.authority import CertificateAuthority, CertificateProfile  # noqa: PLC0415

        settings = self.settings
        profile = CertificateProfile(
            settings.certificate_organization, timedelta(days=settings.certificate_validity_days)
        )
        return CertificateAuthority(
            self._signer, self._repositories.certificates, self.clock, profile, settings.ca_certificate or None
        )

    # Billing

    @built_once
    def billing(self) -> BillingService:
        from csms.billing.invoices import BillingService  # noqa: PLC0415

        return BillingService(self._repositories.invoices, self.clock)

    @built_once
    def tariff_display(self) -> TariffDisplay:
        from csms.billing.tariff_display import TariffDisplay  # noqa: PLC0415

        return TariffDisplay(self.commands)

    @built_once
    def cost_updates(self) -> CostUpdateService:
        from csms.billing.cost_updates import CostUpdateService  # noqa: PLC0415

        repositories = self._repositories
        return CostUpdateService(
            repositories.transactions,
            repositories.meter_values,
            repositories.charge_points,
            repositories.configuration,
            self.commands,
            self.clock,
            timedelta(seconds=self.settings.cost_update_interval_seconds),
        )

    # Domain events

    @built_once
    def stream_changes(self) -> DynamoDbStreamChanges:
        """Stream records are DynamoDB's wherever the services run, and decoding them needs no client."""
        from csms.adapters.dynamodb.streams import DynamoDbStreamChanges  # noqa: PLC0415

        return DynamoDbStreamChanges(self.settings.table_name)

    @built_once
    def domain_events(self) -> DomainEventService:
        from csms.domain_events.service import DomainEventService  # noqa: PLC0415

        return DomainEventService(self._publisher)

    # Load balancing

    @built_once
    def rebalance_requests(self) -> RebalanceRequests:
        from csms.rebalancing.requests import RebalanceRequests  # noqa: PLC0415

        repositories = self._repositories
        return RebalanceRequests(
            repositories.rebalance_states, self._rebalances, repositories.charge_points, self.clock
        )

    @built_once
    def site_default_profiles(self) -> SiteDefaultProfiles:
        from csms.rebalancing.default_profile import SiteDefaultProfiles  # noqa: PLC0415

        return SiteDefaultProfiles(self.commands, self._repositories.installed_profiles)

    @built_once
    def rebalance_workflow(self) -> RebalanceWorkflow:
        from csms.domain.charging_priority import ChargingPriorities  # noqa: PLC0415
        from csms.rebalancing.picture import SitePictures  # noqa: PLC0415
        from csms.rebalancing.site_tick import look_ahead  # noqa: PLC0415
        from csms.rebalancing.workflow import RebalanceWorkflow  # noqa: PLC0415

        repositories = self._repositories
        return RebalanceWorkflow(
            self.rebalance_requests,
            repositories.sites,
            repositories.charge_points,
            SitePictures(
                repositories.charge_points,
                repositories.transactions,
                repositories.installed_profiles,
                ChargingPriorities(repositories.id_tokens),
                repositories.meter_values,
            ),
            repositories.allocations,
            self._measured_currents,
            self.commands,
            repositories.commands,
            self._workflows,
            self.clock,
            self.settings.command_poll_interval_seconds,
            look_ahead(self._site_tick_interval),
        )

    @built_once
    def site_tick(self) -> SiteTick:
        from csms.rebalancing.site_tick import SiteTick  # noqa: PLC0415

        repositories = self._repositories
        return SiteTick(
            repositories.sites,
            repositories.allocations,
            repositories.charge_points,
            self.rebalance_requests,
            self.clock,
            self._site_tick_interval,
        )

    @property
    def _site_tick_interval(self) -> timedelta:
        return timedelta(seconds=self.settings.site_tick_interval_seconds)

    # Campaigns

    @built_once
    def campaign_administration(self) -> CampaignAdministration:
        from csms.campaigns.administration import CampaignAdministration  # noqa: PLC0415

        repositories = self._repositories
        return CampaignAdministration(
            repositories.campaigns,
            repositories.charge_points,
            self._campaigns,
            self.clock,
            repositories.firmware,
            repositories.files,
        )

    @built_once
    def campaign_workflow(self) -> CampaignWorkflow:
        from csms.campaigns.firmware_updates import FirmwareUpdates  # noqa: PLC0415
        from csms.campaigns.workflow import CampaignWorkflow  # noqa: PLC0415

        repositories = self._repositories
        return CampaignWorkflow(
            repositories.campaigns,
            repositories.charge_points,
            self.commands,
            repositories.commands,
            self._campaigns,
            self.clock,
            self.settings.command_poll_interval_seconds,
            repositories.firmware,
            FirmwareUpdates(
                repositories.files,
                repositories.charge_points,
                repositories.configuration,
                self.clock,
                timedelta(seconds=self.settings.firmware_update_timeout_seconds),
            ),
        )

    @built_once
    def campaign_recovery(self) -> CampaignRecovery:
        from csms.campaigns.recovery import CampaignRecovery  # noqa: PLC0415

        return CampaignRecovery(self._repositories.campaigns, self.campaign_workflow)

    @built_once
    def firmware_registry(self) -> FirmwareRegistry:
        from csms.firmware.registry import FirmwareRegistry  # noqa: PLC0415

        return FirmwareRegistry(self._repositories.firmware, self._repositories.files, self.clock)

    @built_once
    def firmware_publishing(self) -> FirmwarePublishing:
        """PublishFirmware / UnpublishFirmware of a registered image (2.0.1 local controllers)."""
        from csms.firmware.publishing import FirmwarePublishing  # noqa: PLC0415

        return FirmwarePublishing(
            self.firmware_registry,
            self._repositories.charge_points,
            self.commands,
            self._repositories.files,
            download_validity=timedelta(seconds=self.settings.firmware_update_timeout_seconds),
        )

    # What the operator API does (`csms.api.routes` call nothing else)

    @built_once
    def charge_point_administration(self) -> ChargePointAdministration:
        from csms.domain.charge_point_administration import ChargePointAdministration  # noqa: PLC0415

        return ChargePointAdministration(
            self._repositories.charge_points,
            self.tariff_administration,
            self.site_administration,
            self.sender,
            self.clock,
            self.settings.accept_unknown_charge_points,
            self._repositories.pending_passwords,
        )

    @built_once
    def id_token_administration(self) -> IdTokenAdministration:
        from csms.domain.id_token_administration import IdTokenAdministration  # noqa: PLC0415

        return IdTokenAdministration(self._repositories.id_tokens, self.tariff_administration)

    @built_once
    def tariff_administration(self) -> TariffAdministration:
        from csms.domain.tariff_administration import TariffAdministration  # noqa: PLC0415

        return TariffAdministration(self._repositories.tariffs)

    @built_once
    def site_administration(self) -> SiteAdministration:
        from csms.domain.site_administration import SiteAdministration  # noqa: PLC0415

        return SiteAdministration(self._repositories.sites, self._repositories.charge_points, self.clock)

    @built_once
    def allocation_reports(self) -> AllocationReports:
        from csms.rebalancing.allocation_reports import AllocationReports  # noqa: PLC0415

        return AllocationReports(self.site_administration, self._repositories.allocations, self._measured_currents)

    @built_once
    def transaction_history(self) -> TransactionHistory:
        from csms.domain.transaction_history import TransactionHistory  # noqa: PLC0415

        return TransactionHistory(self._repositories.transactions, self._repositories.meter_values, self.clock)

    @built_once
    def notification_history(self) -> NotificationHistory:
        from csms.domain.notification_history import NotificationHistory  # noqa: PLC0415

        return NotificationHistory(self._repositories.charge_points)

    @built_once
    def overview(self) -> FleetOverview:
        from csms.billing.overview import FleetOverview  # noqa: PLC0415

        repositories = self._repositories
        return FleetOverview(repositories.charge_points, repositories.transactions, repositories.invoices, self.clock)

    @built_once
    def invoice_history(self) -> InvoiceHistory:
        from csms.billing.invoice_history import InvoiceHistory  # noqa: PLC0415

        return InvoiceHistory(self._repositories.invoices)

    @built_once
    def user_administration(self) -> UserAdministration:
        from csms.users.administration import UserAdministration  # noqa: PLC0415

        return UserAdministration(self._repositories.users)

    # Shared by several services

    @built_once
    def _session_ends(self) -> SessionEnds:
        from csms.domain.session_ends import SessionEnds  # noqa: PLC0415

        repositories = self._repositories
        return SessionEnds(
            repositories.transactions, repositories.meter_values, repositories.charge_points, self.installed_profiles
        )

    @built_once
    def _measured_currents(self) -> MeasuredCurrents:
        from csms.rebalancing.measured_currents import MeasuredCurrents  # noqa: PLC0415

        return MeasuredCurrents(self._repositories.meter_values)

    @built_once
    def _command_executions(self) -> CommandExecutions:
        from csms.commands.executions import CommandExecutions  # noqa: PLC0415

        return CommandExecutions(
            self._repositories.commands,
            self._workflows,
            self._command_queue,
            self.clock,
            self.settings.command_timeout_seconds,
        )

    @built_once
    def _command_queue(self) -> CommandQueue:
        from csms.commands.queue import CommandQueue  # noqa: PLC0415

        return CommandQueue(
            self._repositories.command_queues, self._workflows, self.clock, self.settings.command_queue_limit
        )


def compose(
    settings: Settings,
    repositories: Repositories,
    sender: ConnectionSender,
    clock: Clock,
    workflows: CommandWorkflows,
    publisher: EventPublisher,
    rebalances: WorkflowStarter,
    signer: CertificateSigner,
    campaigns: CommandWorkflows,
) -> Services:
    """Wire the domain services; tests call this with fakes. `rebalances` starts the rebalance workflow,
    `campaigns` the campaign workflow."""
    return Services(settings, repositories, sender, clock, workflows, publisher, rebalances, signer, campaigns)


class DynamoDbRepositories(Lazy):
    """The DynamoDB adapters, each built on first use."""

    def __init__(self, settings: Settings) -> None:
        super().__init__()
        self._settings = settings

    @cached_property
    def _dynamodb(self) -> Any:
        return boto3.resource("dynamodb")

    def _table(self, name: str) -> Any:
        return self._dynamodb.Table(name)

    @built_once
    def charge_points(self) -> ChargePointRepository:
        from csms.adapters.dynamodb.charge_points import DynamoDbChargePointRepository  # noqa: PLC0415

        return DynamoDbChargePointRepository(self._table(self._settings.charge_points_table))

    @built_once
    def connections(self) -> ConnectionRepository:
        from csms.adapters.dynamodb.connections import DynamoDbConnectionRepository  # noqa: PLC0415

        return DynamoDbConnectionRepository(self._table(self._settings.connections_table))

    @built_once
    def id_tokens(self) -> IdTokenRepository:
        from csms.adapters.dynamodb.id_tokens import DynamoDbIdTokenRepository  # noqa: PLC0415

        return DynamoDbIdTokenRepository(self._table(self._settings.id_tokens_table))

    @built_once
    def transactions(self) -> TransactionRepository:
        from csms.adapters.dynamodb.transactions import DynamoDbTransactionRepository  # noqa: PLC0415

        settings = self._settings
        return DynamoDbTransactionRepository(
            self._table(settings.transactions_table), self._table(settings.idempotency_table)
        )

    @built_once
    def meter_values(self) -> MeterValueRepository:
        from csms.adapters.dynamodb.meter_values import DynamoDbMeterValueRepository  # noqa: PLC0415

        return DynamoDbMeterValueRepository(self._table(self._settings.meter_values_table))

    @built_once
    def calls(self) -> CallRepository:
        from csms.adapters.dynamodb.calls import DynamoDbCallRepository  # noqa: PLC0415

        return DynamoDbCallRepository(self._table(self._settings.calls_table))

    @built_once
    def command_queues(self) -> CommandQueueRepository:
        from csms.adapters.dynamodb.command_queue import DynamoDbCommandQueueRepository  # noqa: PLC0415

        return DynamoDbCommandQueueRepository(self._table(self._settings.calls_table))

    @built_once
    def commands(self) -> CommandRepository:
        from csms.adapters.dynamodb.commands import DynamoDbCommandRepository  # noqa: PLC0415

        return DynamoDbCommandRepository(self._table(self._settings.commands_table))

    @built_once
    def configuration(self) -> ConfigurationRepository:
        from csms.adapters.dynamodb.configuration import DynamoDbConfigurationRepository  # noqa: PLC0415

        return DynamoDbConfigurationRepository(self._table(self._settings.charge_points_table))

    @built_once
    def installed_profiles(self) -> InstalledProfileRepository:
        from csms.adapters.dynamodb.installed_profiles import DynamoDbInstalledProfileRepository  # noqa: PLC0415

        return DynamoDbInstalledProfileRepository(self._table(self._settings.charge_points_table))

    @built_once
    def reservations(self) -> ReservationRepository:
        from csms.adapters.dynamodb.reservations import DynamoDbReservationRepository  # noqa: PLC0415

        return DynamoDbReservationRepository(self._table(self._settings.reservations_table))

    @built_once
    def tariffs(self) -> TariffRepository:
        from csms.adapters.dynamodb.tariffs import DynamoDbTariffRepository  # noqa: PLC0415

        return DynamoDbTariffRepository(self._table(self._settings.tariffs_table))

    @built_once
    def sites(self) -> SiteRepository:
        from csms.adapters.dynamodb.sites import DynamoDbSiteRepository  # noqa: PLC0415

        return DynamoDbSiteRepository(self._table(self._settings.sites_table))

    @built_once
    def invoices(self) -> InvoiceRepository:
        from csms.adapters.dynamodb.invoices import DynamoDbInvoiceRepository  # noqa: PLC0415

        settings = self._settings
        return DynamoDbInvoiceRepository(
            self._table(settings.invoices_table),
            self._table(settings.transactions_table),
            self._table(settings.idempotency_table),
        )

    @built_once
    def rebalance_states(self) -> RebalanceStateRepository:
        from csms.adapters.dynamodb.load_balancing import DynamoDbRebalanceStates  # noqa: PLC0415

        return DynamoDbRebalanceStates(self._table(self._settings.load_balancing_table))

    @built_once
    def allocations(self) -> AllocationRepository:
        from csms.adapters.dynamodb.load_balancing import DynamoDbAllocations  # noqa: PLC0415

        return DynamoDbAllocations(self._table(self._settings.load_balancing_table))

    @built_once
    def security_events(self) -> SecurityEventRepository:
        from csms.adapters.dynamodb.security_events import DynamoDbSecurityEventRepository  # noqa: PLC0415

        return DynamoDbSecurityEventRepository(self._table(self._settings.security_events_table))

    @built_once
    def wrong_password_counter(self) -> FailureCounter:
        from csms.adapters.dynamodb.wrong_passwords import DynamoDbFailureCounter  # noqa: PLC0415

        return DynamoDbFailureCounter(self._table(self._settings.idempotency_table))

    @built_once
    def certificates(self) -> CertificateRepository:
        from csms.adapters.dynamodb.certificates import DynamoDbCertificateRepository  # noqa: PLC0415

        return DynamoDbCertificateRepository(self._table(self._settings.certificates_table))

    @built_once
    def installed_certificates(self) -> InstalledCertificateRepository:
        from csms.adapters.dynamodb.installed_certificates import (  # noqa: PLC0415
            DynamoDbInstalledCertificateRepository,
        )

        return DynamoDbInstalledCertificateRepository(self._table(self._settings.charge_points_table))

    @built_once
    def pending_passwords(self) -> PendingPasswordRepository:
        from csms.adapters.dynamodb.pending_passwords import DynamoDbPendingPasswordRepository  # noqa: PLC0415

        return DynamoDbPendingPasswordRepository(self._table(self._settings.charge_points_table))

    @built_once
    def local_lists(self) -> LocalListRepository:
        from csms.adapters.dynamodb.local_lists import DynamoDbLocalListRepository  # noqa: PLC0415

        return DynamoDbLocalListRepository(self._table(self._settings.charge_points_table))

    @built_once
    def profile_upgrades(self) -> ProfileUpgradeRepository:
        from csms.adapters.dynamodb.profile_upgrades import DynamoDbProfileUpgradeRepository  # noqa: PLC0415

        return DynamoDbProfileUpgradeRepository(self._table(self._settings.charge_points_table))

    @built_once
    def provisioning(self) -> ProvisioningRepository:
        from csms.adapters.dynamodb.provisioning import DynamoDbProvisioningRepository  # noqa: PLC0415

        return DynamoDbProvisioningRepository(self._table(self._settings.charge_points_table))

    @built_once
    def campaigns(self) -> CampaignRepository:
        from csms.adapters.dynamodb.campaigns import DynamoDbCampaignRepository  # noqa: PLC0415

        return DynamoDbCampaignRepository(self._table(self._settings.campaigns_table))

    @built_once
    def firmware(self) -> FirmwareRepository:
        from csms.adapters.dynamodb.firmware import DynamoDbFirmwareRepository  # noqa: PLC0415

        return DynamoDbFirmwareRepository(self._table(self._settings.campaigns_table))

    @built_once
    def log_uploads(self) -> LogUploadRepository:
        from csms.adapters.dynamodb.log_uploads import DynamoDbLogUploadRepository  # noqa: PLC0415

        return DynamoDbLogUploadRepository(self._table(self._settings.charge_points_table))

    @built_once
    def files(self) -> FileStore:
        """The FleetFiles bucket (S3, not DynamoDB: stored files are kept with the repositories all the same), its
        URLs short links where a presigned one is too long."""
        from csms.adapters.s3_files import S3FileStore  # noqa: PLC0415
        from csms.domain.short_links import ShortLinks  # noqa: PLC0415

        settings = self._settings
        if not settings.fleet_files_bucket:
            raise SettingsError(f"{constants.ENV_FLEET_FILES_BUCKET}: missing (this function presigns no file URLs)")
        short_links = ShortLinks(self.short_links, settings.public_api_url, SystemClock())
        return S3FileStore(settings.fleet_files_bucket, settings.fleet_files_endpoint, short_links)

    @built_once
    def short_links(self) -> ShortLinkRepository:
        from csms.adapters.dynamodb.short_links import DynamoDbShortLinkRepository  # noqa: PLC0415

        return DynamoDbShortLinkRepository(self._table(self._settings.idempotency_table))

    @built_once
    def users(self) -> UserDirectory:
        from csms.adapters.cognito_users import CognitoUserDirectory  # noqa: PLC0415

        if not self._settings.user_pool_id:
            raise SettingsError(f"{constants.ENV_USER_POOL_ID}: missing (the users API manages that user pool)")
        return CognitoUserDirectory(self._settings.user_pool_id)


def dynamodb_repositories(settings: Settings) -> Repositories:
    return DynamoDbRepositories(settings)


@lru_cache(maxsize=1)
def get_services() -> Services:
    """The process-wide services (clients are created once per Lambda container, on first use)."""
    settings = get_settings()
    return compose(
        settings,
        dynamodb_repositories(settings),
        ApiGatewayConnectionSender(settings.websocket_management_endpoint),
        SystemClock(),
        StepFunctionsWorkflows(settings.command_state_machine_arn),
        EventBridgePublisher(settings.event_bus_name),
        StepFunctionsWorkflows(settings.rebalance_state_machine_arn),
        KmsCertificateSigner(settings.ca_key_id),
        StepFunctionsWorkflows(settings.campaign_state_machine_arn),
    )
