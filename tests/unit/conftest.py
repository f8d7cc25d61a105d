"""Fixtures for the unit tests: a 1.6 and a 2.0.1 station over the in-memory fakes."""

import pytest

from csms.composition import Services
from csms.wire.versions import OcppVersion
from tests.unit.stations import Station


@pytest.fixture
def station16(fake_services: Services) -> Station:
    return Station(fake_services, OcppVersion.V16)


@pytest.fixture
def station201(fake_services: Services) -> Station:
    return Station(fake_services, OcppVersion.V201)


@pytest.fixture(params=["fakes", "dynamodb"])
def services_on_each_storage(request: pytest.FixtureRequest) -> Services:
    """The domain over the in-memory fakes, then over the DynamoDB adapters on moto: the same outcome."""
    services: Services = request.getfixturevalue("fake_services" if request.param == "fakes" else "dynamodb_services")
    return services
