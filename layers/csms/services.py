"""The composition root: domain services wired to their adapters, built once per process."""

from dataclasses import dataclass
from functools import lru_cache

import boto3

from csms.adapters.connection_sender import ApiGatewayConnectionSender
from csms.adapters.dynamodb.calls import DynamoDbCallRepository
from csms.adapters.dynamodb.charge_points import DynamoDbChargePointRepository
from csms.adapters.dynamodb.connections import DynamoDbConnectionRepository
from csms.adapters.dynamodb.id_tokens import DynamoDbIdTokenRepository
from csms.adapters.dynamodb.meter_values import DynamoDbMeterValueRepository
from csms.adapters.dynamodb.transactions import DynamoDbTransactionRepository
from csms.domain.admission import AdmissionService
from csms.domain.authorization import AuthorizationService
from csms.domain.charge_points import ChargePointService
from csms.domain.ports import (
    CallRepository,
    ChargePointRepository,
    Clock,
    ConnectionRepository,
    ConnectionSender,
    IdTokenRepository,
    MeterValueRepository,
    TransactionRepository,
)
from csms.domain.transactions import TransactionService
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


@dataclass(frozen=True)
class Services:
    settings: Settings
    clock: Clock
    repositories: Repositories
    sender: ConnectionSender
    admission: AdmissionService
    authorization: AuthorizationService
    charge_points: ChargePointService
    transactions: TransactionService

    @property
    def calls(self) -> CallRepository:
        return self.repositories.calls


def compose(settings: Settings, repositories: Repositories, sender: ConnectionSender, clock: Clock) -> Services:
    """Wire the domain services; tests call this with fakes."""
    authorization = AuthorizationService(repositories.id_tokens, clock)
    return Services(
        settings=settings,
        clock=clock,
        repositories=repositories,
        sender=sender,
        admission=AdmissionService(repositories.charge_points, settings.accept_unknown_charge_points),
        authorization=authorization,
        charge_points=ChargePointService(repositories.charge_points, repositories.connections, sender, clock),
        transactions=TransactionService(repositories.transactions, repositories.meter_values, authorization),
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
    )


@lru_cache(maxsize=1)
def get_services() -> Services:
    """The process-wide services (clients are created once per Lambda container)."""
    settings = get_settings()
    sender = ApiGatewayConnectionSender(settings.websocket_management_endpoint)
    return compose(settings, dynamodb_repositories(settings), sender, SystemClock())
