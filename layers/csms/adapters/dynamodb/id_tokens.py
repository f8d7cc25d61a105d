"""Id tokens (RFID tags and the other OCPP 2.0.1 token types) and their authorization status."""

from typing import Any

from csms.adapters.dynamodb.codec import Image, images, integer, item, scan_all, timestamp
from csms.adapters.dynamodb.paging import read_page
from csms.domain.models import IdToken, IdTokenStatus
from csms.domain.pagination import Page
from csms.domain_events.stored_changes import IdTokenChange
from csms.tables import ID_TOKENS


class DynamoDbIdTokenRepository:
    def __init__(self, table: Any) -> None:
        self._table = table

    def get(self, id_token: str) -> IdToken | None:
        entry = self._table.get_item(Key={"idToken": id_token}).get("Item")
        return _id_token(entry) if entry else None

    def put(self, token: IdToken) -> None:
        self._table.put_item(
            Item=item(
                idToken=token.id_token,
                status=token.status.value,
                expiry=token.expiry,
                parentId=token.parent_id,
                tokenType=token.token_type,
                tariffId=token.tariff_id,
                chargingPriority=token.charging_priority,
            )
        )

    def delete(self, id_token: str) -> bool:
        response = self._table.delete_item(Key={"idToken": id_token}, ReturnValues="ALL_OLD")
        return "Attributes" in response

    def list(self) -> list[IdToken]:
        return sorted((_id_token(entry) for entry in scan_all(self._table)), key=lambda token: token.id_token)

    def page(self, limit: int, next_token: str | None = None) -> Page[IdToken]:
        page = read_page(self._table.scan, ID_TOKENS, limit, next_token)
        return Page([_id_token(entry) for entry in page.items], page.next_token)


def _id_token(entry: dict[str, Any]) -> IdToken:
    return IdToken(
        id_token=entry["idToken"],
        status=IdTokenStatus(entry["status"]),
        expiry=timestamp(entry.get("expiry")),
        parent_id=entry.get("parentId"),
        token_type=entry.get("tokenType"),
        tariff_id=entry.get("tariffId"),
        charging_priority=integer(entry.get("chargingPriority")),
    )


def id_token_change(old: Image, new: Image) -> IdTokenChange:
    """A stream record of this table as a domain change."""
    return IdTokenChange((new or old)["idToken"], *images(old, new, _id_token))
