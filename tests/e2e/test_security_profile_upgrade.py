"""The security profile upgrade end to end on the embedded runtime, over real TLS (`csms local --tls-port`): a 2.0.1
charge point at profile 2 (its password over TLS) does what the upgrade's commands say: it signs a CSR when triggered,
installs the CSMS root, takes the new network profile and its priority, restarts on Reset and reconnects with its
certificate to the URL of that profile. The CSMS records profile 3 only then, and the password is refused after."""

import asyncio
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import websockets
from ocpp.routing import after, on
from ocpp.v201 import call as call201
from ocpp.v201 import call_result as result201

from csms.local.runtime import LocalRuntime, running_runtime
from csms.local.tls import TlsOptions
from tests.e2e.conftest import PASSWORD, OperatorApi, basic_auth
from tests.e2e.test_certificates import Station201
from tests.e2e.test_security_profile_3 import QUIET, V201, Credentials, boots, refused_status, tls_context
from tests.pki_requests import csr_pem, p256_key

pytestmark = pytest.mark.e2e

WAIT_SECONDS = 60


@pytest.fixture
async def runtime() -> AsyncIterator[LocalRuntime]:
    async with running_runtime(port=0, tls=TlsOptions(port=0), extra_env=QUIET) as started:
        yield started


@pytest.fixture
def api(runtime: LocalRuntime) -> OperatorApi:
    return OperatorApi(runtime)


class UpgradingStation(Station201):
    """A 2.0.1 station that does what the upgrade asks: signs a CSR when triggered, installs the root, takes the
    network profile and its priority, and restarts (closes its connection) on Reset."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.key = p256_key()
        self.installed: list[str] = []
        self.network_profiles: dict[int, dict[str, Any]] = {}
        self.priority = "0"
        self.reset = asyncio.Event()

    @on("TriggerMessage")
    async def on_trigger(self, requested_message: str, **_: Any) -> result201.TriggerMessage:
        return result201.TriggerMessage(status="Accepted")

    @after("TriggerMessage")
    async def send_signing_request(self, requested_message: str, **_: Any) -> None:
        await self.call(
            call201.SignCertificate(csr=csr_pem(self.id, key=self.key), certificate_type="ChargingStationCertificate")
        )

    @on("InstallCertificate")
    async def on_install(self, certificate_type: str, certificate: str, **_: Any) -> result201.InstallCertificate:
        self.installed.append(certificate_type)
        return result201.InstallCertificate(status="Accepted")

    @on("GetVariables")
    async def on_get_variables(self, get_variable_data: list[dict[str, Any]], **_: Any) -> result201.GetVariables:
        return result201.GetVariables(
            get_variable_result=[
                {
                    "attribute_status": "Accepted",
                    "component": data["component"],
                    "variable": data["variable"],
                    "attribute_value": self.priority,
                }
                for data in get_variable_data
            ]
        )

    @on("SetNetworkProfile")
    async def on_network_profile(
        self, configuration_slot: int, connection_data: dict[str, Any], **_: Any
    ) -> result201.SetNetworkProfile:
        self.network_profiles[configuration_slot] = connection_data
        return result201.SetNetworkProfile(status="Accepted")

    @on("SetVariables")
    async def on_set_variables(self, set_variable_data: list[dict[str, Any]], **_: Any) -> result201.SetVariables:
        self.priority = set_variable_data[0]["attribute_value"]
        return result201.SetVariables(
            set_variable_result=[
                {"attribute_status": "Accepted", "component": data["component"], "variable": data["variable"]}
                for data in set_variable_data
            ]
        )

    @on("Reset")
    async def on_reset(self, type: str, **_: Any) -> result201.Reset:
        return result201.Reset(status="Accepted")

    @after("Reset")
    async def restart(self, type: str, **_: Any) -> None:
        self.reset.set()

    def profile_in_force(self) -> dict[str, Any]:
        """The network profile of the first slot of NetworkConfigurationPriority."""
        return self.network_profiles[int(self.priority.split(",")[0])]


@contextlib.asynccontextmanager
async def station_over_tls(
    url: str, charger_id: str, credentials: Credentials | None, context: Any
) -> AsyncIterator[UpgradingStation]:
    """The station connected to `url` (its identity appended) with its password, or else its certificate."""
    headers = basic_auth(charger_id, PASSWORD) if credentials is None else {}
    async with websockets.connect(
        f"{url.rstrip('/')}/{charger_id}", subprotocols=[V201.subprotocol], additional_headers=headers, ssl=context
    ) as connection:
        station = UpgradingStation(charger_id, connection, response_timeout=10)
        station.version = V201
        listener = asyncio.create_task(station.start())
        try:
            yield station
        finally:
            listener.cancel()
            with contextlib.suppress(asyncio.CancelledError, websockets.ConnectionClosed):
                await listener


async def upgrade_state(api: OperatorApi, charger_id: str) -> dict[str, Any]:
    response = await api.request("GET", f"/chargers/{charger_id}/security-profile")
    assert response.status == 200, response.body
    body: dict[str, Any] = response.body
    return body


async def test_a_2_0_1_charger_at_profile_2_is_moved_to_3_and_recorded_so_once_it_reconnects_with_its_certificate(
    runtime: LocalRuntime, api: OperatorApi, tmp_path: Path
) -> None:
    await api.register_charger("UP-1")
    assert runtime.tls_ws_url is not None
    context = await asyncio.to_thread(tls_context, runtime, None)
    async with station_over_tls(runtime.tls_ws_url, "UP-1", None, context) as station:
        assert await boots(station) == "Accepted"
        started = await api.request(
            "POST", "/chargers/UP-1/security-profile", {"target": 3, "csmsUrl": f"{runtime.tls_ws_url}/"}
        )
        assert started.status == 202, started.body
        assert (await api.request("POST", "/chargers/UP-1/security-profile", {"target": 3})).status == 409
        await asyncio.wait_for(station.reset.wait(), WAIT_SECONDS)
        chain = station.chains.get_nowait()

    progress = (await upgrade_state(api, "UP-1"))["upgrade"]
    # The station has answered the Reset; the CSMS may not have read that answer yet.
    assert progress["status"] == "Running"
    assert progress["step"] in {"Reset", "Reconnect"}
    assert (await upgrade_state(api, "UP-1"))["securityProfile"] == 2  # nothing recorded before it reconnects
    assert station.installed == ["CSMSRootCertificate"]
    profile = station.profile_in_force()
    assert (profile["security_profile"], profile["ocpp_csms_url"], station.priority) == (
        3,
        f"{runtime.tls_ws_url}/",
        "1,0",
    )

    credentials = Credentials(tmp_path, "UP-1", station.key, chain)
    context = await asyncio.to_thread(tls_context, runtime, credentials)
    async with station_over_tls(profile["ocpp_csms_url"], "UP-1", credentials, context) as restarted:
        assert await boots(restarted) == "Accepted"
        state = await upgrade_state(api, "UP-1")

    assert state["securityProfile"] == 3
    assert (state["upgrade"]["status"], state["upgrade"]["upgradeId"]) == ("Completed", started.body["upgradeId"])
    actions = [c["action"] for c in (await api.request("GET", "/chargers/UP-1/commands")).body["items"]]
    assert sorted(actions) == sorted(
        [
            "TriggerMessage",
            "CertificateSigned",
            "InstallCertificate",
            "GetVariables",
            "SetNetworkProfile",
            "SetVariables",
            "Reset",
        ]
    )
    assert await refused_status(runtime, "UP-1", None, password=PASSWORD) == 401
