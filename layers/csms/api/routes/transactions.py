"""/api/transactions: charging sessions of both OCPP versions."""

from typing import Annotated

from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.exceptions import NotFoundError
from aws_lambda_powertools.event_handler.openapi.params import Query

from csms.api.models import TransactionView
from csms.services import get_services

router = Router()

ChargerFilter = Annotated[str | None, Query(alias="chargerId", description="Only this charge point's")]


@router.get("/api/transactions")
def list_transactions(charger_id: ChargerFilter = None) -> list[TransactionView]:
    """Newest first."""
    transactions = get_services().repositories.transactions
    found = transactions.list_for_charge_point(charger_id) if charger_id else transactions.list()
    return [TransactionView.of(transaction) for transaction in found]


@router.get("/api/transactions/<transaction_id>")
def get_transaction(transaction_id: str, charger_id: ChargerFilter = None) -> TransactionView:
    """A transaction by id; OCPP 2.0.1 ids are unique per charger, so `chargerId` can disambiguate."""
    found = [
        transaction
        for transaction in get_services().repositories.transactions.find(transaction_id)
        if charger_id is None or transaction.charge_point_id == charger_id
    ]
    if not found:
        raise NotFoundError(f"No transaction {transaction_id}")
    return TransactionView.of(max(found, key=lambda transaction: transaction.started_at))
