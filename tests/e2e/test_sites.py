"""Sites on the embedded runtime: configured through the operator API, a charger wired to one, and every change
of what a site's chargers may draw announced as SiteChanged on the bus."""

from datetime import UTC, datetime, timedelta

import pytest
from pydantic import TypeAdapter

from csms.domain_events.schemas import SiteChanged
from csms.local.runtime import LocalRuntime
from tests.e2e.conftest import OperatorApi
from tests.e2e.test_domain_events import received, subscribe

pytestmark = pytest.mark.e2e


async def test_a_sites_changes_are_announced_for_the_rebalancing(runtime: LocalRuntime, api: OperatorApi) -> None:
    queue_url = subscribe(runtime)
    until = (datetime.now(UTC) + timedelta(hours=1)).isoformat()

    put = await api.request("PUT", "/sites/depot", {"name": "Depot", "gridLimitAmps": 63, "timeZone": "UTC"})
    assert put.status == 200, put.body
    await api.register_charger("CP-S1")
    joined = await api.request("PUT", "/chargers/CP-S1", {"siteId": "depot", "maxCurrentAmps": 16})
    assert (joined.status, joined.body["siteId"], joined.body["maxCurrentAmps"]) == (200, "depot", 16)
    limited = await api.request("PUT", "/sites/depot/limit", {"limitAmps": 20, "validUntil": until})
    assert (limited.status, limited.body["limitInForce"]["source"]) == (200, "live"), limited.body
    assert (await api.request("DELETE", "/sites/depot")).status == 409
    assert (await api.request("PUT", "/chargers/CP-S1", {"siteId": None})).status == 200
    assert (await api.request("DELETE", "/sites/depot")).status == 204

    changes: list[SiteChanged] = []
    for _ in range(20):  # the two tables' streams are read apart: wait for all five
        messages = await received(runtime, queue_url, until=set())
        changes += [
            TypeAdapter(SiteChanged).validate_python(message["detail"])
            for message in messages
            if message["detail-type"] == "SiteChanged"
        ]
        if len(changes) >= 5:
            break

    # The site put, its live limit set, the charger joining and leaving, the site deleted.
    assert sorted((change.charge_point_id or "-", ":deleted:" in change.event_id) for change in changes) == [
        ("-", False),
        ("-", False),
        ("-", True),
        ("CP-S1", False),
        ("CP-S1", False),
    ]
    assert {change.site_id for change in changes} == {"depot"}
    assert len({change.event_id for change in changes}) == 5
