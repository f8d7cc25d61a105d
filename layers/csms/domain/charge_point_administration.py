"""The operator's charge points: registering them (id, password, tariff, site and wiring) and reading them.

A password given replaces the stored one, and the connection opened with the old one is closed:
see `sign_out` and `csms.domain.admission.AdmissionService.still_admitted` for the connection
that was being opened while the password changed.
"""

from csms.domain.filters import ChargePointFilter
from csms.domain.identity import MAX_IDENTITY_LENGTH, is_valid_charge_point_id
from csms.domain.models import ChargePoint
from csms.domain.pagination import Page
from csms.domain.pending_passwords import PendingPasswordRepository
from csms.domain.ports import ChargePointRepository, Clock, ConnectionSender
from csms.domain.site_administration import SiteAdministration
from csms.domain.site_rules import wiring_violations
from csms.domain.sites import ChargerWiring, WiringChange
from csms.domain.tariff_administration import TariffAdministration
from csms.domain.verified_passwords import VERIFIED_PASSWORDS
from csms.domain.violations import InvalidValuesError, RuleViolationError


class ChargePointAdministration:
    def __init__(
        self,
        charge_points: ChargePointRepository,
        tariffs: TariffAdministration,
        sites: SiteAdministration,
        sender: ConnectionSender,
        clock: Clock,
        accept_unknown_charge_points: bool,
        pending_passwords: PendingPasswordRepository,
    ) -> None:
        self._charge_points = charge_points
        self._tariffs = tariffs
        self._sites = sites
        self._sender = sender
        self._clock = clock
        self._accept_unknown = accept_unknown_charge_points
        self._pending_passwords = pending_passwords

    def register(
        self,
        charge_point_id: str,
        password: str | None,
        tariff_id: str | None = None,
        wiring: WiringChange | None = None,
    ) -> ChargePoint:
        """Register a charge point or update it: a password or tariff given replaces the stored one, and
        `wiring` changes what it names of its site and wiring (raises `InvalidValuesError`).

        Without a password a charge point can only connect to a deployment that accepts unknown
        ones. Giving the password it already has changes nothing; a new one signs it out.
        """
        if not is_valid_charge_point_id(charge_point_id):
            raise RuleViolationError(
                f"A charge point id is 1 to {MAX_IDENTITY_LENGTH} printable characters, without '/'"
            )
        stored_hash = self._charge_points.get_credentials(charge_point_id).password_hash
        if password is None and stored_hash is None and not self._accept_unknown:
            raise RuleViolationError("A password is required: this deployment does not accept unknown charge points")
        self._tariffs.require(tariff_id)
        if wiring is not None:
            self._check_wiring(charge_point_id, wiring)
        new_hash = _new_hash(password, stored_hash)
        self._charge_points.register(charge_point_id, new_hash, self._clock.now(), tariff_id, wiring)
        if new_hash is not None:
            self._pending_passwords.clear(charge_point_id)  # the operator's password ends a rotation under way
            self.sign_out(charge_point_id)
        registered = self._charge_points.get(charge_point_id)
        assert registered is not None, "just registered"
        return registered

    def _check_wiring(self, charge_point_id: str, change: WiringChange) -> None:
        """The wiring the change makes must be valid, at a site that exists."""
        registered = self._charge_points.get(charge_point_id)
        wiring = change.applied_to(registered.wiring if registered is not None else ChargerWiring())
        reasons = wiring_violations(wiring) + self._sites.unknown_site_reasons(wiring.site_id)
        if reasons:
            raise InvalidValuesError(reasons)

    def sign_out(self, charge_point_id: str) -> None:
        """End the charge point's current connection: it must connect again with its credentials now.

        The connection is no longer current at once (its frames are refused, its charge point shown
        disconnected) and is closed. One still inside its `$connect` cannot be closed yet; as it is
        not current, its first frame closes it.
        """
        connection_id = self._charge_points.current_connection_id(charge_point_id)
        if connection_id is None:
            return
        self._charge_points.record_disconnected(charge_point_id, connection_id, self._clock.now())
        self._sender.close(connection_id)

    def get(self, charge_point_id: str) -> ChargePoint | None:
        return self._charge_points.get(charge_point_id)

    def page(self, where: ChargePointFilter, limit: int, next_token: str | None = None) -> Page[ChargePoint]:
        """By id; raises `InvalidPageTokenError`."""
        return self._charge_points.page(where, limit, next_token)


def _new_hash(password: str | None, stored_hash: str | None) -> str | None:
    """The hash to store for `password`: None when none is given or it is the stored one already."""
    if password is None or (stored_hash is not None and VERIFIED_PASSWORDS.verify(password, stored_hash)):
        return None
    return VERIFIED_PASSWORDS.hashed(password)
