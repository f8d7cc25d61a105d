"""Each port's contract, run on its in-memory fake and on its DynamoDB adapter on moto.

A test asks for a port by name (`id_tokens`, `invoices`, ...). Every port fixture comes from the
one `repositories` fixture, which is parametrized: each test runs as `[fake]` and as `[dynamodb]`,
and a test using two ports gets them both from the same side (the invoices over the transactions).
"""

from dataclasses import replace

import boto3
import pytest

from csms.adapters.cognito_users import create_user_pool
from csms.billing.invoices import InvoiceRepository
from csms.commands.ports import CallRepository, CommandQueueRepository, CommandRepository
from csms.composition import Repositories, dynamodb_repositories
from csms.domain.pending_passwords import PendingPasswordRepository
from csms.domain.ports import (
    ChargePointRepository,
    ConfigurationRepository,
    ConnectionRepository,
    IdTokenRepository,
    InstalledProfileRepository,
    MeterValueRepository,
    ReservationRepository,
    SiteRepository,
    TariffRepository,
    TransactionRepository,
)
from csms.domain.security_events import SecurityEventRepository
from csms.domain.wrong_passwords import FailureCounter
from csms.pki.ports import CertificateRepository, InstalledCertificateRepository
from csms.pki.profile_upgrades import ProfileUpgradeRepository
from csms.settings import Settings
from csms.users.directory import UserDirectory
from tests.fakes import InMemoryRepositories, in_memory_repositories
from tests.moto_tables import aws, moto_tables

__all__ = ["aws", "moto_tables"]  # the shared moto fixtures, for the `[dynamodb]` runs


@pytest.fixture(params=["fake", "dynamodb"])
def repositories(request: pytest.FixtureRequest, settings: Settings) -> Repositories:
    if request.param == "fake":
        return in_memory_repositories()
    request.getfixturevalue("aws")
    return dynamodb_repositories(settings)


@pytest.fixture
def charge_points(repositories: Repositories) -> ChargePointRepository:
    return repositories.charge_points


@pytest.fixture
def connections(repositories: Repositories) -> ConnectionRepository:
    return repositories.connections


@pytest.fixture
def id_tokens(repositories: Repositories) -> IdTokenRepository:
    return repositories.id_tokens


@pytest.fixture
def transactions(repositories: Repositories) -> TransactionRepository:
    return repositories.transactions


@pytest.fixture
def meter_values(repositories: Repositories) -> MeterValueRepository:
    return repositories.meter_values


@pytest.fixture
def calls(repositories: Repositories) -> CallRepository:
    return repositories.calls


@pytest.fixture
def command_queues(repositories: Repositories) -> CommandQueueRepository:
    return repositories.command_queues


@pytest.fixture
def commands(repositories: Repositories) -> CommandRepository:
    return repositories.commands


@pytest.fixture
def configuration(repositories: Repositories) -> ConfigurationRepository:
    return repositories.configuration


@pytest.fixture
def installed_profiles(repositories: Repositories) -> InstalledProfileRepository:
    return repositories.installed_profiles


@pytest.fixture
def reservations(repositories: Repositories) -> ReservationRepository:
    return repositories.reservations


@pytest.fixture
def tariffs(repositories: Repositories) -> TariffRepository:
    return repositories.tariffs


@pytest.fixture
def sites(repositories: Repositories) -> SiteRepository:
    return repositories.sites


@pytest.fixture
def invoices(repositories: Repositories) -> InvoiceRepository:
    return repositories.invoices


@pytest.fixture
def users(repositories: Repositories, settings: Settings) -> UserDirectory:
    """The user directory: its fake, or Cognito's adapter on a new user pool of moto (`[dynamodb]`)."""
    if isinstance(repositories, InMemoryRepositories):
        return repositories.users
    pool_id = create_user_pool(boto3.client("cognito-idp"), "contract-tests")
    return dynamodb_repositories(replace(settings, user_pool_id=pool_id)).users


@pytest.fixture
def security_events(repositories: Repositories) -> SecurityEventRepository:
    return repositories.security_events


@pytest.fixture
def certificates(repositories: Repositories) -> CertificateRepository:
    return repositories.certificates


@pytest.fixture
def installed_certificates(repositories: Repositories) -> InstalledCertificateRepository:
    return repositories.installed_certificates


@pytest.fixture
def pending_passwords(repositories: Repositories) -> PendingPasswordRepository:
    return repositories.pending_passwords


@pytest.fixture
def wrong_password_counter(repositories: Repositories) -> FailureCounter:
    return repositories.wrong_password_counter


@pytest.fixture
def profile_upgrades(repositories: Repositories) -> ProfileUpgradeRepository:
    return repositories.profile_upgrades
