"""OCPP 2.0.1 TariffAndCost: the tariff's price text on the charge point while a session runs.

The CSMS sends SetDisplayMessage, tied to the transaction so that the station removes the message
when the session ends. Its id is derived from the transaction id: a resent TransactionEvent(Started)
replaces the same message instead of adding a second one.
"""

import zlib
from typing import Any

from csms.commands.models import Command
from csms.commands.service import CommandService
from csms.domain.models import Transaction
from csms.observability import logger
from csms.wire.versions import OcppVersion

# MessagePriorityEnumType: shown before the station's own messages, without pinning it (AlwaysFront).
PRIORITY = "InFront"
MAX_MESSAGE_ID = 0x7FFFFFFF  # a JSON-schema integer the station stores as int32


def display_message_id(transaction_id: str) -> int:
    return zlib.crc32(transaction_id.encode()) & MAX_MESSAGE_ID


def tariff_message(transaction: Transaction, text: str) -> dict[str, Any]:
    """The SetDisplayMessageRequest payload."""
    return {
        "message": {
            "id": display_message_id(transaction.transaction_id),
            "priority": PRIORITY,
            "message": {"format": "UTF8", "content": text},
            "transactionId": transaction.transaction_id,
        }
    }


class TariffDisplay:
    def __init__(self, commands: CommandService) -> None:
        self._commands = commands

    def session_started(self, transaction: Transaction) -> Command | None:
        """Show the session's tariff text, if it has one; None when there is nothing to show.

        Best effort: the charge point's TransactionEventResponse must go out even if the command
        cannot be started, so a failure is logged, not raised.
        """
        tariff = transaction.tariff
        if transaction.ocpp_version is not OcppVersion.V201 or tariff is None or not tariff.display_text:
            return None
        try:
            return self._commands.submit(
                transaction.charge_point_id, "SetDisplayMessage", tariff_message(transaction, tariff.display_text)
            )
        except Exception:
            logger.exception(
                "Tariff text not sent",
                extra={"charge_point_id": transaction.charge_point_id, "transaction_id": transaction.transaction_id},
            )
            return None
