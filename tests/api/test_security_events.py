"""/api/security-events through the handler, on moto: filters, pages, roles, hostile query values."""

from datetime import UTC, datetime, timedelta

import pytest

from csms.composition import Services
from csms.domain.security_events import SecurityEvent, SecurityEventSource
from tests.api.conftest import OperatorApi, person_claims

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.fixture
def stored(services: Services) -> None:
    repository = services.repositories.security_events  # type: ignore[attr-defined]
    for minute, (charger, kind) in enumerate(
        [("CP-1", "StartupOfTheDevice"), ("CP-2", "TamperDetectionActivated"), ("CP-1", "InvalidMessages")]
    ):
        repository.put(
            SecurityEvent(
                f"e-{minute}",
                charger,
                kind,
                T0 + timedelta(minutes=minute),
                {"techInfo": f"t{minute}"},
                critical=kind != "InvalidMessages",
                source=SecurityEventSource.CHARGER,
            )
        )


@pytest.mark.usefixtures("stored")
def test_security_events_are_listed_newest_first_and_filtered() -> None:
    viewer = OperatorApi(person_claims("vera", "[viewers]"))

    response = viewer.get("/api/security-events")

    assert response.status == 200
    assert response.headers["ETag"].startswith('W/"')
    assert response.body["items"][0] == {
        "eventId": "e-2",
        "chargerId": "CP-1",
        "type": "InvalidMessages",
        "timestamp": "2026-11-23T09:02:00Z",
        "critical": False,
        "source": "charger",
        "detail": {"techInfo": "t2"},
    }
    assert [e["eventId"] for e in response.body["items"]] == ["e-2", "e-1", "e-0"]
    ids = [[e["eventId"] for e in page] for page in viewer.pages("/api/security-events", limit=2, chargerId="CP-1")]
    assert ids == [["e-2", "e-0"]]
    typed = viewer.get("/api/security-events", type="TamperDetectionActivated").body["items"]
    assert [e["eventId"] for e in typed] == ["e-1"]
    since = viewer.get("/api/security-events", since="2026-11-23T09:01:00Z").body["items"]
    assert [e["eventId"] for e in since] == ["e-2", "e-1"]


@pytest.mark.parametrize(
    "query",
    [
        {"since": "yesterday"},
        {"since": "9" * 400},
        {"type": "x" * 51},
        {"since": "2026-11-23T09:01:00"},  # no offset
        {"chargerId": "C" * 49},
        {"limit": "0"},
        {"limit": "-1"},
        {"limit": "1e309"},
    ],
)
@pytest.mark.usefixtures("stored")
def test_hostile_query_values_are_422(api: OperatorApi, query: dict[str, str]) -> None:
    assert api.get("/api/security-events", **query).status == 422


@pytest.mark.usefixtures("stored")
def test_a_foreign_page_token_is_400(api: OperatorApi) -> None:
    assert api.get("/api/security-events", nextToken="garbage").status == 400
