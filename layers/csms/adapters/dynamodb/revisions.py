"""One item that holds a whole set, changed by conditional writes on its revision.

Every rule that changes several members at once is then one write: the item carries a revision, and a write
made from an older revision is refused and made again from the newer one. The charge point's installed charging
profiles and installed certificates are kept so, each an item in its partition of ChargePoints.
"""

from collections.abc import Callable
from typing import Any, Generic, TypeVar

T = TypeVar("T")

# Writers racing on one item: each retry follows a write that succeeded.
MAX_ATTEMPTS = 10


class ConcurrentUpdateError(RuntimeError):
    """The set kept changing under the update: it was not written."""


class RevisionedItem(Generic[T]):
    def __init__(
        self, table: Any, decode: Callable[[dict[str, Any]], T], encode: Callable[[T], dict[str, Any]], empty: T
    ) -> None:
        self._table = table
        self._decode = decode
        self._encode = encode
        self._empty = empty

    def get(self, key: dict[str, str]) -> T:
        return self._read(key)[0]

    def update(self, key: dict[str, str], change: Callable[[T], T], what: str) -> T:
        """The set as `change` leaves it, written unless unchanged; raises `ConcurrentUpdateError` naming `what`."""
        conflict = self._table.meta.client.exceptions.ConditionalCheckFailedException
        for _ in range(MAX_ATTEMPTS):
            current, revision = self._read(key)
            changed = change(current)
            if changed == current:
                return current
            try:
                self._write(key, changed, revision)
            except conflict:
                continue
            return changed
        raise ConcurrentUpdateError(f"{what} kept changing")

    def _read(self, key: dict[str, str]) -> tuple[T, int]:
        """The set and its revision (0: none stored)."""
        stored = self._table.get_item(Key=key, ConsistentRead=True).get("Item")
        if stored is None:
            return self._empty, 0
        return self._decode(stored), int(stored["revision"])

    def _write(self, key: dict[str, str], value: T, revision: int) -> None:
        self._table.put_item(
            Item={**key, **self._encode(value), "revision": revision + 1},
            ConditionExpression="attribute_not_exists(itemKey)" if revision == 0 else "revision = :revision",
            **({} if revision == 0 else {"ExpressionAttributeValues": {":revision": revision}}),
        )
