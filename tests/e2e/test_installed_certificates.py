"""Installed certificates end to end: real 1.6 and 2.0.1 charge points keep the root certificates they are sent
(InstallCertificate), list them (GetInstalledCertificateIds) and delete them (DeleteCertificate), all through the
command workflow on the embedded runtime; the operator API shows what the CSMS learned from their answers."""

import asyncio
from typing import Any
from urllib.parse import urlencode

import pytest
from ocpp.routing import on
from ocpp.v16 import ChargePoint as ChargePoint16
from ocpp.v16 import call_result as result16
from ocpp.v201 import ChargePoint as ChargePoint201
from ocpp.v201 import call_result as result201

from csms.local.runtime import LocalRuntime
from tests.e2e.charge_points import connected
from tests.e2e.conftest import OperatorApi
from tests.root_certificates import hash_data, root_pem

pytestmark = pytest.mark.e2e

WAIT_SECONDS = 30


def snake(data: dict[str, str]) -> dict[str, str]:
    """Hash data as the ocpp library's dataclasses take it (it spells the keys in camelCase on the wire)."""
    return {
        "hash_algorithm": data["hashAlgorithm"],
        "issuer_name_hash": data["issuerNameHash"],
        "issuer_key_hash": data["issuerKeyHash"],
        "serial_number": data["serialNumber"],
    }


class Trusting:
    """A station's certificate store: type and hash data of each certificate installed."""

    def __init__(self) -> None:
        self.store: list[tuple[str, dict[str, str]]] = []

    def install(self, certificate_type: str, certificate: str) -> None:
        self.store.append((certificate_type, hash_data(certificate)))

    def delete(self, data: dict[str, str]) -> bool:
        """`data` as the library hands it over (snake_case keys)."""
        kept = [(kind, held) for kind, held in self.store if snake(held) != data]
        found = len(kept) < len(self.store)
        self.store = kept
        return found


class Station16(ChargePoint16, Trusting):  # type: ignore[misc]
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        ChargePoint16.__init__(self, *args, **kwargs)
        Trusting.__init__(self)

    @on("InstallCertificate")
    async def on_install(self, certificate_type: str, certificate: str, **_: Any) -> result16.InstallCertificate:
        self.install(certificate_type, certificate)
        return result16.InstallCertificate(status="Accepted")

    @on("GetInstalledCertificateIds")
    async def on_ids(self, certificate_type: str, **_: Any) -> result16.GetInstalledCertificateIds:
        listed = [snake(data) for kind, data in self.store if kind == certificate_type]
        if not listed:
            return result16.GetInstalledCertificateIds(status="NotFound")
        return result16.GetInstalledCertificateIds(status="Accepted", certificate_hash_data=listed)

    @on("DeleteCertificate")
    async def on_delete(self, certificate_hash_data: dict[str, str], **_: Any) -> result16.DeleteCertificate:
        found = self.delete(certificate_hash_data)
        return result16.DeleteCertificate(status="Accepted" if found else "NotFound")


class Station201(ChargePoint201, Trusting):  # type: ignore[misc]
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        ChargePoint201.__init__(self, *args, **kwargs)
        Trusting.__init__(self)

    @on("InstallCertificate")
    async def on_install(self, certificate_type: str, certificate: str, **_: Any) -> result201.InstallCertificate:
        self.install(certificate_type, certificate)
        return result201.InstallCertificate(status="Accepted")

    @on("GetInstalledCertificateIds")
    async def on_ids(self, **_: Any) -> result201.GetInstalledCertificateIds:
        chain = [{"certificate_type": kind, "certificate_hash_data": snake(data)} for kind, data in self.store]
        if not chain:
            return result201.GetInstalledCertificateIds(status="NotFound")
        return result201.GetInstalledCertificateIds(status="Accepted", certificate_hash_data_chain=chain)

    @on("DeleteCertificate")
    async def on_delete(self, certificate_hash_data: dict[str, str], **_: Any) -> result201.DeleteCertificate:
        found = self.delete(certificate_hash_data)
        return result201.DeleteCertificate(status="Accepted" if found else "NotFound")


async def finished(api: OperatorApi, command_id: str) -> dict[str, Any]:
    for _ in range(WAIT_SECONDS * 4):
        command: dict[str, Any] = (await api.request("GET", f"/commands/{command_id}")).body
        if command["status"] not in ("Pending", "Sent"):
            return command
        await asyncio.sleep(0.25)
    raise AssertionError(f"command {command_id} not answered in time")


async def installed(api: OperatorApi, charger_id: str, query: str = "") -> list[tuple[str, dict[str, str]]]:
    response = await api.request("GET", f"/chargers/{charger_id}/installed-certificates{query}")
    assert response.status == 200, response.body
    keys = ("hashAlgorithm", "issuerNameHash", "issuerKeyHash", "serialNumber")
    return [(item["certificateType"], {key: item[key] for key in keys}) for item in response.body["items"]]


@pytest.mark.parametrize(
    ("subprotocol", "station", "root_type"),
    [("ocpp1.6", Station16, "CentralSystemRootCertificate"), ("ocpp2.0.1", Station201, "CSMSRootCertificate")],
    ids=["1.6", "2.0.1"],
)
async def test_install_list_and_delete_a_root_certificate(
    runtime: LocalRuntime, api: OperatorApi, subprotocol: str, station: type, root_type: str
) -> None:
    charger_id = f"TRUST-{subprotocol[-3:].replace('.', '')}"
    await api.register_charger(charger_id)
    root, manufacturer = root_pem("Operator Root"), root_pem("Manufacturer Root", serial=77)
    path = f"/chargers/{charger_id}/installed-certificates"

    async with connected(runtime, charger_id, subprotocol, charge_point_class=station) as charge_point:
        garbage = await api.request("POST", path, {"certificateType": root_type, "certificate": "not a PEM"})
        installing = await api.request("POST", path, {"certificateType": root_type, "certificate": root})
        assert installing.status == 202, installing.body
        assert (await finished(api, installing.body["commandId"]))["status"] == "Accepted"
        after_install = await installed(api, charger_id)

        # Installed behind the CSMS's back: only asking the charger tells.
        charge_point.install("ManufacturerRootCertificate", manufacturer)
        refreshed = await installed(api, charger_id, "?refresh=true")

        deleting = await api.request("DELETE", f"{path}?{urlencode(hash_data(root))}")
        assert deleting.status == 202, deleting.body
        assert (await finished(api, deleting.body["commandId"]))["status"] == "Accepted"
        after_delete = await installed(api, charger_id)

    assert garbage.status == 422
    assert after_install == [(root_type, hash_data(root))]
    assert sorted(refreshed) == sorted(
        [(root_type, hash_data(root)), ("ManufacturerRootCertificate", hash_data(manufacturer))]
    )
    assert after_delete == [("ManufacturerRootCertificate", hash_data(manufacturer))]
