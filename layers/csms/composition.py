"""The composition root: domain services wired to their adapters, built once per process."""

from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache

import boto3

from csms.adapters.connection_sender import ApiGatewayConnectionSender
from csms.adapters.dynamodb.calls import DynamoDbCallRepository
from csms.adapters.dynamodb.charge_points import DynamoDbChargePointRepository
from csms.adapters.dynamodb.command_queue import DynamoDbCommandQueueRepository
from csms.adapters.dynamodb.commands import DynamoDbCommandRepository
from csms.adapters.dynamodb.configuration import DynamoDbConfigurationRepository
from csms.adapters.dynamodb.connections import DynamoDbConnectionRepository
from csms.adapters.dynamodb.id_tokens import DynamoDbIdTokenRepository
from csms.adapters.dynamodb.invoices import DynamoDbInvoiceRepository
from csms.adapters.dynamodb.meter_values import DynamoDbMeterValueRepository
from csms.adapters.dynamodb.reservations import DynamoDbReservationRepository
from csms.adapters.dynamodb.streams import DynamoDbStreamChanges
from csms.adapters.dynamodb.tariffs import DynamoDbTariffRepository
from csms.adapters.dynamodb.transactions import DynamoDbTransactionRepository
from csms.adapters.eventbridge import EventBridgePublisher
from csms.adapters.step_functions import StepFunctionsWorkflows
from csms.billing.cost_updates import CostUpdateService
from csms.billing.invoice_history import InvoiceHistory
from csms.billing.invoices import BillingService, InvoiceRepository
from csms.billing.tariff_display import TariffDisplay
from csms.commands.answers import CallAnswers
from csms.commands.charging_profiles import ChargingProfiles
from csms.commands.effects import AnswerEffects
from csms.commands.follow_ups import FollowUps
from csms.commands.local_list import LocalListService
from csms.commands.ports import CallRepository, CommandQueueRepository, CommandRepository, CommandWorkflows
from csms.commands.queue import CommandQueue
from csms.commands.service import CommandService, CommandTimeouts
from csms.commands.workflow import CommandWorkflow
from csms.domain.admission import AdmissionService
from csms.domain.authorization import AuthorizationService
from csms.domain.charge_point_administration import ChargePointAdministration
from csms.domain.charge_points import ChargePointService
from csms.domain.configuration import ConfigurationService
from csms.domain.id_token_administration import IdTokenAdministration
from csms.domain.ports import (
    ChargePointRepository,
    Clock,
    ConfigurationRepository,
    ConnectionRepository,
    ConnectionSender,
    IdTokenRepository,
    MeterValueRepository,
    ReservationRepository,
    TariffRepository,
    TransactionRepository,
)
from csms.domain.reservations import ReservationService
from csms.domain.session_ends import SessionEnds
from csms.domain.tariff_administration import TariffAdministration
from csms.domain.tariff_resolution import TariffResolver
from csms.domain.transaction_history import TransactionHistory
from csms.domain.transactions import TransactionService
from csms.domain_events.ports import EventPublisher
from csms.domain_events.service import DomainEventService
from csms.settings import Settings, get_settings
from csms.timeutil import SystemClock


@dataclass(frozen=True)
class Repositories:
    charge_points: ChargePointRepository
    connections: ConnectionRepository
    id_tokens: IdTokenRepository
    transactions: TransactionRepository
    meter_values: MeterValueRepository
    calls: CallRepository
    command_queues: CommandQueueRepository
    commands: CommandRepository
    configuration: ConfigurationRepository
    reservations: ReservationRepository
    tariffs: TariffRepository
    invoices: InvoiceRepository


@dataclass(frozen=True)
class Services:
    settings: Settings
    clock: Clock
    sender: ConnectionSender
    admission: AdmissionService
    authorization: AuthorizationService
    charge_points: ChargePointService
    transactions: TransactionService
    commands: CommandService
    command_workflow: CommandWorkflow
    call_answers: CallAnswers
    configuration: ConfigurationService
    reservations: ReservationService
    local_list: LocalListService
    billing: BillingService
    tariff_display: TariffDisplay
    cost_updates: CostUpdateService
    stream_changes: DynamoDbStreamChanges
    domain_events: DomainEventService
    # What the operator API does (`csms.api.routes` call nothing else).
    charge_point_administration: ChargePointAdministration
    id_token_administration: IdTokenAdministration
    tariff_administration: TariffAdministration
    transaction_history: TransactionHistory
    invoice_history: InvoiceHistory
    charging_profiles: ChargingProfiles


def compose(
    settings: Settings,
    repositories: Repositories,
    sender: ConnectionSender,
    clock: Clock,
    workflows: CommandWorkflows,
    publisher: EventPublisher,
) -> Services:
    """Wire the domain services; tests call this with fakes.

    Stream records are DynamoDB's wherever the services run, and decoding them needs no client.
    """
    authorization = AuthorizationService(repositories.id_tokens, clock)
    session_ends = SessionEnds(repositories.transactions, repositories.meter_values, repositories.charge_points)
    charge_points = ChargePointService(
        repositories.charge_points, repositories.connections, sender, clock, session_ends
    )
    reservations = ReservationService(repositories.reservations, clock)
    configuration = ConfigurationService(repositories.configuration, clock)
    tariffs = TariffAdministration(repositories.tariffs)
    local_list = LocalListService(repositories.charge_points, repositories.id_tokens)
    command_queue = CommandQueue(repositories.command_queues, workflows, clock, settings.command_queue_limit)
    commands = CommandService(
        repositories.commands,
        repositories.charge_points,
        workflows,
        clock,
        CommandTimeouts(
            answer_seconds=settings.command_timeout_seconds,
            follow_up_seconds=settings.command_follow_up_timeout_seconds,
            firmware_seconds=settings.firmware_update_timeout_seconds,
        ),
        command_queue,
        local_list,
    )
    return Services(
        settings=settings,
        clock=clock,
        sender=sender,
        admission=AdmissionService(repositories.charge_points, settings.accept_unknown_charge_points),
        authorization=authorization,
        charge_points=charge_points,
        transactions=TransactionService(
            repositories.transactions,
            repositories.meter_values,
            session_ends,
            authorization,
            reservations,
            TariffResolver(repositories.tariffs, repositories.id_tokens, repositories.charge_points),
        ),
        commands=commands,
        command_workflow=CommandWorkflow(
            repositories.commands,
            repositories.calls,
            command_queue,
            repositories.charge_points,
            charge_points,
            FollowUps(repositories.charge_points, repositories.transactions),
            sender,
            workflows,
            clock,
            settings.command_poll_interval_seconds,
            AnswerEffects(configuration, reservations),
        ),
        call_answers=CallAnswers(repositories.calls, command_queue, workflows, clock),
        configuration=configuration,
        reservations=reservations,
        local_list=local_list,
        billing=BillingService(repositories.invoices, clock),
        tariff_display=TariffDisplay(commands),
        cost_updates=CostUpdateService(
            repositories.transactions,
            repositories.meter_values,
            repositories.charge_points,
            repositories.configuration,
            commands,
            clock,
            timedelta(seconds=settings.cost_update_interval_seconds),
        ),
        stream_changes=DynamoDbStreamChanges(settings.table_name),
        domain_events=DomainEventService(publisher),
        charge_point_administration=ChargePointAdministration(
            repositories.charge_points, tariffs, sender, clock, settings.accept_unknown_charge_points
        ),
        id_token_administration=IdTokenAdministration(repositories.id_tokens, tariffs),
        tariff_administration=tariffs,
        transaction_history=TransactionHistory(repositories.transactions, repositories.meter_values),
        invoice_history=InvoiceHistory(repositories.invoices),
        charging_profiles=ChargingProfiles(repositories.commands),
    )


def dynamodb_repositories(settings: Settings) -> Repositories:
    dynamodb = boto3.resource("dynamodb")
    return Repositories(
        charge_points=DynamoDbChargePointRepository(dynamodb.Table(settings.charge_points_table)),
        connections=DynamoDbConnectionRepository(dynamodb.Table(settings.connections_table)),
        id_tokens=DynamoDbIdTokenRepository(dynamodb.Table(settings.id_tokens_table)),
        transactions=DynamoDbTransactionRepository(
            dynamodb.Table(settings.transactions_table), dynamodb.Table(settings.idempotency_table)
        ),
        meter_values=DynamoDbMeterValueRepository(dynamodb.Table(settings.meter_values_table)),
        calls=DynamoDbCallRepository(dynamodb.Table(settings.calls_table)),
        command_queues=DynamoDbCommandQueueRepository(dynamodb.Table(settings.calls_table)),
        commands=DynamoDbCommandRepository(dynamodb.Table(settings.commands_table)),
        configuration=DynamoDbConfigurationRepository(dynamodb.Table(settings.charge_points_table)),
        reservations=DynamoDbReservationRepository(dynamodb.Table(settings.reservations_table)),
        tariffs=DynamoDbTariffRepository(dynamodb.Table(settings.tariffs_table)),
        invoices=DynamoDbInvoiceRepository(
            dynamodb.Table(settings.invoices_table), dynamodb.Table(settings.transactions_table)
        ),
    )


@lru_cache(maxsize=1)
def get_services() -> Services:
    """The process-wide services (clients are created once per Lambda container)."""
    settings = get_settings()
    sender = ApiGatewayConnectionSender(settings.websocket_management_endpoint)
    workflows = StepFunctionsWorkflows(settings.command_state_machine_arn)
    publisher = EventBridgePublisher(settings.event_bus_name)
    return compose(settings, dynamodb_repositories(settings), sender, SystemClock(), workflows, publisher)
