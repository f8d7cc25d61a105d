"""The partitions of a table's indexes, kept as its items are written, so that a Query of an index reads
the partition it names rather than every item of the table (moto's way: time in proportion to the table,
20 ms at 20,000 sessions, and the runtime queries an index of the sessions for every start and every
connector that becomes available).

An index's partitions are worked out at its first Query, from every item. From then on each write
(moto's put and delete of an item, and its update in place) notes the key it wrote, and the next
Query of any index of the table places those keys again from the items as they now are (a failed
transaction that `moto_dynamodb` puts back wrote only keys its writes noted). moto's Query then
keeps, of the partition's items, those its conditions match, as it does of every item. Only an
index with one partition key of type S is kept (every index of the CSMS's tables); a Query of
another reads every item, as moto does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from moto.dynamodb.models import DynamoDBBackend
from moto.dynamodb.models.dynamo_type import DynamoType, Item
from moto.dynamodb.models.table import Table

Key = tuple[DynamoType, DynamoType | None]  # an item's hash key and range key (None without one)

_moto_put_item = Table.put_item
_moto_delete_item = Table.delete_item
_moto_update_item = DynamoDBBackend.update_item
_STATE = "_csms_index_partitions"  # the attribute of a Table that holds its `_IndexPartitions`


@dataclass
class _IndexPartitions:
    # Per index worked out: the keys in each partition, and the partition of each key.
    keys: dict[str, dict[DynamoType, set[Key]]] = field(default_factory=dict)
    partition_of: dict[str, dict[Key, DynamoType]] = field(default_factory=dict)
    written: set[Key] = field(default_factory=set)  # since the last Query of an index


def items_in_partition(table: Table, index_name: str, partition: DynamoType | None) -> list[Item] | None:
    """The items in the index's `partition`, in no order; None for an index whose partitions are not kept."""
    attribute = _partition_key(table, index_name)
    if attribute is None or partition is None or partition.type != "S":
        return None
    state: _IndexPartitions = table.__dict__.setdefault(_STATE, _IndexPartitions())
    if index_name not in state.keys:
        state.keys[index_name], state.partition_of[index_name] = {}, {}
        for item in every_item(table):
            _place(state, index_name, (item.hash_key, item.range_key), item.attrs.get(attribute))
    if state.written:
        current = {key: _current(table, key) for key in state.written}
        for name in state.keys:
            name_attribute = _partition_key(table, name)
            for key, now in current.items():
                _place(state, name, key, now.attrs.get(name_attribute) if now and name_attribute else None)
        state.written.clear()
    items = (_current(table, key) for key in state.keys[index_name].get(partition, ()))
    return [item for item in items if item is not None]


def _written(table: Table, hash_key: DynamoType, range_key: DynamoType | None) -> None:
    state: _IndexPartitions | None = table.__dict__.get(_STATE)
    if state is not None and state.keys:
        state.written.add((hash_key, range_key))


def forget(table: Table) -> None:
    """Items were put into the table behind moto's back (`moto_dynamodb.load_items`): work every index out again."""
    table.__dict__.pop(_STATE, None)


def keep() -> None:
    """Note every write of moto's (idempotent)."""
    Table.put_item = _put_item  # type: ignore[method-assign]
    Table.delete_item = _delete_item  # type: ignore[method-assign]
    DynamoDBBackend.update_item = _update_item  # type: ignore[method-assign]


def stop_keeping() -> None:
    Table.put_item = _moto_put_item  # type: ignore[method-assign]
    Table.delete_item = _moto_delete_item  # type: ignore[method-assign]
    DynamoDBBackend.update_item = _moto_update_item  # type: ignore[method-assign]


def _put_item(self: Table, *args: Any, **kwargs: Any) -> Item:
    item: Item = _moto_put_item(self, *args, **kwargs)
    _written(self, item.hash_key, item.range_key)
    return item


def _delete_item(self: Table, hash_key: DynamoType, range_key: DynamoType | None) -> Item | None:
    try:
        return _moto_delete_item(self, hash_key, range_key)
    finally:
        _written(self, hash_key, range_key)


def _update_item(
    self: DynamoDBBackend, table_name: str, key: dict[str, dict[str, Any]], *args: Any, **kwargs: Any
) -> Item:
    """moto updates an existing item in place, not through `Table.put_item`."""
    try:
        return _moto_update_item(self, table_name, key, *args, **kwargs)
    finally:
        table = self.tables.get(table_name)
        if table is not None and table.hash_key_attr in key:
            range_value = key.get(table.range_key_attr) if table.range_key_attr else None
            _written(table, DynamoType(key[table.hash_key_attr]), DynamoType(range_value) if range_value else None)


def _partition_key(table: Table, index_name: str) -> str | None:
    for index in table.all_indexes():
        if index.name == index_name:
            hashes = [key["AttributeName"] for key in index.schema if key["KeyType"] == "HASH"]
            return hashes[0] if len(hashes) == 1 else None
    return None


def _place(state: _IndexPartitions, index_name: str, key: Key, partition: DynamoType | None) -> None:
    keys, partition_of = state.keys[index_name], state.partition_of[index_name]
    previous = partition_of.pop(key, None)
    if previous is not None:
        keys[previous].discard(key)
        if not keys[previous]:
            del keys[previous]
    if partition is not None:
        keys.setdefault(partition, set()).add(key)
        partition_of[key] = partition


def _current(table: Table, key: Key) -> Item | None:
    hash_key, range_key = key
    if table.range_key_attr is None:
        item = table.items.get(hash_key)
    else:
        partition = table.items.get(hash_key)
        item = partition.get(range_key) if partition is not None else None
    return item if isinstance(item, Item) else None


def every_item(table: Table) -> list[Item]:
    """In no order."""
    if table.range_key_attr is None:
        return [item for item in table.items.values() if isinstance(item, Item)]
    return [item for partition in table.items.values() for item in partition.values()]
