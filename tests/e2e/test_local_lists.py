"""Local authorization lists kept in sync end to end: real 1.6 and 2.0.1 charge points (the `ocpp` library's classes,
which validate every call against the official schemas) keep their own list as the specification says (a Full update
replaces it, a Differential one adds, replaces or removes entries) and report small limits per message; the embedded
runtime keeps it equal to the wanted list through token additions, blocks and deletions, a charger offline while
tokens change, a VersionMismatch and a failed update, and the operator API shows where it stands."""

import itertools
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
from ocpp.routing import on
from ocpp.v16 import ChargePoint as ChargePoint16
from ocpp.v16 import call as call16
from ocpp.v16 import call_result as result16
from ocpp.v201 import ChargePoint as ChargePoint201
from ocpp.v201 import call as call201
from ocpp.v201 import call_result as result201

from csms.local.runtime import LocalRuntime
from tests.e2e.charge_points import connected
from tests.e2e.conftest import OperatorApi
from tests.e2e.site_chargers import until

pytestmark = pytest.mark.e2e

OCPP16, OCPP201 = "ocpp1.6", "ocpp2.0.1"
WAIT_SECONDS = 90  # generous: a loaded 2-core CI machine carries each message through a workflow and a stream
ITEMS_PER_MESSAGE = 2  # what the test chargers report: a list of 5 goes as 3 messages
DEFAULT_TYPE = "ISO14443"  # the 2.0.1 type of a token registered without one

Entry = tuple[str, str | None]  # (id token, 2.0.1 type)


class KeptList:
    """A charge point's own local list, kept as the specification says: a Full update replaces it, a Differential
    one adds or replaces the entries with info and removes those without; a Differential update whose version is
    not above the one held is a VersionMismatch. `refuse_next` answers the next update with that status instead."""

    def setup(self, items_per_message: int, kept: "KeptList | None") -> None:
        """`kept`: the list it held before it restarted."""
        self.items_per_message = items_per_message
        self.version: int = kept.version if kept is not None else 0
        self.entries: dict[Entry, str] = dict(kept.entries) if kept is not None else {}  # -> status
        self.updates: list[tuple[str, int, int]] = []  # (updateType, version, entries) of each SendLocalList
        self.refuse_next: str | None = None

    def apply(self, version: int, update_type: str, changes: list[tuple[Entry, str | None]]) -> str:
        self.updates.append((update_type, version, len(changes)))
        refusal, self.refuse_next = self.refuse_next, None
        if refusal is not None:
            return refusal
        if update_type == "Differential" and version <= self.version:
            return "VersionMismatch"
        if update_type == "Full":
            self.entries = {}
        for entry, status in changes:
            if status is None:
                self.entries.pop(entry, None)
            else:
                self.entries[entry] = status
        self.version = version
        return "Accepted"


class Station16(ChargePoint16, KeptList):  # type: ignore[misc]
    async def boot(self) -> None:
        answer = await self.call(call16.BootNotification(charge_point_vendor="Acme", charge_point_model="AC-22"))
        assert answer.status == "Accepted"

    @on("GetConfiguration")
    async def on_get_configuration(self, key: list[str] | None = None) -> result16.GetConfiguration:
        values = {"SendLocalListMaxLength": str(self.items_per_message), "LocalAuthListMaxLength": "100"}
        known = [{"key": name, "readonly": True, "value": values[name]} for name in key or values if name in values]
        unknown = [name for name in key or () if name not in values]
        return result16.GetConfiguration(configuration_key=known, unknown_key=unknown or None)

    @on("GetLocalListVersion")
    async def on_get_version(self) -> result16.GetLocalListVersion:
        return result16.GetLocalListVersion(list_version=self.version)

    @on("SendLocalList")
    async def on_send(
        self, list_version: int, update_type: str, local_authorization_list: list[dict[str, Any]] | None = None
    ) -> result16.SendLocalList:
        changes: list[tuple[Entry, str | None]] = [
            ((data["id_tag"], None), data["id_tag_info"]["status"] if "id_tag_info" in data else None)
            for data in local_authorization_list or []
        ]
        return result16.SendLocalList(status=self.apply(list_version, update_type, changes))


class Station201(ChargePoint201, KeptList):  # type: ignore[misc]
    async def boot(self) -> None:
        station = {"vendor_name": "Acme", "model": "AC-22"}
        answer = await self.call(call201.BootNotification(charging_station=station, reason="PowerUp"))
        assert answer.status == "Accepted"

    @on("GetVariables")
    async def on_get_variables(self, get_variable_data: list[dict[str, Any]]) -> result201.GetVariables:
        def result(data: dict[str, Any]) -> dict[str, Any]:
            known = (data["component"]["name"], data["variable"]["name"]) == ("LocalAuthListCtrlr", "ItemsPerMessage")
            answer = {"attribute_status": "Accepted" if known else "UnknownVariable"}
            value = {"attribute_value": str(self.items_per_message)} if known else {}
            return answer | value | {"component": data["component"], "variable": data["variable"]}

        return result201.GetVariables(get_variable_result=[result(data) for data in get_variable_data])

    @on("GetLocalListVersion")
    async def on_get_version(self) -> result201.GetLocalListVersion:
        return result201.GetLocalListVersion(version_number=self.version)

    @on("SendLocalList")
    async def on_send(
        self, version_number: int, update_type: str, local_authorization_list: list[dict[str, Any]] | None = None
    ) -> result201.SendLocalList:
        changes: list[tuple[Entry, str | None]] = [
            (
                (data["id_token"]["id_token"], data["id_token"]["type"]),
                data["id_token_info"]["status"] if "id_token_info" in data else None,
            )
            for data in local_authorization_list or []
        ]
        return result201.SendLocalList(status=self.apply(version_number, update_type, changes))


@asynccontextmanager
async def station(
    runtime: LocalRuntime,
    charger_id: str,
    subprotocol: str,
    items_per_message: int = ITEMS_PER_MESSAGE,
    kept: KeptList | None = None,
) -> AsyncIterator[Any]:
    """A connected and booted charge point keeping its own list (`kept`: the one it held before)."""
    base = Station16 if subprotocol == OCPP16 else Station201

    def make(*args: Any, **kwargs: Any) -> Any:
        charge_point = base(*args, **kwargs)
        charge_point.setup(items_per_message, kept)
        return charge_point

    async with connected(runtime, charger_id, subprotocol, charge_point_class=make) as charge_point:
        await charge_point.boot()
        yield charge_point


class Tokens:
    """The fleet's id tokens as the test changed them, and the list a charger of a version should hold."""

    def __init__(self, api: OperatorApi) -> None:
        self._api = api
        self.statuses: dict[str, str] = {}

    async def put(self, id_token: str, status: str = "Accepted") -> None:
        response = await self._api.request("PUT", f"/id-tokens/{id_token}", {"status": status})
        assert response.status == 200, response.body
        self.statuses[id_token] = status

    async def delete(self, id_token: str) -> None:
        response = await self._api.request("DELETE", f"/id-tokens/{id_token}")
        assert response.status == 204, response.body
        del self.statuses[id_token]

    def wanted(self, subprotocol: str) -> dict[Entry, str]:
        token_type = None if subprotocol == OCPP16 else DEFAULT_TYPE
        return {(id_token, token_type): status for id_token, status in self.statuses.items()}


async def local_list(api: OperatorApi, charger_id: str) -> dict[str, Any]:
    response = await api.request("GET", f"/chargers/{charger_id}/local-list")
    assert response.status == 200, response.body
    body: dict[str, Any] = response.body
    return body


def shown_entries(shown: dict[str, Any]) -> dict[Entry, str]:
    return {(entry["idToken"], entry["type"]): entry["status"] for entry in shown["entries"]}


async def until_in_sync(api: OperatorApi, charger_id: str, charge_point: Any, tokens: Tokens, subprotocol: str) -> None:
    """The charger holds the wanted list, the API shows it so, and no message is under way."""
    wanted = tokens.wanted(subprotocol)
    last: dict[str, Any] = {}

    async def in_sync() -> bool:
        nonlocal last
        last = await local_list(api, charger_id)
        return last["status"] == "InSync" and shown_entries(last) == wanted and charge_point.entries == wanted

    await until(
        in_sync,
        WAIT_SECONDS,
        lambda: f"charger holds {charge_point.entries} after {charge_point.updates}, API shows {last}",
    )
    assert last["version"] == charge_point.version
    assert last["heldEntries"] == len(wanted)


def versions_increase(charge_point: Any) -> bool:
    versions = [version for _, version, _ in charge_point.updates]
    return all(earlier < later for earlier, later in itertools.pairwise(versions))


async def enable(api: OperatorApi, charger_id: str, via: str) -> None:
    if via == "site":
        site_id = f"site-{charger_id.lower()}"
        site = {"name": site_id, "gridLimitAmps": 64, "localList": {"enabled": True}}
        assert (response := await api.request("PUT", f"/sites/{site_id}", site)).status == 200, response.body
        body: dict[str, Any] = {"siteId": site_id}
    else:
        body = {"localList": {"enabled": True}}
    assert (response := await api.request("PUT", f"/chargers/{charger_id}", body)).status == 200, response.body


VERSIONS = pytest.mark.parametrize("subprotocol", [OCPP16, OCPP201], ids=["1.6", "2.0.1"])


@VERSIONS
@pytest.mark.parametrize("via", ["charger", "site"])
async def test_an_enabled_list_is_sent_in_full_then_follows_additions_blocks_and_deletions(
    runtime: LocalRuntime, api: OperatorApi, subprotocol: str, via: str
) -> None:
    charger_id = f"LIST-{via.upper()}-{subprotocol[-3:].replace('.', '')}"
    tokens = Tokens(api)
    for id_token in ("TAG-A", "TAG-B", "TAG-C", "TAG-D"):
        await tokens.put(id_token)
    await tokens.put("TAG-LOST", "Blocked")
    await api.register_charger(charger_id)

    async with station(runtime, charger_id, subprotocol) as charge_point:
        await enable(api, charger_id, via)
        await until_in_sync(api, charger_id, charge_point, tokens, subprotocol)
        # 5 entries at 2 a message: a Full update, then Differential ones
        assert [update for update, _, _ in charge_point.updates] == ["Full", "Differential", "Differential"]
        shown = await local_list(api, charger_id)
        assert shown["enabled"] is True
        assert next(entry["idToken"] for entry in shown["entries"]) == "TAG-LOST"  # refused ones first

        for change in (tokens.put("TAG-E"), tokens.put("TAG-B", "Blocked"), tokens.delete("TAG-C")):
            sent = len(charge_point.updates)
            await change
            await until_in_sync(api, charger_id, charge_point, tokens, subprotocol)
            assert [update for update, _, _ in charge_point.updates[sent:]] == ["Differential"]

    assert versions_increase(charge_point), charge_point.updates
    assert all(entries <= ITEMS_PER_MESSAGE for _, _, entries in charge_point.updates), charge_point.updates


@VERSIONS
async def test_a_charger_offline_while_tokens_change_gets_one_update_when_it_reconnects(
    runtime: LocalRuntime, api: OperatorApi, subprotocol: str
) -> None:
    charger_id = f"LIST-OFFLINE-{subprotocol[-3:].replace('.', '')}"
    tokens = Tokens(api)
    for id_token in ("TAG-A", "TAG-B", "TAG-C"):
        await tokens.put(id_token)
    await api.register_charger(charger_id)
    per_message = 10
    async with station(runtime, charger_id, subprotocol, per_message) as charge_point:
        await enable(api, charger_id, "charger")
        await until_in_sync(api, charger_id, charge_point, tokens, subprotocol)
    kept = charge_point  # the list it keeps while offline
    await until(lambda: _disconnected(api, charger_id), WAIT_SECONDS, lambda: f"{charger_id} still shown connected")

    await tokens.put("TAG-D")
    await tokens.put("TAG-E")
    await tokens.put("TAG-A", "Blocked")
    await tokens.delete("TAG-B")
    await until(
        lambda: _pending_offline(api, charger_id), WAIT_SECONDS, lambda: "the list never shown Pending while offline"
    )

    async with station(runtime, charger_id, subprotocol, per_message, kept) as charge_point:
        await until_in_sync(api, charger_id, charge_point, tokens, subprotocol)
        assert [update for update, _, _ in charge_point.updates] == ["Differential"]  # one, not a replay
        (_, version, entries) = charge_point.updates[0]
    assert version > kept.version
    assert entries == 4  # TAG-B removed, TAG-A blocked, TAG-D and TAG-E added


async def _disconnected(api: OperatorApi, charger_id: str) -> bool:
    response = await api.request("GET", f"/chargers/{charger_id}")
    return response.status == 200 and not response.body["connected"]


async def _pending_offline(api: OperatorApi, charger_id: str) -> bool:
    shown = await local_list(api, charger_id)
    return shown["status"] == "Pending" and "offline" in (shown["reason"] or "")


@VERSIONS
async def test_a_version_mismatch_is_answered_with_a_full_update(
    runtime: LocalRuntime, api: OperatorApi, subprotocol: str
) -> None:
    charger_id = f"LIST-MISMATCH-{subprotocol[-3:].replace('.', '')}"
    tokens = Tokens(api)
    for id_token in ("TAG-A", "TAG-B"):
        await tokens.put(id_token)
    await api.register_charger(charger_id)

    async with station(runtime, charger_id, subprotocol) as charge_point:
        await enable(api, charger_id, "charger")
        await until_in_sync(api, charger_id, charge_point, tokens, subprotocol)
        sent = len(charge_point.updates)
        charge_point.refuse_next = "VersionMismatch"
        await tokens.put("TAG-C")
        await until_in_sync(api, charger_id, charge_point, tokens, subprotocol)

    after = [update for update, _, _ in charge_point.updates[sent:]]
    assert after[:2] == ["Differential", "Full"]  # refused, then the whole list again (2 a message)
    assert set(after[2:]) <= {"Differential"}
    assert versions_increase(charge_point), charge_point.updates


@VERSIONS
async def test_a_failed_update_is_shown_with_the_reason_and_tried_again_at_the_next_change(
    runtime: LocalRuntime, api: OperatorApi, subprotocol: str
) -> None:
    charger_id = f"LIST-FAILED-{subprotocol[-3:].replace('.', '')}"
    tokens = Tokens(api)
    await tokens.put("TAG-A")
    await api.register_charger(charger_id)

    async with station(runtime, charger_id, subprotocol) as charge_point:
        await enable(api, charger_id, "charger")
        await until_in_sync(api, charger_id, charge_point, tokens, subprotocol)
        charge_point.refuse_next = "Failed"
        await tokens.put("TAG-B")

        async def failed() -> bool:
            return (await local_list(api, charger_id))["status"] == "Failed"

        await until(failed, WAIT_SECONDS, lambda: "the failed update never shown")
        shown = await local_list(api, charger_id)
        assert "Failed" in shown["reason"]
        assert ("TAG-B", None if subprotocol == OCPP16 else DEFAULT_TYPE) not in charge_point.entries

        await tokens.put("TAG-C")
        await until_in_sync(api, charger_id, charge_point, tokens, subprotocol)
    assert versions_increase(charge_point), charge_point.updates
