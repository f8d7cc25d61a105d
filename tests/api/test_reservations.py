"""/api/reservations through the handler: pages, filters, detail."""

from datetime import UTC, datetime

from csms.composition import Services
from tests.api.conftest import OperatorApi

EXPIRY = datetime(2099, 11, 23, 13, 0, tzinfo=UTC)  # not yet expired (a 1.6 one expires when read after it)


def test_reservations_are_paged_and_filtered(api: OperatorApi, services: Services) -> None:
    # Given five reservations on CP-1, two of them used, and one on CP-2
    reservations = services.reservations
    for reservation_id in range(1, 6):
        reservations.reserved("CP-1", reservation_id, "TAG", EXPIRY, connector_id=1)
    reservations.reserved("CP-2", 1, "TAG", EXPIRY, evse_id=1)
    reservations.used("CP-1", 2, "tx-2")
    reservations.used("CP-1", 4, "tx-4")

    # Then the charger's come in reservation id order, page by page
    pages = api.pages("/api/reservations", limit=2, chargerId="CP-1")
    assert [[r["reservationId"] for r in page] for page in pages] == [[1, 2], [3, 4], [5]]
    # And filters combine
    used = api.get("/api/reservations", chargerId="CP-1", status="Used").body["items"]
    assert [(r["reservationId"], r["transactionId"]) for r in used] == [(2, "tx-2"), (4, "tx-4")]
    reserved = api.pages("/api/reservations", limit=2, status="Reserved")
    assert sorted((r["chargerId"], r["reservationId"]) for page in reserved for r in page) == [
        ("CP-1", 1),
        ("CP-1", 3),
        ("CP-1", 5),
        ("CP-2", 1),
    ]


def test_a_reservation_is_read_by_charger_and_id(api: OperatorApi, services: Services) -> None:
    services.reservations.reserved("CP-1", 7, "TAG", EXPIRY, connector_id=1)

    response = api.get("/api/reservations/CP-1/7")

    assert response.status == 200
    assert response.body == {
        "reservationId": 7,
        "chargerId": "CP-1",
        "connectorId": 1,
        "evseId": None,
        "idToken": "TAG",
        "expiry": "2099-11-23T13:00:00Z",
        "status": "Reserved",
        "transactionId": None,
        "updatedAt": response.body["updatedAt"],
    }
    assert api.get("/api/reservations/CP-1/8").body == {"statusCode": 404, "message": "No reservation 8 on CP-1"}
    assert api.get("/api/reservations/CP-1/seven").status == 422
