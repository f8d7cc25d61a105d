"""The `ChargePointRepository.page` contract: charge points by id, with their connectors, filtered and paged."""

from datetime import UTC, datetime

import pytest

from csms.domain.filters import ChargePointFilter
from csms.domain.models import ConnectorStatus
from csms.domain.pagination import InvalidPageTokenError
from csms.domain.ports import ChargePointRepository
from csms.wire.versions import OcppVersion
from tests.contracts.paging import FOREIGN_TOKENS, every_page

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.fixture
def fleet(charge_points: ChargePointRepository) -> ChargePointRepository:
    """CP-A connected and charging on one of two connectors, CP-B faulted, CP-C only registered,
    CP-D connected without connectors; notifications, which are no charge points, on CP-A."""
    for charge_point_id in ("CP-D", "CP-C", "CP-B", "CP-A"):
        charge_points.register(charge_point_id, None, T0)
    charge_points.record_connected("CP-A", "conn-A", OcppVersion.V16, T0)
    charge_points.record_connected("CP-D", "conn-D", OcppVersion.V201, T0)
    charge_points.record_status("CP-A", ConnectorStatus(2, "Charging", T0))
    charge_points.record_status("CP-A", ConnectorStatus(1, "Available", T0))
    charge_points.record_status("CP-B", ConnectorStatus(1, "Faulted", T0))
    charge_points.record_notification("CP-A", "NotifyEvent", "m-1", T0, {"seqNo": 0})
    return charge_points


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        (ChargePointFilter(), ["CP-A", "CP-B", "CP-C", "CP-D"]),
        (ChargePointFilter(connected=True), ["CP-A", "CP-D"]),
        (ChargePointFilter(connected=False), ["CP-B", "CP-C"]),
        (ChargePointFilter(connector_status="Faulted"), ["CP-B"]),
        (ChargePointFilter(connected=True, connector_status="Available"), ["CP-A"]),
        (ChargePointFilter(connected=False, connector_status="Charging"), []),
    ],
    ids=repr,
)
def test_charge_points_come_by_id_in_full_pages(
    fleet: ChargePointRepository, where: ChargePointFilter, expected: list[str]
) -> None:
    for limit in range(1, 6):
        pages = every_page(lambda count, token: fleet.page(where, count, token), limit)

        assert [cp.charge_point_id for page in pages for cp in page] == expected, limit
        assert all(len(page) == limit for page in pages[:-1]), limit


def test_a_listed_charge_point_carries_its_state_and_connectors(fleet: ChargePointRepository) -> None:
    [charge_point] = fleet.page(ChargePointFilter(connected=True, connector_status="Charging"), 10).items

    assert (charge_point.charge_point_id, charge_point.connected, charge_point.ocpp_version) == (
        "CP-A",
        True,
        OcppVersion.V16,
    )
    assert sorted((c.connector_id, c.status) for c in charge_point.connectors) == [(1, "Available"), (2, "Charging")]


def test_a_token_continues_only_the_listing_with_the_same_filter(fleet: ChargePointRepository) -> None:
    token = fleet.page(ChargePointFilter(), 1).next_token
    assert token is not None

    assert [cp.charge_point_id for cp in fleet.page(ChargePointFilter(), 1, token).items] == ["CP-B"]
    for other in (ChargePointFilter(connected=False), ChargePointFilter(connector_status="Faulted")):
        with pytest.raises(InvalidPageTokenError):
            fleet.page(other, 1, token)


@pytest.mark.parametrize("token", FOREIGN_TOKENS)
def test_a_token_no_listing_returned_is_refused(fleet: ChargePointRepository, token: str) -> None:
    with pytest.raises(InvalidPageTokenError):
        fleet.page(ChargePointFilter(), 2, token)


def test_profiles_are_read_many_at_once_by_id_without_connectors(fleet: ChargePointRepository) -> None:
    named = fleet.profiles_of(["CP-C", "CP-404", "CP-A"])
    every = fleet.profiles_of()

    assert [(cp.charge_point_id, cp.connectors) for cp in named] == [("CP-A", []), ("CP-C", [])]
    assert [cp.charge_point_id for cp in every] == ["CP-A", "CP-B", "CP-C", "CP-D"]
    assert [(cp.ocpp_version, cp.connected) for cp in every] == [
        (OcppVersion.V16, True),
        (None, False),
        (None, False),
        (OcppVersion.V201, True),
    ]
    assert fleet.profiles_of([]) == []
