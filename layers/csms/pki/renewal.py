"""Renewal: a scheduled run asks stations whose certificate expires soon for a new signing request.

2.0.1 TriggerMessage SignChargingStationCertificate, 1.6 ExtendedTriggerMessage SignChargePointCertificate,
through the command workflow (the result shows in the charger's commands); the station then sends
SignCertificate as usual. Each certificate is asked for at most once a day; a charger that is not
connected is asked at a later run. An Active certificate past its not-after is marked Expired.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from csms.commands.errors import CommandQueueFullError, UnknownChargePointError, VersionUnknownError
from csms.commands.service import CommandService
from csms.domain.ports import ChargePointRepository, Clock
from csms.observability import logger
from csms.pki.models import CertificateRecord, CertificateStatus
from csms.pki.ports import CertificateRepository
from csms.wire.versions import OcppVersion

ASKED_AT_MOST_EVERY = timedelta(days=1)
RENEWAL_TRIGGERS = {
    OcppVersion.V16: ("ExtendedTriggerMessage", {"requestedMessage": "SignChargePointCertificate"}),
    OcppVersion.V201: ("TriggerMessage", {"requestedMessage": "SignChargingStationCertificate"}),
}


@dataclass(frozen=True)
class RenewalAsked:
    serial: str
    charge_point_id: str
    command_id: str


@dataclass
class RenewalRun:
    asked: list[RenewalAsked] = field(default_factory=list)
    expired: list[str] = field(default_factory=list)  # serials marked Expired


class CertificateRenewal:
    def __init__(
        self,
        certificates: CertificateRepository,
        charge_points: ChargePointRepository,
        commands: CommandService,
        clock: Clock,
        window: timedelta,
    ) -> None:
        self._certificates = certificates
        self._charge_points = charge_points
        self._commands = commands
        self._clock = clock
        self._window = window

    def run(self) -> RenewalRun:
        now = self._clock.now()
        result = RenewalRun()
        for record in self._certificates.list_active_expiring_before(now + self._window):
            if record.not_after <= now:
                if self._certificates.set_status(record.serial, CertificateStatus.EXPIRED, CertificateStatus.ACTIVE):
                    result.expired.append(record.serial)
                continue
            asked = self._ask(record)
            if asked is not None:
                result.asked.append(asked)
        return result

    def _ask(self, record: CertificateRecord) -> RenewalAsked | None:
        charge_point = self._charge_points.get(record.charge_point_id)
        if charge_point is None or not charge_point.connected or charge_point.ocpp_version is None:
            return None
        now = self._clock.now()
        if not self._certificates.claim_renewal(record.serial, now, not_since=now - ASKED_AT_MOST_EVERY):
            return None
        action, payload = RENEWAL_TRIGGERS[charge_point.ocpp_version]
        try:
            command = self._commands.submit(record.charge_point_id, action, payload)
        except (CommandQueueFullError, UnknownChargePointError, VersionUnknownError) as error:
            logger.warning("Renewal not asked", extra={"serial": record.serial, "reason": str(error)})
            return None
        return RenewalAsked(record.serial, record.charge_point_id, command.command_id)
