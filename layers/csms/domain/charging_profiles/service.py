"""Keeping each charge point's installed profiles as it holds them, from what it accepted and reported.

Every change is one atomic update of the stored set that drops what expired on the way.
"""

from collections.abc import Callable
from dataclasses import replace

from csms.domain.charging_profiles.installed import (
    ClearCriteria,
    ExternalLimit,
    InstalledProfile,
    InstalledProfiles,
    ProfilePurpose,
    ProfileQuery,
    ProfileReport,
)
from csms.domain.models import Transaction, TransactionStatus
from csms.domain.ports import Clock, InstalledProfileRepository, TransactionRepository
from csms.wire.versions import OcppVersion


class InstalledProfileService:
    def __init__(self, profiles: InstalledProfileRepository, transactions: TransactionRepository, clock: Clock) -> None:
        self._profiles = profiles
        self._transactions = transactions
        self._clock = clock

    def installed(self, charge_point_id: str) -> InstalledProfiles:
        """The set as the charge point holds it now (expired profiles are not)."""
        return self._profiles.get(charge_point_id).tidied(self._clock.now())

    def profile_set(self, charge_point_id: str, version: OcppVersion, profile: InstalledProfile) -> None:
        """The charge point accepted SetChargingProfile."""

        def install(installed: InstalledProfiles) -> InstalledProfiles:
            # Read on every attempt: a transaction that ended meanwhile took its TxProfiles with it.
            live = self._of_live_transaction(charge_point_id, profile)
            return installed if live is None else installed.with_profile(live, version)

        self._update(charge_point_id, install)

    def cleared(self, charge_point_id: str, criteria: ClearCriteria) -> None:
        """The charge point accepted ClearChargingProfile."""
        self._update(charge_point_id, lambda installed: installed.cleared(criteria))

    def transaction_ended(self, transaction: Transaction) -> None:
        self._update(
            transaction.charge_point_id, lambda installed: installed.without_transaction(transaction.transaction_id)
        )

    def report_requested(self, charge_point_id: str, query: ProfileQuery) -> None:
        """GetChargingProfiles answered Accepted: its reports say what the station holds."""
        now = self._clock.now()
        self._update(charge_point_id, lambda installed: installed.report_requested(query, now))

    def none_matched(self, charge_point_id: str, query: ProfileQuery) -> None:
        """GetChargingProfiles answered NoProfiles."""
        self._update(charge_point_id, lambda installed: installed.none_matching(query))

    def reported(self, charge_point_id: str, report: ProfileReport) -> None:
        """A ReportChargingProfiles."""
        now = self._clock.now()
        self._update(charge_point_id, lambda installed: installed.with_report(report, now))

    def limit_notified(self, charge_point_id: str, limit: ExternalLimit) -> None:
        """NotifyChargingLimit."""
        self._update(charge_point_id, lambda installed: installed.with_external_limit(limit))

    def limit_cleared(self, charge_point_id: str, source: str, evse_id: int | None) -> None:
        """ClearedChargingLimit."""
        self._update(charge_point_id, lambda installed: installed.without_external_limit(source, evse_id))

    def _update(self, charge_point_id: str, change: Callable[[InstalledProfiles], InstalledProfiles]) -> None:
        now = self._clock.now()
        self._profiles.update(charge_point_id, lambda installed: change(installed.tidied(now)))

    def _of_live_transaction(self, charge_point_id: str, profile: InstalledProfile) -> InstalledProfile | None:
        """A TxProfile with the transaction it belongs to (a 1.6 one naming none: the one running on its
        connector); None when that transaction is over. Any other profile as it is."""
        if profile.purpose is not ProfilePurpose.TX:
            return profile
        if profile.transaction_id is None:
            running = self._transactions.list_active_on(charge_point_id, profile.evse_or_connector_id)
            if not running:
                return None
            return replace(profile, transaction_id=max(running, key=lambda t: t.started_at).transaction_id)
        transaction = self._transactions.get(charge_point_id, profile.transaction_id)
        return None if transaction is not None and transaction.status is TransactionStatus.COMPLETED else profile
