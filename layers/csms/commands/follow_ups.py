"""What an accepted command is followed by, read from what the charge point did since.

Each check looks at stored state (transactions, the charge point record, notifications), so
the workflow can poll it at any time without racing the messages that change that state.
"""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from csms.commands.models import Command, FollowUpKind
from csms.domain.models import Transaction, TransactionStatus
from csms.domain.notifications import (
    FIRMWARE_FAILURES,
    FIRMWARE_INSTALLED,
    FIRMWARE_PUBLISHED,
    PUBLISH_FAILURES,
    NotificationKind,
)
from csms.domain.ports import ChargePointRepository, TransactionRepository
from csms.wire.versions import OcppVersion

# Transactions carry the charge point's clock: one that started this long before the command
# was created still counts.
CLOCK_SKEW = timedelta(minutes=5)

Result = dict[str, Any]


class FollowUps:
    def __init__(self, charge_points: ChargePointRepository, transactions: TransactionRepository) -> None:
        self._charge_points = charge_points
        self._transactions = transactions
        self._checks: dict[FollowUpKind, Callable[[Command], Result | None]] = {
            FollowUpKind.TRANSACTION_STARTED: self._transaction_started,
            FollowUpKind.BACK_ONLINE: self._back_online,
            FollowUpKind.FIRMWARE_INSTALLED: self._firmware_installed,
            FollowUpKind.FIRMWARE_PUBLISHED: self._firmware_published,
        }

    def check(self, command: Command) -> Result | None:
        """The follow-up's result once it concluded, else None."""
        assert command.follow_up is not None
        return self._checks[command.follow_up.kind](command)

    def gave_up(self, command: Command) -> Result:
        """The result when the follow-up did not conclude in time."""
        assert command.follow_up is not None
        kind = command.follow_up.kind
        if kind is FollowUpKind.TRANSACTION_STARTED:
            return {"transactionStarted": False}
        if kind is FollowUpKind.BACK_ONLINE:
            return {"cameBack": False}
        if kind is FollowUpKind.FIRMWARE_PUBLISHED:
            reported = self._reported(command, NotificationKind.PUBLISH_FIRMWARE_STATUS)
            return {"published": False, "publishStatus": reported[-1]["status"] if reported else None}
        statuses = self._firmware_statuses(command)
        return {"installed": False, "firmwareStatus": statuses[-1] if statuses else None}

    def _transaction_started(self, command: Command) -> Result | None:
        request = command.request
        if command.ocpp_version is OcppVersion.V16:
            id_token, connector_id, evse_id = request["idTag"], request.get("connectorId"), None
        else:
            id_token, connector_id, evse_id = request["idToken"]["idToken"], None, request.get("evseId")

        def started_by_command(transaction: Transaction) -> bool:
            return (
                transaction.id_token == id_token
                and connector_id in (None, transaction.connector_id)
                and evse_id in (None, transaction.evse_id)
                and (
                    transaction.status is TransactionStatus.ACTIVE
                    or transaction.started_at >= command.created_at - CLOCK_SKEW
                )
            )

        found = [t for t in self._transactions.list_for_charge_point(command.charge_point_id) if started_by_command(t)]
        if not found:
            return None
        return {"transactionStarted": True, "transactionId": max(found, key=lambda t: t.started_at).transaction_id}

    def _back_online(self, command: Command) -> Result | None:
        charge_point = self._charge_points.get(command.charge_point_id)
        if charge_point is None or command.sent_at is None:
            return None
        booted = charge_point.last_boot is not None and charge_point.last_boot > command.sent_at
        reconnected = charge_point.connected and charge_point.connection_id != command.connection_id
        if not (booted or reconnected):
            return None
        return {"cameBack": True, "booted": booted, "reconnected": reconnected}

    def _firmware_installed(self, command: Command) -> Result | None:
        statuses = self._firmware_statuses(command)
        if not statuses or (statuses[-1] != FIRMWARE_INSTALLED and statuses[-1] not in FIRMWARE_FAILURES):
            return None
        return {"installed": statuses[-1] == FIRMWARE_INSTALLED, "firmwareStatus": statuses[-1]}

    def _firmware_published(self, command: Command) -> Result | None:
        reported = self._reported(command, NotificationKind.PUBLISH_FIRMWARE_STATUS)
        last = reported[-1] if reported else {}
        status = last.get("status")
        if status == FIRMWARE_PUBLISHED:
            return {"published": True, "locations": last.get("location", []), "publishStatus": status}
        if status in PUBLISH_FAILURES:
            return {"published": False, "publishStatus": status}
        return None

    def _firmware_statuses(self, command: Command) -> list[str]:
        return [str(details["status"]) for details in self._reported(command, NotificationKind.FIRMWARE_STATUS)]

    def _reported(self, command: Command, kind: NotificationKind) -> list[dict[str, Any]]:
        """The payloads of `kind` reported since the command was sent; 2.0.1 ones carry the request's id."""
        if command.sent_at is None:
            return []
        request_id = command.request.get("requestId")
        return [
            notification.details
            for notification in self._charge_points.list_notifications(command.charge_point_id, kind, command.sent_at)
            if request_id is None or notification.details.get("requestId") in (None, request_id)
        ]
