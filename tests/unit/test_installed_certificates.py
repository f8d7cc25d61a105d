"""What a charger trusts, as the answers to InstallCertificate, DeleteCertificate and GetInstalledCertificateIds
leave it (through the command workflow's answer step, as the worker records them)."""

import pytest

from csms.commands.answer_wait import AnswerWait
from csms.commands.models import Command
from csms.composition import Services
from csms.domain.violations import InvalidValuesError
from csms.pki.installed import checked_hash_data, hash_data_of
from csms.pki.installed_certificates import InstalledCertificateService
from csms.wire.versions import OcppVersion
from tests.fakes import FixedClock
from tests.root_certificates import hash_data, root_pem
from tests.unit.stations import answer_on_the_workflow as answer

ROOT = root_pem("Operator Root")
OTHER = root_pem("Manufacturer Root", serial=0x00FF)


@pytest.fixture
def services(fake_services: Services) -> Services:
    for charge_point_id, version in (("CP-16", OcppVersion.V16), ("CP-201", OcppVersion.V201)):
        fake_services.repositories.charge_points.register(charge_point_id, None, fake_services.clock.now())
        fake_services.charge_points.connected(charge_point_id, f"conn-{charge_point_id}", version)
    return fake_services


def refresh(services: Services, charge_point_id: str) -> list[Command]:
    """The GetInstalledCertificateIds commands a refresh sends; nobody answers while it waits (its wait passes)."""
    clock = services.clock
    assert isinstance(clock, FixedClock)
    wait = AnswerWait(services.commands, clock, lambda seconds: clock.advance(seconds=seconds))
    repositories = services.repositories
    service = InstalledCertificateService(
        repositories.installed_certificates, repositories.charge_points, services.commands, wait, clock
    )
    asked = service.refresh(charge_point_id)
    assert not asked.answered
    return asked.commands


def installed(services: Services, charge_point_id: str) -> list[tuple[str, dict[str, str]]]:
    certificates = services.installed_certificates.installed(charge_point_id).certificates
    return [(c.certificate_type, c.hash_data.as_ocpp()) for c in certificates]


def test_the_hash_data_the_csms_computes_is_what_a_charger_reports() -> None:
    assert hash_data_of(ROOT).as_ocpp() == hash_data(ROOT)


@pytest.mark.parametrize("status", ["Accepted", "Rejected", "Failed"])
def test_an_accepted_install_adds_the_certificate_and_nothing_else_does(services: Services, status: str) -> None:
    command = services.installed_certificates.install("CP-201", "CSMSRootCertificate", ROOT)

    answer(services, command, {"status": status})

    expected = [("CSMSRootCertificate", hash_data(ROOT))] if status == "Accepted" else []
    assert installed(services, "CP-201") == expected


@pytest.mark.parametrize("status", ["Accepted", "NotFound"])
def test_a_delete_accepted_or_not_found_removes_the_certificate_whatever_the_case_of_its_hex(
    services: Services, status: str
) -> None:
    answer(
        services,
        services.installed_certificates.install("CP-16", "CentralSystemRootCertificate", ROOT),
        {"status": "Accepted"},
    )
    listed = hash_data(ROOT)
    shouted = checked_hash_data(
        listed["hashAlgorithm"],
        listed["issuerNameHash"].upper(),
        listed["issuerKeyHash"].upper(),
        "0" + listed["serialNumber"],
    )

    answer(services, services.installed_certificates.delete("CP-16", shouted), {"status": status})

    assert installed(services, "CP-16") == []


def test_a_failed_delete_keeps_the_certificate(services: Services) -> None:
    answer(
        services,
        services.installed_certificates.install("CP-16", "CentralSystemRootCertificate", ROOT),
        {"status": "Accepted"},
    )

    answer(services, services.installed_certificates.delete("CP-16", hash_data_of(ROOT)), {"status": "Failed"})

    assert installed(services, "CP-16") == [("CentralSystemRootCertificate", hash_data(ROOT))]


def test_a_1_6_charger_is_asked_once_per_type_and_each_answer_replaces_that_type_only(services: Services) -> None:
    answer(
        services,
        services.installed_certificates.install("CP-16", "CentralSystemRootCertificate", ROOT),
        {"status": "Accepted"},
    )
    commands = refresh(services, "CP-16")
    central, manufacturer = commands
    assert [c.request for c in commands] == [
        {"certificateType": "CentralSystemRootCertificate"},
        {"certificateType": "ManufacturerRootCertificate"},
    ]

    answer(services, manufacturer, {"status": "Accepted", "certificateHashData": [hash_data(OTHER)]})
    assert installed(services, "CP-16") == [
        ("CentralSystemRootCertificate", hash_data(ROOT)),
        ("ManufacturerRootCertificate", hash_data(OTHER)),
    ]
    answer(services, central, {"status": "NotFound"})
    assert installed(services, "CP-16") == [("ManufacturerRootCertificate", hash_data(OTHER))]


def test_a_2_0_1_answer_for_every_type_is_the_whole_set(services: Services) -> None:
    answer(
        services, services.installed_certificates.install("CP-201", "CSMSRootCertificate", ROOT), {"status": "Accepted"}
    )
    [command] = refresh(services, "CP-201")
    assert command.request == {}

    chain = [{"certificateType": "ManufacturerRootCertificate", "certificateHashData": hash_data(OTHER)}]
    answer(services, command, {"status": "Accepted", "certificateHashDataChain": chain})

    assert installed(services, "CP-201") == [("ManufacturerRootCertificate", hash_data(OTHER))]


@pytest.mark.parametrize(
    "pem",
    [
        "garbage",
        "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n",
        "x" * 6000,
    ],
)
def test_what_is_not_one_root_certificate_is_refused_and_nothing_is_sent(services: Services, pem: str) -> None:
    with pytest.raises(InvalidValuesError):
        services.installed_certificates.install("CP-201", "CSMSRootCertificate", pem)

    assert services.commands.list_for_charge_point("CP-201", 10).items == []


@pytest.mark.parametrize(
    ("algorithm", "name_hash", "key_hash", "serial"),
    [
        ("MD5", "ab" * 32, "ab" * 32, "1"),
        ("SHA256", "zz" * 32, "ab" * 32, "1"),
        ("SHA256", "ab" * 16, "ab" * 32, "1"),
        ("SHA384", "ab" * 32, "ab" * 48, "1"),
        ("SHA256", "ab" * 32, "ab" * 32, "g1"),
        ("SHA256", "ab" * 32, "ab" * 32, "1" * 41),
        ("SHA256", "ab" * 32, "ab" * 32, ""),
    ],
)
def test_hash_data_that_cannot_be_right_is_refused(algorithm: str, name_hash: str, key_hash: str, serial: str) -> None:
    with pytest.raises(InvalidValuesError):
        checked_hash_data(algorithm, name_hash, key_hash, serial)
