"""/api/sites/{siteId}/allocation and its history through the handler, on moto: the limit in force before the
first rebalance, the stored allocation with the current each session draws now and the totals, the history newest
first in pages, conditional GETs, viewers reading, and 404 / 400 / 422 for sites, tokens and queries that are not."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from csms.domain.meter_series import TransactionSeries
from csms.domain.models import MeterReading, SampledValue
from csms.domain.sites import LimitSource
from csms.rebalancing.models import ProfileStatus, SessionAllocation, SiteAllocation
from tests.api.conftest import OperatorApi, person_claims
from tests.wired import WiredServices

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
VIEWER = OperatorApi(person_claims("vera", "[viewers]"))
SESSIONS = (
    SessionAllocation("CP-1#1", "CP-1", "1", 1, None, Decimal("16.5"), Decimal("16.5"), ProfileStatus.APPLIED),
    SessionAllocation("CP-2#tx-9", "CP-2", "tx-9", 1, 2, Decimal(0), Decimal(6), ProfileStatus.PENDING),
)
ALLOCATION = SiteAllocation("depot", Decimal(40), LimitSource.LIVE, T0, SESSIONS)


@pytest.fixture
def site(api: OperatorApi) -> None:
    assert api.request("PUT", "/api/sites/depot", {"name": "Depot", "gridLimitAmps": 40}).status == 200


def three_phase_current(amps: tuple[str, str, str]) -> list[MeterReading]:
    values = tuple(
        SampledValue(
            {"value": value, "measurand": "Current.Import", "phase": phase, "unit": "A"},
            Decimal(value),
            "Current.Import",
            phase,
            "A",
        )
        for value, phase in zip(amps, ("L1", "L2", "L3"), strict=True)
    )
    return [MeterReading(T0, values)]


def test_before_the_first_rebalance_the_limit_in_force_and_no_sessions(api: OperatorApi, site: None) -> None:
    response = api.get("/api/sites/depot/allocation")

    assert response.status == 200, response.text
    assert response.body == {
        "siteId": "depot",
        "computedAt": None,
        "limitInForce": {"amps": 40, "source": "configured", "until": None},
        "sessions": [],
        "totals": {"allocatedAmps": 0, "effectiveAmps": 0, "measuredAmps": None},
    }
    assert api.get("/api/sites/depot/allocation/history").body == {"items": [], "nextToken": None}


def test_the_stored_allocation_with_the_current_drawn_now_and_the_totals(
    api: OperatorApi, site: None, services: WiredServices
) -> None:
    # Given a stored allocation of two sessions, the first one's charger reporting its current on 3 phases
    services.repositories.allocations.put(ALLOCATION)
    services.repositories.meter_values.put(TransactionSeries("CP-1", "1"), three_phase_current(("15.4", "16.2", "9")))

    body = VIEWER.get("/api/sites/depot/allocation").body

    assert body["computedAt"] == "2026-11-23T09:00:00Z"
    assert body["limitInForce"] == {"amps": 40, "source": "configured", "until": None}  # now, not as planned
    assert body["sessions"] == [
        {
            "chargerId": "CP-1",
            "transactionId": "1",
            "connectorId": 1,
            "evseId": None,
            "allocatedAmps": 16.5,
            "effectiveAmps": 16.5,
            "profileStatus": "Applied",
            "measuredAmps": 16.2,
        },
        {
            "chargerId": "CP-2",
            "transactionId": "tx-9",
            "connectorId": 1,
            "evseId": 2,
            "allocatedAmps": 0,
            "effectiveAmps": 6,
            "profileStatus": "Pending",
            "measuredAmps": None,
        },
    ]
    assert body["totals"] == {"allocatedAmps": 16.5, "effectiveAmps": 22.5, "measuredAmps": 16.2}


def test_the_history_newest_first_in_pages_with_the_limit_each_was_planned_for(
    api: OperatorApi, site: None, services: WiredServices
) -> None:
    measured = tuple(replace(session, measured_amps=Decimal("7.1")) for session in SESSIONS)
    for minutes in range(5):
        services.repositories.allocations.append_history(
            replace(ALLOCATION, computed_at=T0 + timedelta(minutes=minutes), sessions=measured)
        )

    pages = api.pages("/api/sites/depot/allocation/history", limit=2)

    assert [len(page) for page in pages] in ([2, 2, 1], [2, 2, 1, 0])
    entries = [entry for page in pages for entry in page]
    assert [entry["computedAt"] for entry in entries] == [
        f"2026-11-23T09:0{minutes}:00Z" for minutes in (4, 3, 2, 1, 0)
    ]
    assert entries[0]["limitInForce"] == {"amps": 40, "source": "live", "until": None}
    assert entries[0]["totals"] == {"allocatedAmps": 16.5, "effectiveAmps": 22.5, "measuredAmps": 14.2}
    assert [session["measuredAmps"] for session in entries[0]["sessions"]] == [7.1, 7.1]


def test_an_unchanged_allocation_is_304(api: OperatorApi, site: None) -> None:
    first = api.get("/api/sites/depot/allocation")
    tag = first.headers["ETag"]

    again = api.request("GET", "/api/sites/depot/allocation", headers=[("if-none-match", tag)])

    assert (again.status, again.text) == (304, "")


@pytest.mark.parametrize("path", ["/api/sites/nope/allocation", "/api/sites/nope/allocation/history"])
def test_a_site_that_does_not_exist(api: OperatorApi, path: str) -> None:
    response = api.get(path)
    assert response.status == 404
    assert response.body == {"statusCode": 404, "message": "No site nope"}
    assert api.get(path.replace("nope", "x" * 3000)).status == 404


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ({"limit": 0}, 422),
        ({"limit": 501}, 422),
        ({"limit": "ten"}, 422),
        ({"limit": "1e3"}, 422),
        ({"limit": "9" * 400}, 422),
        ({"nextToken": "garbage"}, 400),
        ({"nextToken": "eyJzaXRlSWQiOiB7IlMiOiAib3RoZXIifX0="}, 400),
        ({"nextToken": "%00" * 50}, 400),
    ],
)
def test_hostile_query_values_are_refused(api: OperatorApi, site: None, query: dict[str, Any], status: int) -> None:
    assert api.get("/api/sites/depot/allocation/history", **query).status == status


def test_a_token_of_another_sites_history_is_refused(api: OperatorApi, site: None, services: WiredServices) -> None:
    assert api.request("PUT", "/api/sites/other", {"name": "Other", "gridLimitAmps": 40}).status == 200
    for site_id in ("depot", "other"):
        for minutes in range(2):
            entry = replace(ALLOCATION, site_id=site_id, computed_at=T0 + timedelta(minutes=minutes))
            services.repositories.allocations.append_history(entry)
    token = api.get("/api/sites/other/allocation/history", limit=1).body["nextToken"]
    assert token is not None

    assert api.get("/api/sites/depot/allocation/history", limit=1, nextToken=token).status == 400
