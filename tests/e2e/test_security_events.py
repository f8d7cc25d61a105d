"""Security events end to end on `csms local`: real charge points of both versions report them, repeated wrong
passwords are found, both are listed by the API, and the critical ones reach the bus."""

import asyncio
import time
from typing import Any

import pytest
from ocpp.v16 import call as call16
from ocpp.v201 import call as call201
from websockets.exceptions import InvalidStatus

from csms.domain.wrong_passwords import answer_delay
from csms.local.runtime import LocalRuntime
from tests.e2e.charge_points import connected
from tests.e2e.conftest import OperatorApi
from tests.e2e.test_domain_events import received, subscribe

pytestmark = pytest.mark.e2e

WHEN = "2026-11-23T11:58:00Z"


async def listed(api: OperatorApi, query: str, count: int) -> list[dict[str, Any]]:
    """The events the API lists, once there are `count` (they are stored before the answer; poll a little)."""
    for _ in range(50):
        response = await api.request("GET", f"/security-events{query}")
        assert response.status == 200, response.body
        if len(response.body["items"]) >= count:
            return list(response.body["items"])
        await asyncio.sleep(0.1)
    raise AssertionError(f"fewer than {count} security events: {response.body}")


async def test_reported_events_of_both_versions_are_listed_and_critical_ones_announced(
    runtime: LocalRuntime, api: OperatorApi
) -> None:
    queue_url = subscribe(runtime)
    await api.register_charger("CP-S16")
    await api.register_charger("CP-S201")

    async with connected(runtime, "CP-S16", "ocpp1.6") as charge_point:
        await charge_point.call(
            call16.SecurityEventNotification(type="InvalidMessages", timestamp=WHEN, tech_info=None)
        )
    async with connected(runtime, "CP-S201", "ocpp2.0.1") as charge_point:
        await charge_point.call(
            call201.SecurityEventNotification(type="TamperDetectionActivated", timestamp=WHEN, tech_info="lid")
        )

    events = await listed(api, "", 2)
    assert {(e["chargerId"], e["type"], e["critical"], e["source"]) for e in events} == {
        ("CP-S16", "InvalidMessages", False, "charger"),
        ("CP-S201", "TamperDetectionActivated", True, "charger"),
    }
    messages = await received(runtime, queue_url, {"SecurityEventRaised"})
    raised = [m["detail"] for m in messages if m["detail-type"] == "SecurityEventRaised"]
    assert [(d["chargePointId"], d["type"], d["detail"]) for d in raised] == [
        ("CP-S201", "TamperDetectionActivated", {"techInfo": "lid"})
    ]


async def test_repeated_wrong_passwords_are_slowed_down_and_found_once(runtime: LocalRuntime, api: OperatorApi) -> None:
    await api.register_charger("CP-GUESSED")
    took = []
    for _ in range(5):
        started = time.monotonic()
        with pytest.raises(InvalidStatus) as refused:
            async with connected(runtime, "CP-GUESSED", "ocpp1.6", password="guess"):
                pass
        took.append(time.monotonic() - started)
        assert refused.value.response.status_code == 401

    assert took[3] >= answer_delay(4)
    assert took[4] >= answer_delay(5)
    [finding] = await listed(api, "?chargerId=CP-GUESSED&type=RepeatedWrongPasswords", 1)
    assert (finding["critical"], finding["source"], finding["detail"]) == (
        True,
        "csms",
        {"failures": 5, "windowMinutes": 15},
    )
    # The real charger, with the right password, is admitted at once.
    started = time.monotonic()
    async with connected(runtime, "CP-GUESSED", "ocpp1.6"):
        pass
    assert time.monotonic() - started < answer_delay(4)
