"""Every list endpoint answers 400 to a `nextToken` it did not hand out, whatever the token holds."""

import base64
import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from csms.commands.models import Command, CommandStatus
from csms.composition import Services
from csms.domain.models import ConnectorStatus
from csms.domain.sites import LimitSource
from csms.domain.transactions import TransactionStart, TransactionStop
from csms.rebalancing.models import SiteAllocation
from csms.wire.versions import OcppVersion
from tests.api.conftest import OperatorApi

T0 = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)
EXPIRY = datetime(2026, 11, 23, 13, 0, tzinfo=UTC)

# (path, query) of every list endpoint, with the filters that change how it is read.
LISTINGS: list[tuple[str, dict[str, str]]] = [
    ("/api/chargers", {}),
    ("/api/chargers", {"connected": "false"}),
    ("/api/chargers", {"status": "Available"}),
    ("/api/chargers/CP-1/commands", {}),
    ("/api/id-tokens", {}),
    ("/api/tariffs", {}),
    ("/api/sites", {}),
    ("/api/sites/S-1/allocation/history", {}),
    ("/api/transactions", {}),
    ("/api/transactions", {"status": "Completed"}),
    ("/api/transactions", {"chargerId": "CP-1"}),
    ("/api/reservations", {}),
    ("/api/reservations", {"chargerId": "CP-1"}),
    ("/api/invoices", {}),
    ("/api/invoices", {"chargerId": "CP-1"}),
    ("/api/invoices", {"from": "2026-01-01T00:00:00Z", "to": "2026-12-31T00:00:00Z"}),
]


def listing_id(listing: tuple[str, dict[str, str]]) -> str:
    path, query = listing
    return path + "".join(f"&{name}={value}" for name, value in query.items())


def encoded(value: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode()


def decoded(token: str) -> Any:
    return json.loads(base64.urlsafe_b64decode(token))


def decoded_or_none(token: str) -> Any:
    try:
        return decoded(token)
    except ValueError:
        return None


def renamed(value: Any) -> Any:
    """Every key of every dict inside, renamed."""
    if isinstance(value, dict):
        return {f"x{name}": renamed(inner) for name, inner in value.items()}
    return value


def retyped(value: Any) -> Any:
    """Every number a string and every string a number (inside the typed DynamoDB values too)."""
    if isinstance(value, dict):
        return {name: retyped(inner) for name, inner in value.items()}
    if isinstance(value, list):
        return [retyped(inner) for inner in value]
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return 7
    return value


def typed_wrongly(value: Any) -> Any:
    """Typed DynamoDB values of the other type: {"S": "CP-1"} -> {"N": "CP-1"}, {"N": "1"} -> {"S": "1"}."""
    if isinstance(value, dict):
        if set(value) == {"S"}:
            return {"N": value["S"]}
        if set(value) == {"N"}:
            return {"S": value["N"]}
        return {name: typed_wrongly(inner) for name, inner in value.items()}
    if isinstance(value, list):
        return [typed_wrongly(inner) for inner in value]
    return value


def first_token(api: OperatorApi, listing: tuple[str, dict[str, str]]) -> str:
    path, query = listing
    response = api.get(path, limit=1, **query)
    assert response.status == 200, response.text
    token = response.body["nextToken"]
    assert token is not None, listing
    return str(token)


@pytest.fixture
def listed(api: OperatorApi, services: Services) -> None:
    """At least two items in every listing (and its filtered views)."""
    api.request("PUT", "/api/tariffs/default", {"currency": "EUR", "pricePerKwh": "0.30"})
    api.request("PUT", "/api/tariffs/other", {"currency": "EUR"})
    for site_id in ("S-1", "S-2"):
        assert api.request("PUT", f"/api/sites/{site_id}", {"name": site_id, "gridLimitAmps": 63}).status == 200
        for minutes in (0, 1):
            allocation = SiteAllocation(site_id, Decimal(63), LimitSource.CONFIGURED, T0 + timedelta(minutes=minutes))
            services.repositories.allocations.append_history(allocation)
    for charger_id in ("CP-1", "CP-2"):
        assert api.request("PUT", f"/api/chargers/{charger_id}", {"password": "correct-horse-battery"}).status == 200
        services.charge_points.status_changed(charger_id, ConnectorStatus(1, "Available", T0))
    for tag in ("TAG-1", "TAG-2"):
        api.request("PUT", f"/api/id-tokens/{tag}", {"status": "Accepted"})
    for minutes in (0, 10):
        transaction, _ = services.transactions.start(
            "CP-1", TransactionStart(1, "TAG-1", 1000, T0 + timedelta(minutes=minutes))
        )
        services.transactions.stop(
            "CP-1", TransactionStop(transaction.transaction_id, 2000, T0 + timedelta(minutes=minutes + 5))
        )
    assert len(api.request("POST", "/api/billing/runs").body["invoiced"]) == 2
    for reservation_id in (1, 2):
        services.reservations.reserved("CP-1", reservation_id, "TAG-1", EXPIRY, connector_id=1)
    for number in (1, 2):
        request = {"connectorId": 1, "csChargingProfiles": {"chargingProfileId": number}}
        command_id = f"cmd-{number}"
        created = T0 + timedelta(minutes=number)
        services.repositories.commands.create(
            Command(command_id, "CP-1", OcppVersion.V16, "SetChargingProfile", request, CommandStatus.SENT, created)
        )
        services.repositories.commands.record_answer(
            command_id, CommandStatus.ACCEPTED, {"status": "Accepted"}, created, finished=True
        )


@pytest.mark.parametrize("listing", LISTINGS, ids=listing_id)
def test_a_token_this_listing_did_not_hand_out_is_400(
    api: OperatorApi, listed: None, listing: tuple[str, dict[str, str]]
) -> None:
    # Given a token of this listing, and one of another listing
    own = first_token(api, listing)
    other = LISTINGS[(LISTINGS.index(listing) + 1) % len(LISTINGS)]
    position = decoded(own)
    bad_tokens = {
        "garbage": "not a token!!",
        "not JSON": base64.urlsafe_b64encode(b"\xff\xfe").decode(),
        "a list": encoded([1, 2]),
        "an empty dict": encoded({}),
        "another listing's": first_token(api, other),
        "keys renamed": encoded(renamed(position)),
        "values retyped": encoded(retyped(position)),
        "DynamoDB types swapped": encoded(typed_wrongly(position)),
        "a key without types": encoded({"part": 0, "key": {"chargePointId": "CP-1"}}),
        "an offset": encoded({"offset": 1}),
    }
    path, query = listing
    for kind, token in bad_tokens.items():
        if token == own or decoded_or_none(token) == position:
            continue  # nothing of this kind in this listing's tokens (no DynamoDB types in an offset, say)
        # When it is passed back
        response = api.get(path, limit=1, nextToken=token, **query)

        # Then the request is refused as a bad request, never a server error
        assert (response.status, response.body) == (
            400,
            {"statusCode": 400, "message": "Invalid nextToken: pass one a previous page returned"},
        ), (kind, token)

    # And the listing's own token still works
    assert api.get(path, limit=1, nextToken=own, **query).status == 200
