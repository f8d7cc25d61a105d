"""Shared fixtures: moto-backed tables built from `csms.tables`, and services wired to them."""

from collections.abc import Iterator

import boto3
import pytest
from hypothesis import HealthCheck, settings
from moto import mock_aws

from csms import constants, tables
from csms.composition import compose, dynamodb_repositories, get_services
from csms.settings import Settings, get_settings
from tests.fakes import (
    FixedClock,
    LocalKeySigner,
    RecordingPublisher,
    RecordingSender,
    RecordingWorkflows,
    in_memory_repositories,
)
from tests.wired import WiredServices, wired

# The suite runs on every core of a 2-core machine: a draw that waits for the CPU is not a slow
# strategy, so Hypothesis's too_slow health check would only fail at random.
settings.register_profile("suite", suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("suite")

TEST_ENVIRONMENT = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
    "POWERTOOLS_METRICS_NAMESPACE": "CsmsTest",
    "POWERTOOLS_DEV": "false",
    **{spec.env_var: f"test-{spec.logical_name}" for spec in tables.TABLES},
    # The campaigns' services presign firmware URLs (tests that store files create a bucket of their own).
    constants.ENV_FLEET_FILES_BUCKET: "test-fleet-files",
}


@pytest.fixture(autouse=True)
def _environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name, value in TEST_ENVIRONMENT.items():
        monkeypatch.setenv(name, value)
    for name in ("AWS_ENDPOINT_URL", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    get_settings.cache_clear()
    get_services.cache_clear()
    yield
    get_settings.cache_clear()
    get_services.cache_clear()


@pytest.fixture
def aws() -> Iterator[None]:
    """moto, with every table of the stack created from its one definition."""
    with mock_aws():
        client = boto3.client("dynamodb")
        for spec in tables.TABLES:
            client.create_table(**spec.create_table_request(TEST_ENVIRONMENT[spec.env_var]))
        yield


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock()


@pytest.fixture
def sender() -> RecordingSender:
    return RecordingSender()


@pytest.fixture
def workflows() -> RecordingWorkflows:
    return RecordingWorkflows()


@pytest.fixture
def rebalances() -> RecordingWorkflows:
    """The rebalance state machine: executions started."""
    return RecordingWorkflows()


@pytest.fixture
def campaigns() -> RecordingWorkflows:
    """The campaign state machine: executions started, task tokens completed."""
    return RecordingWorkflows()


@pytest.fixture
def publisher() -> RecordingPublisher:
    return RecordingPublisher()


@pytest.fixture
def settings() -> Settings:
    return get_settings()


@pytest.fixture
def fake_services(
    settings: Settings,
    clock: FixedClock,
    sender: RecordingSender,
    workflows: RecordingWorkflows,
    publisher: RecordingPublisher,
    rebalances: RecordingWorkflows,
    campaigns: RecordingWorkflows,
) -> WiredServices:
    """The domain over in-memory fakes."""
    repositories = in_memory_repositories()
    return wired(
        compose(settings, repositories, sender, clock, workflows, publisher, rebalances, LocalKeySigner(), campaigns),
        repositories,
    )


@pytest.fixture
def dynamodb_services(
    aws: None,
    settings: Settings,
    clock: FixedClock,
    sender: RecordingSender,
    workflows: RecordingWorkflows,
    publisher: RecordingPublisher,
    rebalances: RecordingWorkflows,
    campaigns: RecordingWorkflows,
) -> WiredServices:
    """The domain over the real DynamoDB adapters on moto."""
    repositories = dynamodb_repositories(settings)
    return wired(
        compose(settings, repositories, sender, clock, workflows, publisher, rebalances, LocalKeySigner(), campaigns),
        repositories,
    )
