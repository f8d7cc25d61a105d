"""What creating a campaign costs in DynamoDB requests inside the operator's API request (API Gateway gives it 29 s):
its target's chargers read in batches (BatchGetItem, 100 a request), never one request per charger, and its
charger items written 25 a request (BatchWriteItem). Counts on moto, not timings: a botocore `before-call` hook on
the default session, registered before the repositories build their clients."""

import math
from collections import Counter
from datetime import UTC, datetime
from typing import Any

import pytest

from csms.domain.models import BootInfo
from csms.domain.sites import WiringChange
from csms.wire.versions import OcppVersion
from tests.adapters.conftest import Requests
from tests.wired import WiredServices

CHARGERS = 250
AT = datetime(2026, 5, 1, tzinfo=UTC)
OPERATION = {"kind": "configuration", "settings": [{"key": "HeartbeatInterval", "value": "300"}]}


@pytest.fixture
def services(requests: Requests, dynamodb_services: WiredServices) -> WiredServices:
    """Over DynamoDB on moto, built after the counting hook (`requests` comes first); 1.6 chargers at site S1."""
    repositories = dynamodb_services.repositories
    charge_points = repositories.charge_points
    for index in range(CHARGERS):
        charger_id = f"CP-{index:04d}"
        charge_points.register(charger_id, None, AT, wiring=WiringChange(site_id="S1"))
        charge_points.record_connected(charger_id, f"conn-{index}", OcppVersion.V16, AT)
        charge_points.record_boot(charger_id, BootInfo("Acme", "AC-22"), AT)
    requests.take()
    return dynamodb_services


@pytest.mark.parametrize(
    ("target", "index_queries"),
    [
        ({"chargerIds": [f"CP-{index:04d}" for index in range(CHARGERS)]}, 0),
        ({"siteId": "S1"}, 1),  # the site's charger ids, then their profiles
        ({"vendor": "Acme", "model": "AC-22"}, 1),  # every charger's id, then their profiles
    ],
    ids=["charger-ids", "site", "vendor"],
)
def test_creating_a_campaign_reads_and_writes_its_chargers_in_batches(
    services: WiredServices, requests: Requests, target: dict[str, Any], index_queries: int
) -> None:
    campaign = services.campaign_administration.create("hb", target, OPERATION, {})

    assert campaign.counts.total == CHARGERS
    assert requests.take() == Counter(
        {
            "dynamodb.BatchGetItem": math.ceil(CHARGERS / 100),
            "dynamodb.BatchWriteItem": math.ceil(CHARGERS / 25),
            "dynamodb.PutItem": 1,  # the campaign's record, last
        }
        | ({"dynamodb.Query": index_queries} if index_queries else {})
    )
