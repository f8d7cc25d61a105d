"""Installing, deleting and listing a charger's installed certificates, through the command workflow.

InstallCertificate, DeleteCertificate and GetInstalledCertificateIds (OCPP 2.0.1, and the 1.6 security
extension's) are commands like any other; their answers change what the CSMS knows the charger trusts
(`on_answer`, run before the command is recorded answered): an accepted InstallCertificate adds the certificate,
an accepted DeleteCertificate (or one answered NotFound) removes it, and a GetInstalledCertificateIds answer is
the whole truth for the certificate types it asked for (NotFound: none of them).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from csms.commands.answer_wait import AnswerWait
from csms.commands.errors import ChargePointOfflineError, UnknownChargePointError, VersionUnknownError
from csms.commands.models import Command
from csms.commands.service import CommandService
from csms.domain.ports import ChargePointRepository, Clock
from csms.pki.installed import (
    CertificateHashData,
    HashAlgorithm,
    InstalledCertificate,
    InstalledCertificates,
    hash_data_of,
)
from csms.pki.ports import InstalledCertificateRepository
from csms.wire.versions import OcppVersion

INSTALL_CERTIFICATE = "InstallCertificate"
DELETE_CERTIFICATE = "DeleteCertificate"
GET_INSTALLED_CERTIFICATE_IDS = "GetInstalledCertificateIds"
ACCEPTED, NOT_FOUND = "Accepted", "NotFound"
# The certificate types each version lists (1.6 asks for one type per request; 2.0.1 for any, none: all).
CERTIFICATE_TYPES: dict[OcppVersion, tuple[str, ...]] = {
    OcppVersion.V16: ("CentralSystemRootCertificate", "ManufacturerRootCertificate"),
    OcppVersion.V201: (
        "V2GRootCertificate",
        "MORootCertificate",
        "CSMSRootCertificate",
        "V2GCertificateChain",
        "ManufacturerRootCertificate",
    ),
}


@dataclass(frozen=True)
class Refresh:
    """What asking the charger gave within the wait: the set, and the commands (some perhaps still unanswered)."""

    installed: InstalledCertificates
    commands: list[Command]

    @property
    def answered(self) -> bool:
        return not any(command.status.awaiting_answer for command in self.commands)


class InstalledCertificateService:
    def __init__(
        self,
        installed: InstalledCertificateRepository,
        charge_points: ChargePointRepository,
        commands: CommandService,
        answer_wait: AnswerWait,
        clock: Clock,
    ) -> None:
        self._installed = installed
        self._charge_points = charge_points
        self._commands = commands
        self._answer_wait = answer_wait
        self._clock = clock
        self._effects: dict[str, Callable[[Command, dict[str, Any]], None]] = {
            INSTALL_CERTIFICATE: self._install_answered,
            DELETE_CERTIFICATE: self._delete_answered,
            GET_INSTALLED_CERTIFICATE_IDS: self._ids_answered,
        }

    def installed(self, charge_point_id: str) -> InstalledCertificates:
        return self._installed.get(charge_point_id)

    def install(self, charge_point_id: str, certificate_type: str, certificate_pem: str) -> Command:
        """InstallCertificate of a root certificate (the type as the charger's version names it).

        Raises `InvalidValuesError` for a PEM that is not one root certificate, and what submitting raises.
        """
        hash_data_of(certificate_pem)
        payload = {"certificateType": certificate_type, "certificate": certificate_pem}
        return self._commands.submit(charge_point_id, INSTALL_CERTIFICATE, payload)

    def delete(self, charge_point_id: str, hash_data: CertificateHashData) -> Command:
        return self._commands.submit(charge_point_id, DELETE_CERTIFICATE, {"certificateHashData": hash_data.as_ocpp()})

    def refresh(self, charge_point_id: str) -> Refresh:
        """Ask the charger for every type it can list (1.6: one request per type) and wait a moment for it.

        Raises `UnknownChargePointError`, `VersionUnknownError`, `ChargePointOfflineError` and what submitting
        raises.
        """
        charge_point = self._charge_points.get(charge_point_id)
        if charge_point is None:
            raise UnknownChargePointError(charge_point_id)
        if charge_point.ocpp_version is None:
            raise VersionUnknownError(charge_point_id)
        if not charge_point.connected:
            raise ChargePointOfflineError(charge_point_id)
        if charge_point.ocpp_version is OcppVersion.V16:
            payloads = [{"certificateType": t} for t in CERTIFICATE_TYPES[OcppVersion.V16]]
        else:
            payloads = [{}]
        submitted = [self._commands.submit(charge_point_id, GET_INSTALLED_CERTIFICATE_IDS, p) for p in payloads]
        commands = self._answer_wait.answered(submitted)
        return Refresh(self._installed.get(charge_point_id), commands)

    def on_answer(self, command: Command, response: dict[str, Any]) -> None:
        """What the charger's answer to one of the three actions says it trusts now."""
        self._effects[command.action](command, response)

    def _install_answered(self, command: Command, response: dict[str, Any]) -> None:
        if response.get("status") != ACCEPTED:
            return
        request = command.request
        certificate = InstalledCertificate(
            request["certificateType"], hash_data_of(request["certificate"]), self._clock.now()
        )
        self._installed.update(command.charge_point_id, lambda installed: installed.installed(certificate))

    def _delete_answered(self, command: Command, response: dict[str, Any]) -> None:
        if response.get("status") in (ACCEPTED, NOT_FOUND):
            deleted = _hash_data(command.request["certificateHashData"])
            self._installed.update(command.charge_point_id, lambda installed: installed.without(deleted))

    def _ids_answered(self, command: Command, response: dict[str, Any]) -> None:
        if response.get("status") not in (ACCEPTED, NOT_FOUND):
            return
        now = self._clock.now()
        if command.ocpp_version is OcppVersion.V16:
            asked: str = command.request["certificateType"]
            types = frozenset({asked})
            listed = [(asked, data) for data in response.get("certificateHashData", [])]
        else:
            types = frozenset(command.request.get("certificateType") or CERTIFICATE_TYPES[OcppVersion.V201])
            listed = [
                (c["certificateType"], c["certificateHashData"]) for c in response.get("certificateHashDataChain", [])
            ]
        reported = [InstalledCertificate(kind, _hash_data(data), now) for kind, data in listed]
        self._installed.update(command.charge_point_id, lambda installed: installed.reported(types, reported))


def _hash_data(data: dict[str, Any]) -> CertificateHashData:
    """Hash data from a payload the schema validated."""
    return CertificateHashData(
        HashAlgorithm(data["hashAlgorithm"]), data["issuerNameHash"], data["issuerKeyHash"], data["serialNumber"]
    )
