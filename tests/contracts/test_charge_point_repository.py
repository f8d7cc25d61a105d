"""The `ChargePointRepository` contract: profiles, boots, connector statuses with their idle tracking,
notifications, local list versions, and deleting all of it. (Which connection is current:
`test_charge_point_connections.py`; listings: `test_charge_point_listing.py`.)"""

from datetime import UTC, datetime, timedelta

import pytest

from csms.domain.configuration_variables import ConfigurationVariable
from csms.domain.models import BootInfo, ConnectorStatus, StoredCredentials
from csms.domain.ports import ChargePointRepository, ConfigurationRepository
from csms.domain.sites import WiringChange
from csms.wire.versions import OcppVersion

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def test_an_unknown_charge_point_has_nothing(charge_points: ChargePointRepository) -> None:
    assert charge_points.get("CP-404") is None
    assert charge_points.get_credentials("CP-404") == StoredCredentials(False, None, None)
    assert charge_points.get_connector("CP-404", None, 1) is None
    assert charge_points.list_notifications("CP-404", "NotifyEvent", T0) == []


def test_registering_creates_the_profile(charge_points: ChargePointRepository) -> None:
    charge_points.register("CP-1", "scrypt$hash", T0, tariff_id="fleet")

    charge_point = charge_points.get("CP-1")
    assert charge_point is not None
    assert (charge_point.registered_at, charge_point.password_hash, charge_point.tariff_id) == (
        T0,
        "scrypt$hash",
        "fleet",
    )
    assert (charge_point.connected, charge_point.connection_id, charge_point.local_list_version) == (False, None, 0)
    assert charge_point.connectors == []
    assert charge_points.get_credentials("CP-1") == StoredCredentials(True, None, "scrypt$hash")


def test_a_charge_point_registered_without_a_password_has_no_hash(charge_points: ChargePointRepository) -> None:
    charge_points.register("CP-1", None, T0)

    assert charge_points.get_credentials("CP-1") == StoredCredentials(True, None, None)


def test_registering_again_replaces_only_what_is_given_and_keeps_the_first_registration(
    charge_points: ChargePointRepository,
) -> None:
    charge_points.register("CP-1", "hash-1", T0, tariff_id="tariff-1")

    charge_points.register("CP-1", None, at(1))
    kept = charge_points.get("CP-1")
    charge_points.register("CP-1", "hash-2", at(2), tariff_id="tariff-2")
    replaced = charge_points.get("CP-1")

    assert kept is not None
    assert (kept.registered_at, kept.password_hash, kept.tariff_id) == (T0, "hash-1", "tariff-1")
    assert replaced is not None
    assert (replaced.registered_at, replaced.password_hash, replaced.tariff_id) == (T0, "hash-2", "tariff-2")


def test_a_boot_records_what_the_charge_point_is_and_keeps_its_registration_and_connection(
    charge_points: ChargePointRepository,
) -> None:
    charge_points.register("CP-1", "hash", T0)
    charge_points.record_connected("CP-1", "conn-1", OcppVersion.V16, T0)

    charge_points.record_boot("CP-1", BootInfo("Acme", "AC-22", "SN-1", "1.2.3", "PowerUp"), at(1))

    charge_point = charge_points.get("CP-1")
    assert charge_point is not None
    assert (charge_point.vendor, charge_point.model, charge_point.serial_number, charge_point.firmware_version) == (
        "Acme",
        "AC-22",
        "SN-1",
        "1.2.3",
    )
    assert (charge_point.last_boot, charge_point.last_seen) == (at(1), at(1))
    assert (charge_point.registered_at, charge_point.password_hash, charge_point.connection_id) == (
        T0,
        "hash",
        "conn-1",
    )


def test_a_boot_answers_the_profile_as_it_now_stands_with_its_site_and_provisioning_marker(
    charge_points: ChargePointRepository,
) -> None:
    charge_points.register("CP-1", "hash", T0, wiring=WiringChange(site_id="S1"))
    charge_points.mark_provisioning_profile("CP-1", True)

    booted = charge_points.record_boot("CP-1", BootInfo("Acme", "AC-22"), at(1))

    assert (booted.charge_point_id, booted.wiring.site_id, booted.provisioning_profile) == ("CP-1", "S1", True)
    assert (booted.vendor, booted.last_boot, booted.password_hash) == ("Acme", at(1), "hash")
    charge_points.mark_provisioning_profile("CP-1", False)
    assert charge_points.record_boot("CP-1", BootInfo("Acme", "AC-22"), at(2)).provisioning_profile is False


def test_marking_a_provisioning_profile_needs_a_registered_charge_point(charge_points: ChargePointRepository) -> None:
    charge_points.mark_provisioning_profile("CP-404", True)

    assert charge_points.get("CP-404") is None


def test_a_charge_point_never_registered_is_known_once_it_boots(charge_points: ChargePointRepository) -> None:
    charge_points.record_boot("CP-1", BootInfo("Acme", "AC-22"), T0)

    charge_point = charge_points.get("CP-1")
    assert charge_point is not None
    assert (charge_point.model, charge_point.registered_at, charge_point.password_hash) == ("AC-22", None, None)


def test_being_seen_moves_last_seen_only(charge_points: ChargePointRepository) -> None:
    charge_points.record_boot("CP-1", BootInfo("Acme", "AC-22"), T0)

    charge_points.record_seen("CP-1", at(5))

    charge_point = charge_points.get("CP-1")
    assert charge_point is not None
    assert (charge_point.last_seen, charge_point.last_boot, charge_point.model) == (at(5), T0, "AC-22")


def test_connecting_records_the_connection_its_version_and_when(charge_points: ChargePointRepository) -> None:
    charge_points.register("CP-1", None, T0)

    charge_points.record_connected("CP-1", "conn-1", OcppVersion.V201, at(1))

    charge_point = charge_points.get("CP-1")
    assert charge_point is not None
    assert (charge_point.connected, charge_point.connection_id, charge_point.ocpp_version, charge_point.last_seen) == (
        True,
        "conn-1",
        OcppVersion.V201,
        at(1),
    )


def test_only_the_current_connection_disconnects(charge_points: ChargePointRepository) -> None:
    # Given a charge point that reconnected before its old connection's $disconnect arrived
    charge_points.record_connected("CP-1", "conn-1", OcppVersion.V16, T0)
    charge_points.record_connected("CP-1", "conn-2", OcppVersion.V201, at(1))

    # When the old connection's disconnect is recorded, then the current one's
    late = charge_points.record_disconnected("CP-1", "conn-1", at(2))
    still = charge_points.get("CP-1")
    current = charge_points.record_disconnected("CP-1", "conn-2", at(3))
    gone = charge_points.get("CP-1")

    # Then the old one changed nothing, and the current one disconnected the charge point, once
    assert (late, current) == (False, True)
    assert still is not None
    assert (still.connected, still.connection_id, still.last_seen) == (True, "conn-2", at(1))
    assert gone is not None
    assert (gone.connected, gone.connection_id, gone.last_seen, gone.ocpp_version) == (
        False,
        None,
        at(3),
        OcppVersion.V201,
    )
    assert charge_points.record_disconnected("CP-1", "conn-2", at(4)) is False


def test_disconnecting_an_unknown_charge_point_creates_none(charge_points: ChargePointRepository) -> None:
    assert charge_points.record_disconnected("CP-404", "conn-1", T0) is False

    assert charge_points.get("CP-404") is None


def test_each_connector_keeps_its_latest_status(charge_points: ChargePointRepository) -> None:
    # Given a charge point with 1.6 connectors 0 and 1, and 2.0.1's connector 1 of EVSE 1
    charge_points.register("CP-1", None, T0)
    whole = ConnectorStatus(0, "Available", T0)
    first = ConnectorStatus(1, "Available", T0)
    evse = ConnectorStatus(1, "Occupied", T0, evse_id=1)
    for status in (whole, first, evse):
        charge_points.record_status("CP-1", status)

    # When connector 1 reports a fault
    faulted = ConnectorStatus(1, "Faulted", at(1), error_code="GroundFailure", info="RCD tripped")
    charge_points.record_status("CP-1", faulted)

    # Then each connector has its latest status, EVSE 1's apart from connector 1's
    assert charge_points.get_connector("CP-1", None, 1) == faulted
    assert charge_points.get_connector("CP-1", None, 0) == whole
    assert charge_points.get_connector("CP-1", 1, 1) == evse
    assert charge_points.get_connector("CP-1", 2, 1) is None
    charge_point = charge_points.get("CP-1")
    assert charge_point is not None
    assert charge_point.connectors == [whole, faulted, evse]  # by EVSE, then connector


def test_a_status_makes_no_charge_point_known(charge_points: ChargePointRepository) -> None:
    # A status of a charge point deleted (or never registered) while connected is kept, but makes no profile
    charge_points.record_status("CP-1", ConnectorStatus(1, "Available", T0))

    assert charge_points.get("CP-1") is None
    assert charge_points.get_credentials("CP-1") == StoredCredentials(False, None, None)
    assert charge_points.get_connector("CP-1", None, 1) == ConnectorStatus(1, "Available", T0)
    # until it is registered, with it
    charge_points.register("CP-1", None, at(1))
    charge_point = charge_points.get("CP-1")
    assert charge_point is not None
    assert charge_point.connectors == [ConnectorStatus(1, "Available", T0)]


def test_a_charge_points_connectors_come_by_evse_and_connector(charge_points: ChargePointRepository) -> None:
    charge_points.register("CP-1", None, T0)
    for evse_id, connector_id in ((2, 1), (1, 2), (1, 1)):
        charge_points.record_status("CP-1", ConnectorStatus(connector_id, "Available", T0, evse_id=evse_id))
    charge_points.record_status("CP-1", ConnectorStatus(2, "Occupied", at(1), evse_id=1))  # updated last

    charge_point = charge_points.get("CP-1")

    assert charge_point is not None
    assert [(c.evse_id, c.connector_id) for c in charge_point.connectors] == [(1, 1), (1, 2), (2, 1)]


def test_a_connector_tracks_when_it_last_charged_and_since_when_it_is_idle(
    charge_points: ChargePointRepository,
) -> None:
    charge_points.register("CP-1", None, T0)

    def after(status: str, minutes: int) -> tuple[datetime | None, datetime | None]:
        charge_points.record_status("CP-1", ConnectorStatus(1, status, at(minutes)))
        connector = charge_points.get_connector("CP-1", None, 1)
        assert connector is not None
        return connector.last_charging_at, connector.idle_since

    assert after("Preparing", 0) == (None, None)
    assert after("Charging", 1) == (at(1), None)
    assert after("SuspendedEV", 2) == (at(1), at(2))  # a vehicle plugged in, idle
    assert after("SuspendedEVSE", 3) == (at(1), at(2))  # still idle since it first was
    assert after("Charging", 4) == (at(4), None)
    assert after("Finishing", 5) == (at(4), at(5))
    assert after("Available", 6) == (at(4), None)  # any other status ends the idle time


def test_a_status_older_than_the_stored_one_is_late_and_changes_nothing(charge_points: ChargePointRepository) -> None:
    # Given a connector that reported Charging at minute 1
    charge_points.record_status("CP-1", ConnectorStatus(1, "Charging", at(1), error_code="NoError"))

    # When a status from before arrives late, and then one as new as the stored one
    charge_points.record_status("CP-1", ConnectorStatus(1, "SuspendedEV", T0, error_code="NoError"))
    after_late = charge_points.get_connector("CP-1", None, 1)
    charge_points.record_status("CP-1", ConnectorStatus(1, "Finishing", at(1), error_code="NoError"))

    # Then the late one changed nothing, and the one as new replaced the stored one
    assert after_late == ConnectorStatus(1, "Charging", at(1), error_code="NoError", last_charging_at=at(1))
    finishing = charge_points.get_connector("CP-1", None, 1)
    assert finishing is not None
    assert (finishing.status, finishing.idle_since) == ("Finishing", at(1))


def test_a_late_status_only_ends_an_idle_period_that_began_before_it(charge_points: ChargePointRepository) -> None:
    # Given a connector idle since minute 20 (and seen so at minute 40)
    charge_points.record_status("CP-1", ConnectorStatus(1, "Charging", at(1)))
    charge_points.record_status("CP-1", ConnectorStatus(1, "SuspendedEV", at(20)))
    charge_points.record_status("CP-1", ConnectorStatus(1, "SuspendedEVSE", at(40)))

    # When late statuses arrive: idle ones, and a Charging from before the idle period began
    charge_points.record_status("CP-1", ConnectorStatus(1, "SuspendedEV", at(10)))
    charge_points.record_status("CP-1", ConnectorStatus(1, "Charging", at(15)))
    unchanged = charge_points.get_connector("CP-1", None, 1)
    # and then one that shows the idle period was interrupted after it began
    charge_points.record_status("CP-1", ConnectorStatus(1, "Charging", at(30)))

    # Then only that last one ended the idle period; the status shown stays the newest
    assert unchanged is not None
    assert (unchanged.status, unchanged.idle_since) == ("SuspendedEVSE", at(20))
    interrupted = charge_points.get_connector("CP-1", None, 1)
    assert interrupted is not None
    assert (interrupted.status, interrupted.timestamp, interrupted.idle_since) == ("SuspendedEVSE", at(40), None)


def test_local_list_versions_count_up_per_charge_point(charge_points: ChargePointRepository) -> None:
    charge_points.register("CP-1", None, T0)
    charge_points.register("CP-2", None, T0)

    assert [charge_points.next_local_list_version("CP-1") for _ in range(3)] == [1, 2, 3]
    assert charge_points.next_local_list_version("CP-2") == 1
    charge_point = charge_points.get("CP-1")
    assert charge_point is not None
    assert charge_point.local_list_version == 3


def test_no_local_list_version_for_an_unregistered_charge_point(charge_points: ChargePointRepository) -> None:
    with pytest.raises(LookupError):
        charge_points.next_local_list_version("CP-404")

    assert charge_points.get("CP-404") is None  # no profile was made up


def test_notifications_of_a_kind_since_a_time_come_oldest_first_as_received(
    charge_points: ChargePointRepository,
) -> None:
    # Given notifications of two kinds, before and after a time, and another charge point's
    details = {"seqNo": 0, "tbc": False, "ratio": 0.5, "eventData": [{"trigger": "Alerting", "variableId": 7}]}
    charge_points.record_notification("CP-1", "NotifyEvent", "m-3", at(3), {"seqNo": 3})
    charge_points.record_notification("CP-1", "NotifyEvent", "m-1", at(1), details)
    charge_points.record_notification("CP-1", "NotifyEvent", "m-0", T0, {"seqNo": 9})
    charge_points.record_notification("CP-1", "SecurityEventNotification", "m-2", at(2), {"type": "Tamper"})
    charge_points.record_notification("CP-2", "NotifyEvent", "m-1", at(1), {"seqNo": 1})

    # When CP-1's NotifyEvents since minute 1 are listed
    listed = charge_points.list_notifications("CP-1", "NotifyEvent", at(1))

    # Then they come oldest first, from `since` on (inclusive), with their details as received
    assert [(n.kind, n.message_id, n.received_at) for n in listed] == [
        ("NotifyEvent", "m-1", at(1)),
        ("NotifyEvent", "m-3", at(3)),
    ]
    assert listed[0].details == details
    assert [n.message_id for n in charge_points.list_notifications("CP-1", "SecurityEventNotification", T0)] == ["m-2"]


def test_deleting_a_charge_point_removes_everything_kept_about_it_and_nothing_of_others(
    charge_points: ChargePointRepository, configuration: ConfigurationRepository
) -> None:
    # Given two charge points with profile, connector, notification and reported configuration
    for charge_point_id in ("CP-1", "CP-2"):
        charge_points.register(charge_point_id, "hash", T0)
        charge_points.record_boot(charge_point_id, BootInfo("Acme", "AC-22"), T0)
        charge_points.record_status(charge_point_id, ConnectorStatus(1, "Available", T0))
        charge_points.record_notification(charge_point_id, "NotifyEvent", "m-1", T0, {"seqNo": 0})
        configuration.put(charge_point_id, [ConfigurationVariable("HeartbeatInterval", value="300")])

    # When one is deleted
    charge_points.delete("CP-1")

    # Then nothing of it is left
    assert charge_points.get("CP-1") is None
    assert charge_points.get_credentials("CP-1") == StoredCredentials(False, None, None)
    assert charge_points.get_connector("CP-1", None, 1) is None
    assert charge_points.list_notifications("CP-1", "NotifyEvent", T0) == []
    assert configuration.list("CP-1") == []
    with pytest.raises(LookupError):
        charge_points.next_local_list_version("CP-1")
    # And the other is whole
    assert charge_points.get_connector("CP-2", None, 1) == ConnectorStatus(1, "Available", T0)
    assert len(charge_points.list_notifications("CP-2", "NotifyEvent", T0)) == 1
    assert configuration.list("CP-2") == [ConfigurationVariable("HeartbeatInterval", value="300")]


def test_deleting_an_unknown_charge_point_is_harmless(charge_points: ChargePointRepository) -> None:
    charge_points.delete("CP-404")

    assert charge_points.get("CP-404") is None
