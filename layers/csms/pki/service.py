"""SignCertificate answered, CertificateSigned sent, and the inventory of the certificates issued.

A valid request is signed at once and answered Accepted; the certificate is stored Active and sent
with CertificateSigned through the command workflow (so it waits its turn and shows in the charger's
commands). It supersedes the charger's earlier ones once the charger accepts it. A certificate the
charger certainly never installed (CertificateSigned not queued, refused, answered with a CALLERROR,
or never sent) is Revoked, so that nobody can connect with it. An invalid request is answered
Rejected, its reason recorded as a security event, and nothing is stored.
"""

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from asn1crypto import pem, x509

from csms.commands.errors import NOT_SUBMITTED
from csms.commands.models import Command, CommandError
from csms.commands.service import CommandService
from csms.commands.workflow_definition import StepError
from csms.domain.ports import Clock
from csms.domain.security_events import SecurityEvents
from csms.observability import logger
from csms.pki.authority import CertificateAuthority, serial_hex
from csms.pki.models import CertificateRecord, CertificateStatus
from csms.pki.ports import CertificateRepository
from csms.pki.signing_requests import CsrRejectedError, checked_signing_request
from csms.wire.versions import OcppVersion

# The security event of a refused CSR (a finding of the CSMS; the OCPP list has no type for it).
INVALID_CSR_EVENT = "InvalidCertificateSigningRequest"
# 2.0.1 certificateType: the station's TLS client certificate (the default), or one for ISO 15118.
CHARGING_STATION_CERTIFICATE = "ChargingStationCertificate"
V2G_CERTIFICATE = "V2GCertificate"
# CertificateSigned failures after which the charger may hold the certificate all the same (no answer in time,
# an answer the CSMS could not read, the worker failing): the certificate stays Active.
_ADMITTING = frozenset({CertificateStatus.ACTIVE, CertificateStatus.SUPERSEDED})
_MAY_HAVE_INSTALLED = frozenset({"Timeout", StepError.INVALID_RESPONSE, StepError.WORKER_ERROR})


@dataclass(frozen=True)
class SigningAnswer:
    accepted: bool
    reason: str | None = None  # why not (2.0.1 statusInfo)


class CertificateService:
    def __init__(
        self,
        authority: CertificateAuthority,
        certificates: CertificateRepository,
        commands: CommandService,
        security_events: SecurityEvents,
        clock: Clock,
        organization: str,
        sign_out: Callable[[str], None],
    ) -> None:
        """`sign_out(charge_point_id)` ends the charge point's current connection (a revoked certificate's)."""
        self._authority = authority
        self._certificates = certificates
        self._commands = commands
        self._security_events = security_events
        self._clock = clock
        self._organization = organization
        self._sign_out = sign_out

    def root_pem(self) -> str:
        """The CA's root certificate (made the first time it is asked for)."""
        return self._authority.root().pem

    def server_certificate(self, host_names: list[str], public_key_info: bytes) -> str:
        """A TLS server certificate for `host_names` signed by the CA (PEM)."""
        return self._authority.issue_server(host_names, public_key_info)

    def sign_requested(
        self, charge_point_id: str, version: OcppVersion, csr: str, certificate_type: str | None = None
    ) -> SigningAnswer:
        """SignCertificate from `charge_point_id`: Accepted (and CertificateSigned on its way) or Rejected."""
        if certificate_type == V2G_CERTIFICATE:
            return SigningAnswer(False, "No V2G certificate authority is configured")
        try:
            request = checked_signing_request(csr, charge_point_id, self._organization)
        except CsrRejectedError as refused:
            self._security_events.record(charge_point_id, INVALID_CSR_EVENT, {"reason": str(refused)}, critical=False)
            return SigningAnswer(False, str(refused))
        record = self._authority.issue(charge_point_id, request.public_key_info)
        self._certificates.add(record)
        payload = {"certificateChain": record.pem}
        if version is OcppVersion.V201:
            payload["certificateType"] = CHARGING_STATION_CERTIFICATE
        try:
            self._commands.submit(charge_point_id, "CertificateSigned", payload)
        except NOT_SUBMITTED as refused:
            logger.warning("CertificateSigned not queued", extra={"serial": record.serial, "reason": str(refused)})
            self._certificates.set_status(record.serial, CertificateStatus.REVOKED)
            return SigningAnswer(False, "The certificate could not be sent to this charging station")
        return SigningAnswer(True)

    def certificate_installed(self, command: Command) -> None:
        """An accepted CertificateSigned: the certificate it carried supersedes the charger's other Active ones."""
        installed = _leaf_serial(command.request["certificateChain"])
        for record in self._certificates.list_for_charge_point(command.charge_point_id):
            if record.serial != installed and record.status is CertificateStatus.ACTIVE:
                self._certificates.set_status(
                    record.serial, CertificateStatus.SUPERSEDED, only_if=CertificateStatus.ACTIVE
                )

    def certificate_answered(self, command: Command, response: dict[str, Any]) -> None:
        """A CertificateSigned the charger refused: the certificate it carried is Revoked."""
        if response.get("status") != "Accepted":
            self._never_installed(command, f"CertificateSigned answered {response.get('status')}")

    def certificate_not_sent(self, command: Command, error: CommandError) -> None:
        """A CertificateSigned that failed: Revoked unless the charger may hold it all the same."""
        if error.code not in _MAY_HAVE_INSTALLED:
            self._never_installed(command, f"CertificateSigned failed: {error.code}")

    def _never_installed(self, command: Command, why: str) -> None:
        serial = _leaf_serial(command.request["certificateChain"])
        logger.info("Certificate revoked: the charger did not install it", extra={"serial": serial, "reason": why})
        self._certificates.set_status(serial, CertificateStatus.REVOKED, only_if=CertificateStatus.ACTIVE)

    def list_for_charge_point(self, charge_point_id: str) -> list[CertificateRecord]:
        """Newest first; an Active one past its not-after shows Expired (the renewal run stores it so)."""
        now = self._clock.now()
        return [_as_of(record, now) for record in self._certificates.list_for_charge_point(charge_point_id)]

    def revoke(self, serial: str) -> CertificateRecord | None:
        """Revoke a certificate (whatever its status); None if the CA never issued it.

        A certificate that could admit its charger (Active, or Superseded within its grace) loses access at once:
        the charger's current connection is closed, whatever it was opened with, and the next one is checked.
        """
        before = self._certificates.get(serial.lower())
        revoked = self._certificates.set_status(serial.lower(), CertificateStatus.REVOKED)
        if revoked is not None and before is not None and before.status in _ADMITTING:
            self._sign_out(revoked.charge_point_id)
        return revoked


def _as_of(record: CertificateRecord, now: datetime) -> CertificateRecord:
    if record.status is CertificateStatus.ACTIVE and record.not_after <= now:
        return replace(record, status=CertificateStatus.EXPIRED)
    return record


def _leaf_serial(chain_pem: str) -> str:
    """The serial of the first certificate of a PEM chain."""
    _, _, der = pem.unarmor(chain_pem.encode(), multiple=False)
    return serial_hex(x509.Certificate.load(der).serial_number)
