"""The operator API in the embedded runtime: its documentation, and configuration a station reports."""

import asyncio
import json
from urllib.error import HTTPError
from urllib.request import Request, urlopen

import pytest
from ocpp.v201 import call as call201

from csms.local.runtime import LocalRuntime
from tests.e2e.charge_points import connected
from tests.e2e.conftest import OperatorApi

pytestmark = pytest.mark.e2e


def fetch(runtime: LocalRuntime, path: str, token: str | None) -> tuple[int, str, str]:
    """(status, content type, body) of a GET with the bearer token, as a browser or curl would send it."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    request = Request(f"{runtime.api_url}{path}", headers=headers)  # noqa: S310 - loopback
    try:
        with urlopen(request, timeout=30) as response:  # noqa: S310 - loopback
            return response.status, response.headers["Content-Type"], response.read().decode()
    except HTTPError as error:
        return error.code, error.headers["Content-Type"], error.read().decode()


async def test_the_openapi_document_and_swagger_ui_are_served_without_a_token(runtime: LocalRuntime) -> None:
    """Public by design (they hold no data); what Swagger UI calls needs the token as always."""
    status, content_type, html = await asyncio.to_thread(fetch, runtime, "/docs", None)
    document_status, _, document = await asyncio.to_thread(fetch, runtime, "/openapi.json", None)
    refused = await asyncio.to_thread(fetch, runtime, "/chargers", None)

    assert (status, content_type) == (200, "text/html")
    assert "swagger-ui" in html
    assert document_status == 200
    assert json.loads(document)["openapi"].startswith("3.")
    assert "/api/chargers/{charger_id}/local-list" in json.loads(document)["paths"]
    assert refused[0] == 401


async def test_a_reported_configuration_shows_on_the_charger(runtime: LocalRuntime, api: OperatorApi) -> None:
    # Given a registered station
    await api.register_charger("CS-CFG")

    # When it reports part of its device model
    async with connected(runtime, "CS-CFG", "ocpp2.0.1") as station:
        await station.call(
            call201.NotifyReport(
                request_id=1,
                generated_at="2026-11-23T09:00:00Z",
                seq_no=0,
                report_data=[
                    {
                        "component": {"name": "OCPPCommCtrlr"},
                        "variable": {"name": "HeartbeatInterval"},
                        "variable_attribute": [{"type": "Actual", "value": "300", "mutability": "ReadWrite"}],
                    }
                ],
            )
        )

    # Then the operator sees it on the charger
    charger = (await api.request("GET", "/chargers/CS-CFG")).body
    assert [(v["component"], v["variable"], v["value"]) for v in charger["configuration"]] == [
        ("OCPPCommCtrlr", "HeartbeatInterval", "300")
    ]
