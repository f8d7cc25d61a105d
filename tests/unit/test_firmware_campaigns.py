"""Firmware campaigns over the fakes: what each charger is sent (2.0.1 UpdateFirmware, 1.6 SignedUpdateFirmware for
a signed image to a charger with the security extension, else 1.6 UpdateFirmware), chargers of another vendor or
model skipped, the 422s, and the success rule: Installed and then a boot with the image's version, in either order;
a failure status, a boot with another version or no end in time fail the charger."""

from datetime import timedelta
from itertools import count
from typing import Any

import pytest

from csms.campaigns.models import Campaign, CampaignCharger, CampaignStatus, ChargerState, Counts
from csms.commands.follow_ups import FollowUps
from csms.commands.models import Command, CommandStatus
from csms.domain.configuration_variables import ConfigurationVariable
from csms.domain.models import BootInfo
from csms.domain.notifications import NotificationKind
from csms.domain.violations import InvalidValuesError
from csms.firmware.registry import RegisteredImage
from csms.wire.versions import OcppVersion
from tests.fakes import FixedClock
from tests.root_certificates import root_pem
from tests.wired import WiredServices

VENDOR, MODEL, OLD, NEW = "ACME", "Wallbox-2", "1.0.0", "2.0.0"
_messages = count()


def image(services: WiredServices, signed: bool = False, uploaded: bool = True) -> RegisteredImage:
    secure = {"signing_certificate": root_pem("signing"), "signature": "c2lnbmF0dXJl"} if signed else {}
    registered = services.firmware_registry.register(VENDOR, MODEL, NEW, **secure)
    if uploaded:
        services.repositories.files.put_file(registered.image.key, b"image")
    return registered


def charger(
    services: WiredServices, charger_id: str, version: OcppVersion, model: str = MODEL, clock: FixedClock | None = None
) -> str:
    services.charge_points.connected(charger_id, f"conn-{charger_id}", version)
    at = clock.now() if clock else services.clock.now()
    services.repositories.charge_points.record_boot(charger_id, BootInfo(VENDOR, model, firmware_version=OLD), at)
    return charger_id


def with_security_extension(services: WiredServices, charger_id: str) -> str:
    """The 1.6 charger reported the security extension's SecurityProfile key (GetConfiguration)."""
    services.repositories.configuration.put(charger_id, [ConfigurationVariable("SecurityProfile", value="2")])
    return charger_id


def create(services: WiredServices, ids: list[str], firmware_id: str, **operation: Any) -> Campaign:
    return services.campaign_administration.create(
        "fw", {"chargerIds": ids}, {"kind": "firmware", "firmwareId": firmware_id, **operation}, {"canary": 0}
    )


def single(services: WiredServices, version: OcppVersion) -> Campaign:
    """A campaign of an unsigned image over one charger, CP-1, of `version`."""
    return create(services, [charger(services, "CP-1", version)], image(services).image.firmware_id)


def advance(services: WiredServices, campaign: Campaign) -> list[CampaignCharger]:
    services.campaign_workflow.advance({"campaignId": campaign.campaign_id, "generation": 1})
    return services.campaign_administration.chargers(campaign.campaign_id, 50).items


def sent(services: WiredServices, charger_id: str) -> Command:
    [command] = services.commands.list_for_charge_point(charger_id, 10).items
    return command


def accept(services: WiredServices, clock: FixedClock, charger_id: str) -> Command:
    """The command went out and the charger accepted it (its follow-up runs)."""
    command = sent(services, charger_id)
    commands = services.repositories.commands
    commands.mark_sent(command.command_id, f"m-{next(_messages)}", f"conn-{charger_id}", clock.now())
    response = (
        {} if command.action == "UpdateFirmware" and command.ocpp_version is OcppVersion.V16 else {"status": "Accepted"}
    )
    commands.record_answer(command.command_id, CommandStatus.ACCEPTED, response, clock.now(), finished=False)
    return sent(services, charger_id)


def report(services: WiredServices, clock: FixedClock, charger_id: str, *statuses: str) -> None:
    request_id = sent(services, charger_id).request.get("requestId")
    for status in statuses:
        clock.current += timedelta(seconds=1)
        details: dict[str, object] = {"status": status} | ({"requestId": request_id} if request_id else {})
        services.repositories.charge_points.record_notification(
            charger_id, NotificationKind.FIRMWARE_STATUS, f"m-{next(_messages)}", clock.now(), details
        )


def boot(services: WiredServices, clock: FixedClock, charger_id: str, version: str) -> None:
    clock.current += timedelta(seconds=1)
    services.repositories.charge_points.record_boot(
        charger_id, BootInfo(VENDOR, MODEL, firmware_version=version), clock.now()
    )


def follow_up(services: WiredServices, charger_id: str) -> None:
    """What the command workflow's follow-up step records once the update ended (as it polls)."""
    command = sent(services, charger_id)
    result = FollowUps(services.repositories.charge_points, services.repositories.transactions).check(command)
    if result is not None:
        services.repositories.commands.record_result(command.command_id, result, services.clock.now())


def test_each_version_gets_its_message_with_a_download_url(fake_services: WiredServices, clock: FixedClock) -> None:
    ids = [charger(fake_services, "CP-201", OcppVersion.V201), charger(fake_services, "CP-16", OcppVersion.V16)]
    plain = image(fake_services)
    install_at = "2026-12-24T03:00:00+01:00"

    advance(fake_services, create(fake_services, ids, plain.image.firmware_id, installAt=install_at))

    update = sent(fake_services, "CP-201")
    assert update.action == "UpdateFirmware"
    firmware = update.request["firmware"]
    assert firmware["location"].startswith(f"https://files.example/firmware/{plain.image.firmware_id}?get")
    assert firmware["installDateTime"] == "2026-12-24T02:00:00.000Z"
    assert "signature" not in firmware
    assert isinstance(update.request["requestId"], int)
    legacy = sent(fake_services, "CP-16")
    assert legacy.action == "UpdateFirmware"
    assert set(legacy.request) == {"location", "retrieveDate"}
    # The URL outlives the firmware timeout the command's follow-up has.
    timeout = fake_services.settings.firmware_update_timeout_seconds
    assert f"expires={timeout + 900}" in legacy.request["location"]


def test_a_signed_image_goes_as_signed_update_firmware_to_1_6_with_the_extension_and_with_its_signature_to_2_0_1(
    fake_services: WiredServices,
) -> None:
    ids = [
        charger(fake_services, "CP-201", OcppVersion.V201),
        with_security_extension(fake_services, charger(fake_services, "CP-16", OcppVersion.V16)),
        charger(fake_services, "CP-16-PLAIN", OcppVersion.V16),
    ]
    signed = image(fake_services, signed=True)

    advance(fake_services, create(fake_services, ids, signed.image.firmware_id))

    # A 1.6 charger that never reported the extension's key gets the core message, which it can execute.
    plain = sent(fake_services, "CP-16-PLAIN")
    assert plain.action == "UpdateFirmware"
    assert set(plain.request) == {"location", "retrieveDate"}

    for charger_id, action in (("CP-201", "UpdateFirmware"), ("CP-16", "SignedUpdateFirmware")):
        command = sent(fake_services, charger_id)
        assert command.action == action
        firmware = command.request["firmware"]
        assert (firmware["signingCertificate"], firmware["signature"]) == (
            signed.image.signing_certificate,
            signed.image.signature,
        )


def test_the_location_is_asked_within_the_schema_length_where_the_field_has_one(
    fake_services: WiredServices, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = fake_services.repositories.files
    asked: list[int | None] = []

    def download_url(key: str, expires: timedelta, max_length: int | None = None) -> str:
        asked.append(max_length)
        return f"https://files.example/{key}"

    monkeypatch.setattr(files, "download_url", download_url)
    signed = image(fake_services, signed=True).image.firmware_id
    plain = image(fake_services).image.firmware_id
    ids = [
        charger(fake_services, "CP-201", OcppVersion.V201),
        with_security_extension(fake_services, charger(fake_services, "CP-16", OcppVersion.V16)),
    ]

    advance(fake_services, create(fake_services, ids, signed))  # 2.0.1 UpdateFirmware, 1.6 SignedUpdateFirmware
    advance(fake_services, create(fake_services, ["CP-16"], plain))  # 1.6 UpdateFirmware: any URI

    assert sorted(asked, key=str) == [512, 512, None]


def test_a_charger_of_another_model_is_skipped_with_the_reason(fake_services: WiredServices) -> None:
    ids = [charger(fake_services, "CP-1", OcppVersion.V201, model="Other")]

    [skipped] = advance(fake_services, create(fake_services, ids, image(fake_services).image.firmware_id))

    assert skipped.state is ChargerState.SKIPPED
    assert skipped.outcome == {"reason": f"it reported {VENDOR} Other, the image is for {VENDOR} {MODEL}"}
    assert fake_services.commands.list_all(10).items == []


def test_unknown_or_not_uploaded_firmware_is_refused(fake_services: WiredServices) -> None:
    ids = [charger(fake_services, "CP-1", OcppVersion.V201)]
    waiting = image(fake_services, uploaded=False)

    with pytest.raises(InvalidValuesError) as unknown:
        create(fake_services, ids, "none", installAt="tomorrow")
    with pytest.raises(InvalidValuesError) as not_uploaded:
        create(fake_services, ids, waiting.image.firmware_id)

    assert unknown.value.reasons == [
        "operation.firmwareId: no firmware image 'none' (register it with POST /api/firmware)",
        "operation.installAt: an RFC 3339 date and time with an offset",
    ]
    assert not_uploaded.value.reasons == [
        "operation.firmwareId: the image is not uploaded yet (PUT it to its uploadUrl)"
    ]


def test_2_0_1_succeeds_when_it_booted_with_the_new_version_before_reporting_installed(
    fake_services: WiredServices, clock: FixedClock
) -> None:
    campaign = single(fake_services, OcppVersion.V201)
    advance(fake_services, campaign)
    accept(fake_services, clock, "CP-1")
    report(fake_services, clock, "CP-1", "Downloading", "Downloaded", "Installing", "InstallRebooting")
    boot(fake_services, clock, "CP-1", NEW)
    report(fake_services, clock, "CP-1", "Installed")
    follow_up(fake_services, "CP-1")

    [done] = advance(fake_services, campaign)

    assert (done.state, done.outcome) == (
        ChargerState.SUCCEEDED,
        {"firmwareStatus": "Installed", "firmwareVersion": NEW},
    )


def test_1_6_succeeds_only_once_it_boots_with_the_new_version_after_installed(
    fake_services: WiredServices, clock: FixedClock
) -> None:
    campaign = single(fake_services, OcppVersion.V16)
    advance(fake_services, campaign)
    accept(fake_services, clock, "CP-1")
    report(fake_services, clock, "CP-1", "Downloading", "Downloaded", "Installing", "Installed")
    follow_up(fake_services, "CP-1")

    [installed] = advance(fake_services, campaign)
    assert installed.state is ChargerState.RUNNING  # Installed, not booted yet

    boot(fake_services, clock, "CP-1", NEW)
    [done] = advance(fake_services, campaign)
    assert done.state is ChargerState.SUCCEEDED
    assert fake_services.campaign_administration.get(campaign.campaign_id).status is CampaignStatus.COMPLETED


def test_installed_but_booted_with_another_version_fails_with_the_reason(
    fake_services: WiredServices, clock: FixedClock
) -> None:
    campaign = single(fake_services, OcppVersion.V16)
    advance(fake_services, campaign)
    accept(fake_services, clock, "CP-1")
    report(fake_services, clock, "CP-1", "Installing", "Installed")
    follow_up(fake_services, "CP-1")
    boot(fake_services, clock, "CP-1", OLD)

    [done] = advance(fake_services, campaign)

    assert (done.state, done.outcome) == (
        ChargerState.FAILED,
        {"firmwareStatus": "Installed", "reasons": [f"Installed, but it booted with version {OLD}, not {NEW}"]},
    )


def test_a_failure_status_fails_the_charger_with_that_status(fake_services: WiredServices, clock: FixedClock) -> None:
    campaign = single(fake_services, OcppVersion.V201)
    advance(fake_services, campaign)
    accept(fake_services, clock, "CP-1")
    report(fake_services, clock, "CP-1", "Downloading", "Downloaded", "Installing", "InstallationFailed")
    follow_up(fake_services, "CP-1")

    [done] = advance(fake_services, campaign)

    assert (done.state, done.outcome) == (
        ChargerState.FAILED,
        {"firmwareStatus": "InstallationFailed", "reasons": ["UpdateFirmware: InstallationFailed"]},
    )


def test_installed_without_the_boot_in_time_fails(fake_services: WiredServices, clock: FixedClock) -> None:
    campaign = single(fake_services, OcppVersion.V16)
    advance(fake_services, campaign)
    accept(fake_services, clock, "CP-1")
    report(fake_services, clock, "CP-1", "Installed")
    follow_up(fake_services, "CP-1")

    clock.current += timedelta(seconds=fake_services.settings.firmware_update_timeout_seconds)
    [done] = advance(fake_services, campaign)

    timeout = fake_services.settings.firmware_update_timeout_seconds
    assert done.state is ChargerState.FAILED
    assert done.outcome == {
        "firmwareStatus": "Installed",
        "reasons": [f"Installed, but it did not boot with version {NEW} within {timeout} s"],
    }


def test_counts_move_as_chargers_finish(fake_services: WiredServices, clock: FixedClock) -> None:
    ids = [charger(fake_services, f"CP-{index}", OcppVersion.V201) for index in range(2)]
    campaign = create(fake_services, ids, image(fake_services).image.firmware_id)
    advance(fake_services, campaign)
    for charger_id, last in (("CP-0", "Installed"), ("CP-1", "DownloadFailed")):
        accept(fake_services, clock, charger_id)
        if last == "Installed":
            boot(fake_services, clock, charger_id, NEW)
        report(fake_services, clock, charger_id, last)
        follow_up(fake_services, charger_id)

    advance(fake_services, campaign)

    done = fake_services.campaign_administration.get(campaign.campaign_id)
    assert done.counts == Counts(total=2, succeeded=1, failed=1)
