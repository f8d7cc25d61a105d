"""/api/transactions: charging sessions of both OCPP versions."""

from http import HTTPStatus
from typing import Annotated

from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.exceptions import NotFoundError
from aws_lambda_powertools.event_handler.openapi.params import Query

from csms.api.errors import responses
from csms.api.models import PageView, TransactionDetail, TransactionView
from csms.api.openapi import Tag
from csms.api.pagination import DEFAULT_PAGE_SIZE, Limit, NextToken
from csms.composition import get_services
from csms.domain.filters import TransactionFilter
from csms.domain.models import TransactionStatus

router = Router()

ChargerFilter = Annotated[str | None, Query(alias="chargerId", description="Only this charge point's")]


@router.get(
    "/api/transactions",
    operation_id="listTransactions",
    summary="List charging sessions",
    description="Sessions of both OCPP versions, newest first, optionally of one charger and of one status "
    "(Active or Completed). Paged.",
    tags=[Tag.TRANSACTIONS],
    responses=responses(HTTPStatus.BAD_REQUEST),
)
def list_transactions(
    charger_id: ChargerFilter = None,
    status: Annotated[TransactionStatus | None, Query(description="Only Active or only Completed ones")] = None,
    limit: Limit = DEFAULT_PAGE_SIZE,
    next_token: NextToken = None,
) -> PageView[TransactionView]:
    where = TransactionFilter(charge_point_id=charger_id, status=status)
    page = get_services().transaction_history.page(where, limit, next_token)
    return PageView[TransactionView](
        items=[TransactionView.of(transaction) for transaction in page.items], next_token=page.next_token
    )


@router.get(
    "/api/transactions/<transaction_id>",
    operation_id="getTransaction",
    summary="Get a charging session",
    description="A session with its meter values as the charger sent them, oldest first. 2.0.1 transaction ids "
    "are unique per charger only: `chargerId` tells them apart (else the latest started is shown).",
    tags=[Tag.TRANSACTIONS],
    responses=responses(HTTPStatus.NOT_FOUND),
)
def get_transaction(transaction_id: str, charger_id: ChargerFilter = None) -> TransactionDetail:
    recorded = get_services().transaction_history.get(transaction_id, charger_id)
    if recorded is None:
        raise NotFoundError(f"No transaction {transaction_id}")
    return TransactionDetail.of_recorded(recorded)
