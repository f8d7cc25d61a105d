"""Short file links in the Idempotency table: one item per token (`file-link#<token>`), deleted by the table's TTL
after its expiry. That table already holds small items read by one key that expire (idempotency keys, wrong-password
counts), has a TTL and no stream; a table of its own would add a table to deploy, grant and back up for nothing."""

from datetime import UTC, datetime
from typing import Any

from csms.domain.short_links import LinkMethod, ShortLink

KEY_PREFIX = "file-link#"


class DynamoDbShortLinkRepository:
    def __init__(self, idempotency_table: Any) -> None:
        self._table = idempotency_table

    def put(self, link: ShortLink) -> None:
        self._table.put_item(
            Item={
                "key": f"{KEY_PREFIX}{link.token}",
                "fileKey": link.key,
                "method": link.method.value,
                "expiresAt": int(link.expires_at.timestamp()),  # whole seconds (`ShortLinks`), the TTL attribute
            }
        )

    def get(self, token: str) -> ShortLink | None:
        stored = self._table.get_item(Key={"key": f"{KEY_PREFIX}{token}"}, ConsistentRead=True).get("Item")
        if stored is None:
            return None
        expires_at = datetime.fromtimestamp(int(stored["expiresAt"]), UTC)
        return ShortLink(token, str(stored["fileKey"]), LinkMethod(stored["method"]), expires_at)
