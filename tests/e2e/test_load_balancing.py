"""Load balancing end to end: real WebSocket charge points of both versions at one site of the embedded
runtime, each keeping its own timestamped record of its sessions and of the profiles it accepted.

Three sites (limit 32 A, minimum 6 A) run a scenario each: sessions that start and stop, a charger that
rejects a decrease, a charger that goes offline mid-session. From the chargers' records: each holds the
site's 0 A TxDefaultProfile before its first session, every step ends with the fair share (which
`GET /api/sites/{id}/allocation` shows applied), a rejected decrease lets nobody else be raised, an offline
charger is counted at its last limit, and, at every instant, the sessions' limits (TxProfile, else
TxDefaultProfile, else the charger's maximum) never add up to more than the limit.

The scenarios wait on conditions with generous deadlines (a loaded 2-core CI machine) and assert nothing
about timing.
"""

import contextlib
import functools
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
import pytest_asyncio

from csms.local.runtime import LocalRuntime
from tests.e2e.charge_points import connected
from tests.e2e.conftest import OperatorApi, module_runtime
from tests.e2e.site_chargers import (
    TX_DEFAULT_PROFILE,
    ChargerRecord,
    ProfileAnswered,
    SessionStarted,
    SiteCharger16,
    SiteCharger201,
    is_fair_share,
    site_instants,
    until,
)
from tests.e2e.test_commands import COMMAND_SETTINGS, OCPP16, OCPP201

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="module")]

runtime, api, _environment = module_runtime(COMMAND_SETTINGS)

LIMIT = Decimal(32)
MINIMUM = Decimal(6)
TAG = "LB-TAG"
SETTLE_SECONDS = 90  # a rebalance takes a few seconds; a loaded CI machine, much longer


@dataclass(frozen=True)
class Scenario:
    site_id: str
    records: dict[str, ChargerRecord]
    settled: list[tuple[str, dict[str, Decimal]]]  # (step, each active session's limit) once it settled


def shares(records: Sequence[ChargerRecord]) -> dict[str, Decimal]:
    """Each active session's limit now, by "charger/transaction"."""
    return {f"{r.charger_id}/{tx}": amps for r in records for tx, amps in r.limits().items()}


def is_fair(records: Sequence[ChargerRecord]) -> bool:
    return is_fair_share([(amps, r.state.max_amps) for r in records for amps in r.limits().values()], LIMIT)


async def settle(scenario: Scenario, step: str, condition: Any = None) -> None:
    """Wait until the chargers hold the fair share (or `condition`), and keep what they hold."""
    records = list(scenario.records.values())
    await until(condition or (lambda: is_fair(records)), SETTLE_SECONDS, lambda: f"{step}: {shares(records)}")
    scenario.settled.append((step, shares(records)))


async def allocation_agrees(api: OperatorApi, scenario: Scenario) -> bool:
    """Whether `GET /api/sites/{id}/allocation` shows each active session applied at what its charger holds."""
    response = await api.request("GET", f"/sites/{scenario.site_id}/allocation")
    assert response.status == 200, response.body
    shown = {
        f"{s['chargerId']}/{s['transactionId']}": (Decimal(str(s["allocatedAmps"])), Decimal(str(s["effectiveAmps"])))
        for s in response.body["sessions"]
        if s["profileStatus"] == "Applied"
    }
    return shown == {key: (amps, amps) for key, amps in shares(list(scenario.records.values())).items()}


async def settle_with_the_api(api: OperatorApi, scenario: Scenario, step: str) -> None:
    """The fair share, and the operator API showing it applied."""
    await settle(scenario, step)
    await until(lambda: allocation_agrees(api, scenario), SETTLE_SECONDS, lambda: f"{step}: the API disagrees")


async def open_site(api: OperatorApi, site_id: str, chargers: Sequence[tuple[str, str, int]]) -> Scenario:
    """The site, and its chargers (id, OCPP version, maximum) registered and joined to it."""
    put = await api.request(
        "PUT",
        f"/sites/{site_id}",
        {"name": site_id, "gridLimitAmps": int(LIMIT), "minChargingCurrentAmps": int(MINIMUM), "timeZone": "UTC"},
    )
    assert put.status == 200, put.body
    await api.register_token(TAG)
    records = {}
    for charger_id, version, max_amps in chargers:
        await api.register_charger(charger_id)
        joined = await api.request("PUT", f"/chargers/{charger_id}", {"siteId": site_id, "maxCurrentAmps": max_amps})
        assert joined.status == 200, joined.body
        records[charger_id] = ChargerRecord(charger_id, version, Decimal(max_amps))
    return Scenario(site_id, records, [])


@contextlib.asynccontextmanager
async def online(runtime: LocalRuntime, record: ChargerRecord, boot: bool = True) -> AsyncIterator[Any]:
    """The charger connected (and booted, then holding the site's 0 A TxDefaultProfile, before any session)."""
    factory = functools.partial(SiteCharger16 if record.version == OCPP16 else SiteCharger201, record=record)
    async with connected(runtime, record.charger_id, record.version, charge_point_class=factory) as charge_point:
        if boot:
            await charge_point.boot()
            await until(lambda: record.holds_default(Decimal(0)), SETTLE_SECONDS, lambda: record.state.installed)
        yield charge_point


async def all_online(runtime: LocalRuntime, scenario: Scenario, stack: contextlib.AsyncExitStack) -> dict[str, Any]:
    return {cid: await stack.enter_async_context(online(runtime, r)) for cid, r in scenario.records.items()}


def no_rebalance_running(runtime: LocalRuntime) -> bool:
    stepfunctions = runtime.backend.client("stepfunctions")
    arn = runtime.backend.rebalance_state_machine_arn
    return not stepfunctions.list_executions(stateMachineArn=arn, statusFilter="RUNNING")["executions"]


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def sharing(runtime: LocalRuntime, api: OperatorApi) -> Scenario:
    """Four chargers (two of each version, one of at most 10 A): sessions start, two at once, and stop."""
    scenario = await open_site(
        api,
        "lb-share",
        [("LB-A16", OCPP16, 32), ("LB-B201", OCPP201, 32), ("LB-C16", OCPP16, 32), ("LB-D201", OCPP201, 10)],
    )
    async with contextlib.AsyncExitStack() as stack:
        cp = await all_online(runtime, scenario, stack)
        await cp["LB-A16"].start_session(TAG)
        await settle(scenario, "A alone")
        await cp["LB-B201"].start_session(TAG)
        await cp["LB-C16"].start_session(TAG)
        await settle(scenario, "B and C join A")
        await cp["LB-D201"].start_session(TAG)
        await settle(scenario, "D joins")
        await cp["LB-B201"].stop_session()
        await settle(scenario, "B leaves")
        await cp["LB-A16"].stop_session()
        await settle_with_the_api(api, scenario, "A leaves")
    return scenario


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def rejecting(runtime: LocalRuntime, api: OperatorApi) -> Scenario:
    """X (1.6) rejects its decrease when Z arrives; once the rebalance that met the rejection is over, X
    accepts again and the next change of the site's picture (the operator's live limit) shares it fairly."""
    scenario = await open_site(
        api, "lb-reject", [("LB-X16", OCPP16, 32), ("LB-Y201", OCPP201, 32), ("LB-Z16", OCPP16, 32)]
    )
    x = scenario.records["LB-X16"]
    async with contextlib.AsyncExitStack() as stack:
        chargers = [await stack.enter_async_context(online(runtime, record)) for record in scenario.records.values()]
        await chargers[0].start_session(TAG)
        await chargers[1].start_session(TAG)
        await settle(scenario, "X and Y")
        x.reject_decreases = True
        await chargers[2].start_session(TAG)
        await settle(scenario, "X rejected its decrease", lambda: bool(x.tx_profiles(accepted=False)))
        await until(lambda: no_rebalance_running(runtime), SETTLE_SECONDS, lambda: "a rebalance still runs")
        x.reject_decreases = False
        valid_until = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
        live = await api.request("PUT", "/sites/lb-reject/limit", {"limitAmps": int(LIMIT), "validUntil": valid_until})
        assert live.status == 200, live.body
        await settle_with_the_api(api, scenario, "X accepts again")
    return scenario


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def going_offline(runtime: LocalRuntime, api: OperatorApi) -> Scenario:
    """R (2.0.1) goes offline mid-session: while it is away it is counted at its last limit, and P gets only
    what R leaves when Q's session ends; once R is back and its session ends, P gets it all."""
    scenario = await open_site(
        api, "lb-offline", [("LB-P201", OCPP201, 32), ("LB-Q16", OCPP16, 32), ("LB-R201", OCPP201, 32)]
    )
    p, q, r = scenario.records.values()
    async with online(runtime, p) as p_charger, online(runtime, q) as q_charger:
        async with online(runtime, r) as r_charger:
            for charger in (p_charger, q_charger, r_charger):
                await charger.start_session(TAG)
            await settle(scenario, "P, Q and R")
        # R's connection is gone; its session goes on at the limit it holds.
        [r_last] = r.limits().values()
        await until(lambda: connected_now(api, r.charger_id, False), SETTLE_SECONDS, lambda: "R still connected")
        await q_charger.stop_session()
        await settle(scenario, "Q leaves while R is away", lambda: list(p.limits().values()) == [LIMIT - r_last])
        async with online(runtime, r, boot=False) as r_charger:
            await r_charger.stop_session()
            await settle(scenario, "R is back and leaves", lambda: list(p.limits().values()) == [LIMIT])
            await until(lambda: allocation_agrees(api, scenario), SETTLE_SECONDS, lambda: "the API disagrees")
    return scenario


async def connected_now(api: OperatorApi, charger_id: str, expected: bool) -> bool:
    response = await api.request("GET", f"/chargers/{charger_id}")
    assert response.status == 200, response.body
    return response.body["connected"] is expected


def records_of(*scenarios: Scenario) -> list[list[ChargerRecord]]:
    return [list(scenario.records.values()) for scenario in scenarios]


async def test_sessions_that_start_and_stop_get_the_fair_share(sharing: Scenario) -> None:
    held = dict(sharing.settled)
    assert list(held) == ["A alone", "B and C join A", "D joins", "B leaves", "A leaves"]
    assert list(held["A alone"].values()) == [LIMIT]
    assert sorted(held["B and C join A"].values()) == [Decimal("10.6"), Decimal("10.7"), Decimal("10.7")]
    assert sorted(held["D joins"].values()) == [8, 8, 8, 8]
    assert sorted(held["B leaves"].values()) == [10, 11, 11]  # D is capped at its 10 A; A and C share the rest
    assert sorted(held["A leaves"].values()) == [10, 22]


async def test_the_chargers_accept_tx_profiles_in_amps_for_their_transaction(
    sharing: Scenario, rejecting: Scenario, going_offline: Scenario
) -> None:
    for records in records_of(sharing, rejecting, going_offline):
        for record in records:
            answered = record.tx_profiles()
            assert answered, f"{record.charger_id} received no TxProfile"
            for _, profile, _ in answered:
                assert (profile.place, profile.rate_unit, profile.transaction_id is None) == (1, "A", False), profile
            refused = [profile for _, profile, accepted in answered if not accepted]
            assert not refused or record.charger_id == "LB-X16", refused


async def test_a_charger_that_rejects_a_decrease_keeps_the_others_from_being_raised(rejecting: Scenario) -> None:
    x = rejecting.records["LB-X16"]
    rejections = x.tx_profiles(accepted=False)  # the site tick may have asked again while X kept rejecting
    rejected_at, refused, _ = rejections[0]
    [accepted_next, *_] = [at for at, _, accepted in x.tx_profiles() if accepted and at > rejections[-1][0]]
    instants = list(site_instants(list(rejecting.records.values())))
    [at_rejection] = [instant for instant in instants if instant.at == rejected_at]
    x_key = next(key for key in at_rejection.limits if key.startswith("LB-X16/"))
    assert refused.amps < at_rejection.limits[x_key], "X refused a decrease"
    # Until X accepted again, nobody else was raised (into the headroom X kept).
    for instant in instants:
        if rejected_at <= instant.at < accepted_next:
            raised = {
                key: amps
                for key, amps in instant.limits.items()
                if key != x_key and amps > at_rejection.limits.get(key, Decimal(0))
            }
            assert not raised, raised
    assert sorted(dict(rejecting.settled)["X accepts again"].values()) == [
        Decimal("10.6"),
        Decimal("10.7"),
        Decimal("10.7"),
    ]


async def test_a_charger_offline_mid_session_is_counted_at_its_last_limit(going_offline: Scenario) -> None:
    held = dict(going_offline.settled)
    r_last = held["P, Q and R"]["LB-R201/LB-R201-1"]
    assert list(held["Q leaves while R is away"].values()) == [LIMIT - r_last, r_last]
    assert list(held["R is back and leaves"].values()) == [LIMIT]


async def test_the_chargers_hold_a_0_a_default_from_boot(
    sharing: Scenario, rejecting: Scenario, going_offline: Scenario
) -> None:
    for records in records_of(sharing, rejecting, going_offline):
        for record in records:
            [first_start, *_] = [event.at for event in record.log if isinstance(event, SessionStarted)]
            defaults = [
                event
                for event in record.log
                if isinstance(event, ProfileAnswered) and event.profile.purpose == TX_DEFAULT_PROFILE
            ]
            assert any(
                event.accepted and event.at < first_start and (event.profile.place, event.profile.amps) == (0, 0)
                for event in defaults
            ), defaults


async def test_the_site_limit_holds_at_every_instant(
    sharing: Scenario, rejecting: Scenario, going_offline: Scenario
) -> None:
    """The sessions' limits (TxProfile, else TxDefaultProfile, else the charger's maximum) after every thing
    any charger did: with X counted at the limit it kept, R at its last one while it was away."""
    for records in records_of(sharing, rejecting, going_offline):
        over = [instant for instant in site_instants(records) if instant.total > LIMIT]
        assert not over, over[:3]
