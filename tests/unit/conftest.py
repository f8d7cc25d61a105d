"""Fixtures for the unit tests: a 1.6 and a 2.0.1 station over the in-memory fakes."""

import pytest

from csms.ocpp_versions import OcppVersion
from csms.services import Services
from tests.unit.stations import Station


@pytest.fixture
def station16(fake_services: Services) -> Station:
    return Station(fake_services, OcppVersion.V16)


@pytest.fixture
def station201(fake_services: Services) -> Station:
    return Station(fake_services, OcppVersion.V201)
