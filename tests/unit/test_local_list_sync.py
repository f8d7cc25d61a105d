"""The sync on fakes, against a simulated charger that keeps its own list as the specification says: whatever
sequence of token changes, answers, version mismatches, factory resets and disconnections, once the charger is
connected and every message answered, its list is the wanted list."""

from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st

from csms.commands.models import Command, CommandError
from csms.composition import compose
from csms.domain.configuration_variables import ConfigurationVariable
from csms.domain.local_lists import ListLimits, LocalListState, wanted_list
from csms.domain.models import IdToken, IdTokenStatus
from csms.domain.sites import Site, WiringChange
from csms.settings import get_settings
from csms.wire.versions import OcppVersion
from tests.conftest import TEST_ENVIRONMENT
from tests.fakes import (
    FixedClock,
    LocalKeySigner,
    RecordingPublisher,
    RecordingSender,
    RecordingWorkflows,
    in_memory_repositories,
)
from tests.wired import WiredServices, wired

CP = "CP-1"
LIMITS = ListLimits(items_per_message=3, max_entries=6)


@dataclass
class SimulatedCharger:
    """Its list as a charge point keeps it (1.6 by idTag, 2.0.1 by idToken and type)."""

    version: OcppVersion
    list_version: int = 0
    entries: dict[str, dict[str, Any]] = field(default_factory=dict)

    def answer(self, command: Command) -> dict[str, Any]:
        request, v16 = command.request, self.version is OcppVersion.V16
        if command.action == "GetLocalListVersion":
            return {"listVersion" if v16 else "versionNumber": self.list_version}
        if command.action == "GetConfiguration":
            return {"configurationKey": [{"key": "SendLocalListMaxLength", "readonly": True, "value": "3"}]}
        if command.action == "GetVariables":
            return {"getVariableResult": []}
        number = request["listVersion" if v16 else "versionNumber"]
        entries = request.get("localAuthorizationList") or []
        if request["updateType"] == "Differential" and number <= self.list_version:
            return {"status": "VersionMismatch"}
        if request["updateType"] == "Full":
            self.entries = {}
        for entry in entries:
            key = entry["idTag"] if v16 else f"{entry['idToken']['idToken']}/{entry['idToken']['type']}"
            info = entry.get("idTagInfo" if v16 else "idTokenInfo")
            if info is None:
                self.entries.pop(key, None)
            else:
                self.entries[key] = info
        self.list_version = number
        return {"status": "Accepted"}

    def listed(self) -> dict[str, str]:
        return {key.split("/")[0]: info["status"] for key, info in self.entries.items()}


def services() -> WiredServices:
    for name, value in TEST_ENVIRONMENT.items():
        import os  # noqa: PLC0415

        os.environ[name] = value
    repositories = in_memory_repositories()
    composed = compose(
        get_settings(),
        repositories,
        RecordingSender(),
        FixedClock(),
        RecordingWorkflows(),
        RecordingPublisher(),
        RecordingWorkflows(),
        LocalKeySigner(),
        RecordingWorkflows(),
    )
    return wired(composed, repositories)


operations = st.lists(
    st.one_of(
        st.tuples(st.just("token"), st.integers(0, 8), st.sampled_from([*IdTokenStatus, None])),
        st.tuples(st.just("answer"), st.booleans(), st.none()),
        st.tuples(st.just("disconnect"), st.none(), st.none()),
        st.tuples(st.just("reconnect"), st.booleans(), st.none()),  # True: after a factory reset
    ),
    max_size=25,
)


@settings(max_examples=60, deadline=None)
@given(version=st.sampled_from(list(OcppVersion)[:2]), steps=operations)
# A differential update answered by the charger after it reconnected from a factory reset.
@example(
    version=OcppVersion.V16,
    steps=[
        ("token", 1, IdTokenStatus.ACCEPTED),
        ("answer", True, None),
        ("answer", True, None),
        ("token", 0, IdTokenStatus.ACCEPTED),
        ("reconnect", True, None),
    ],
)
def test_once_synced_the_chargers_list_is_the_wanted_list(version: OcppVersion, steps: list[Any]) -> None:
    wired_services = services()
    repositories, sync = wired_services.repositories, wired_services.local_list_sync
    repositories.charge_points.register(CP, None, FixedClock().now())
    connections = iter(f"c-{n}" for n in range(1000))
    connection = next(connections)
    clock = FixedClock()
    repositories.charge_points.record_connected(CP, connection, version, clock.now())
    charger, answered = SimulatedCharger(version), set[str]()

    def connect() -> None:
        nonlocal connection
        connection = next(connections)
        clock.advance(seconds=1)
        repositories.charge_points.record_connected(CP, connection, version, clock.now())
        sync.sync([CP], reconnected=True)

    def pending() -> list[Command]:
        commands = repositories.commands.list_for_charge_point(CP, 1000).items
        return [command for command in reversed(commands) if command.command_id not in answered]

    def answer_next(deliver: bool) -> bool:
        waiting = pending()
        if not waiting:
            return False
        command = waiting[0]
        answered.add(command.command_id)
        if not deliver:
            sync.failed(command, CommandError("Offline", "gone"))
            return True
        response = charger.answer(command)
        if command.action == "GetConfiguration":
            wired_services.configuration.record_report(CP, [ConfigurationVariable("SendLocalListMaxLength", value="3")])
        sync.answered(replace(command, connection_id=connection), response)  # it went out on the current one
        return True

    sync.configure(CP, True)
    for kind, value, status in steps:
        if kind == "token":
            name = f"TAG-{value}"
            if status is None:
                repositories.id_tokens.delete(name)
            else:
                repositories.id_tokens.put(IdToken(name, status))
            sync.everywhere()
        elif kind == "answer":
            answer_next(value)
        elif kind == "disconnect":
            for _ in pending():  # what was under way fails: the charger is gone
                answer_next(False)
            repositories.charge_points.record_disconnected(CP, connection, clock.now())
        else:
            if value:
                charger.entries, charger.list_version = {}, 0
            connect()

    connect()
    for _ in range(200):
        if not answer_next(True):
            break

    wanted = wanted_list(repositories.id_tokens.list(), version, ListLimits(3, 250))
    assert charger.listed() == {entry.id_token: entry.authorization.status.value for entry in wanted.entries}
    report = sync.report(CP)
    assert report is not None
    assert report.status.value == "InSync", report


def test_a_charger_enabled_by_its_site_gets_its_list_once_its_limits_are_known() -> None:
    """The charger's own setting is null: after the query of its limits, its record is that of a newly enabled list,
    which must still be synced (not taken for a charger whose list was never kept)."""
    wired_services = services()
    repositories, sync, clock = wired_services.repositories, wired_services.local_list_sync, FixedClock()
    repositories.sites.put(Site("depot", "Depot", Decimal(64), local_list_enabled=True), clock.now())
    repositories.charge_points.register(CP, None, clock.now(), None, WiringChange(site_id="depot"))
    repositories.charge_points.record_connected(CP, "c-1", OcppVersion.V16, clock.now())
    repositories.id_tokens.put(IdToken("TAG-1", IdTokenStatus.ACCEPTED))

    sync.sync([CP])
    (query,) = repositories.commands.list_for_charge_point(CP, 10).items
    limits = [
        ConfigurationVariable("SendLocalListMaxLength", value="3"),
        ConfigurationVariable("LocalAuthListMaxLength", value="9"),
    ]
    wired_services.configuration.record_report(CP, limits)
    sync.answered(query, SimulatedCharger(OcppVersion.V16).answer(query))

    sent = [command.action for command in repositories.commands.list_for_charge_point(CP, 10).items]
    assert sorted(sent) == ["GetConfiguration", "SendLocalList"]


def test_a_reconnection_of_a_charger_without_a_kept_list_reads_no_configuration() -> None:
    """Every boot and reconnection comes here: a charger whose list is not kept costs its profile and list record
    only (a thousand chargers coming back must not each read their whole configuration)."""
    wired_services = services()
    repositories, sync, clock = wired_services.repositories, wired_services.local_list_sync, FixedClock()
    repositories.charge_points.register(CP, None, clock.now(), None, WiringChange())
    repositories.charge_points.record_connected(CP, "c-1", OcppVersion.V16, clock.now())
    configuration_reads: list[str] = []
    read_configuration = repositories.configuration.list

    def counted(charge_point_id: str) -> list[ConfigurationVariable]:
        configuration_reads.append(charge_point_id)
        return read_configuration(charge_point_id)

    repositories.configuration.list = counted  # type: ignore[method-assign]

    sync.sync([CP], reconnected=True)

    assert configuration_reads == []
    assert repositories.commands.list_for_charge_point(CP, 10).items == []
    assert repositories.local_lists.get(CP) == LocalListState()
