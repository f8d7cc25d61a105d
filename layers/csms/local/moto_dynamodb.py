"""What the runtime needs of moto's DynamoDB beyond its API, in one place (moto's internals).

* `TransactWriteItems` without copying whole tables. To roll back a failed transaction moto
  deep-copies every table the transaction names, before every transaction: time in proportion
  to the table, seconds once it holds a day of sessions. DynamoDB requests are served one at a
  time here (`in_process_aws`), so saving the items the transaction names (and how long each
  table's stream is) and putting them back on failure undoes exactly what moto's copies would.
* The answers of DynamoDB's data operations and of Streams' GetRecords written with `json.dumps`.
  moto writes every answer by walking the operation's output shape, which took a third of moto's
  time for a GetItem; these results are already their wire JSON (strings, numbers, maps, lists,
  and timestamps, written as epoch seconds as the JSON protocol does), and anything else is
  left to moto's serializer.
* A Query reads only the partition it names, of the table or of an index (`moto_indexes`). moto
  reads every item of the table, sorted (by comparisons that cost as much as the rest of a
  GetItem), and keeps those of the partition: time in proportion to the table, which holds every
  charger's items. Handed a view of the table that lists the partition's items, moto's own Query
  answers the same: it sorts what it keeps, by the table's key or by the index's key and the
  table's, which no two items share (`queries_by_partition`).
* Work moto repeats for every request done once (`parsed_once`): the list of a response class's
  actions (moto lists the class's members for each request to find the one asked for: a tenth of the
  calls of a GetItem) and the syntax tree of an UpdateExpression (parsed twice per UpdateItem; the
  runtime's writes use a few dozen expressions). moto validates and executes a deep copy of the tree,
  so one tree serves every request with the same expression; its copy is unpickled from the kept
  tree's pickle (0.05 ms, where `copy.deepcopy` took 0.28 ms). moto's ten validators of an update
  test every node they visit against their node types with `isinstance` (abstract base classes:
  slow); each type's answer is kept. Three of them check only the expression's shape (its clauses,
  overlapping paths, key attributes): once they passed for a kept tree with the same names and
  table keys, they are skipped. A condition expression is lexed once per text. With these an
  UpdateItem with a condition costs 1.9 ms, where it cost 3.2 ms.
* `take_streams_written()`: the tables whose streams had records added, so that a table's poller
  reads its stream only after a write, not every 100 ms whatever happens (`in_process_aws`).
* `table_items` / `load_items`: every item of a table out, in DynamoDB JSON, and back in with
  the table's stream left alone (a restored item is no change for the stream's readers).
"""

from __future__ import annotations

import contextlib
import copy
import functools
import json
import pickle
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from moto.core import DEFAULT_ACCOUNT_ID
from moto.core import responses as moto_responses
from moto.core.common_types import TYPE_RESPONSE
from moto.core.responses import ActionContext, ActionResult
from moto.core.utils import method_names_from_class
from moto.dynamodb.comparisons import ConditionExpressionParser
from moto.dynamodb.models import DynamoDBBackend, dynamodb_backends
from moto.dynamodb.models.dynamo_type import DynamoType, Item, LimitedSizeDict
from moto.dynamodb.models.table import StreamShard, Table
from moto.dynamodb.parsing import validators as moto_validators
from moto.dynamodb.parsing.ast_nodes import (  # type: ignore[attr-defined]  # untyped
    DepthFirstTraverser,
    Expression,
    Node,
    UpdateExpressionFunction,
)
from moto.dynamodb.parsing.expressions import UpdateExpressionParser  # type: ignore[attr-defined]  # untyped

from csms.local import moto_indexes

_moto_transact_write_items = DynamoDBBackend.transact_write_items
_moto_execute_result = ActionResult.execute_result
_moto_query = Table.query
_moto_stream_add = StreamShard.add
_moto_parse_update_expression = UpdateExpressionParser.make.__func__
_moto_init_update_validator = moto_validators.UpdateExpressionValidator.__init__
_moto_lex_condition_expression = ConditionExpressionParser._lex_condition_expression
# The data operations: their results are items and keys (control operations, such as DescribeTable,
# carry fields the shape-driven serializer renders differently, and are rare).
_JSON_ANSWERED_OPERATIONS = frozenset(
    {
        ("dynamodb", operation)
        for operation in (
            "GetItem",
            "PutItem",
            "UpdateItem",
            "DeleteItem",
            "Query",
            "Scan",
            "BatchGetItem",
            "BatchWriteItem",
            "TransactGetItems",
            "TransactWriteItems",
        )
    }
    | {("dynamodbstreams", "GetRecords"), ("dynamodbstreams", "GetShardIterator")}
)
_sharing = threading.local()
_T = TypeVar("_T")


@dataclass(frozen=True)
class _SavedItem:
    table: Table
    hash_key: DynamoType
    range_key: DynamoType | None
    item: Item | None  # a copy of the item before the transaction; None: there was none


def _key_of(table: Table, operation: str, request: dict[str, Any]) -> tuple[DynamoType, DynamoType | None] | None:
    attributes = request.get("Item") if operation == "Put" else request.get("Key")
    if not isinstance(attributes, dict) or table.hash_key_attr not in attributes:
        return None  # moto refuses the transaction before writing anything
    hash_key = DynamoType(attributes[table.hash_key_attr])
    if table.range_key_attr is None:
        return hash_key, None
    if table.range_key_attr not in attributes:
        return None
    return hash_key, DynamoType(attributes[table.range_key_attr])


def _save(backend: DynamoDBBackend, transact_items: list[dict[str, Any]]) -> list[_SavedItem]:
    saved: list[_SavedItem] = []
    for transact_item in transact_items:
        for operation, request in transact_item.items():
            table = backend.tables.get(request.get("TableName", "")) if isinstance(request, dict) else None
            key = _key_of(table, operation, request) if table is not None else None
            if table is None or key is None:
                continue
            current = table.get_item(key[0], key[1])
            saved.append(_SavedItem(table, key[0], key[1], copy.deepcopy(current)))
    return saved


def _put_back(saved: list[_SavedItem], stream_lengths: dict[str, int]) -> None:
    for entry in reversed(saved):
        items: Any = entry.table.items
        if entry.range_key is not None:
            items = items[entry.hash_key]
        key = entry.range_key if entry.range_key is not None else entry.hash_key
        if entry.item is None:
            items.pop(key, None)
        else:
            items[key] = entry.item
    for entry in saved:
        shard = entry.table.stream_shard
        if shard is not None and entry.table.name in stream_lengths:
            del shard.items[stream_lengths[entry.table.name] :]


def _transact_write_items(self: DynamoDBBackend, transact_items: list[dict[str, Any]]) -> None:
    saved = _save(self, transact_items)
    stream_lengths = {e.table.name: len(e.table.stream_shard.items) for e in saved if e.table.stream_shard is not None}
    _sharing.tables = True
    try:
        _moto_transact_write_items(self, transact_items)
    except Exception:
        _put_back(saved, stream_lengths)
        raise
    finally:
        _sharing.tables = False


def _table_deepcopy(self: Table, memo: dict[int, Any]) -> Table:
    """moto's "backup" of a table during a transaction is the table itself; a real copy otherwise."""
    if getattr(_sharing, "tables", False):
        return self
    duplicate: Table = object.__new__(type(self))
    memo[id(self)] = duplicate
    duplicate.__dict__.update(copy.deepcopy(self.__dict__, memo))
    return duplicate


def transactions_without_table_copies() -> None:
    """Install the patch (idempotent; it changes nothing moto answers)."""
    DynamoDBBackend.transact_write_items = _transact_write_items  # type: ignore[method-assign]
    Table.__deepcopy__ = _table_deepcopy  # type: ignore[attr-defined]


class _QueryView:
    """A table as moto's Query sees it, with `items` in the place of every item of the table."""

    def __init__(self, table: Table, items: list[Item]) -> None:
        self._table = table
        self._items = items

    def all_items(self) -> list[Item]:
        return self._items

    def __getattr__(self, name: str) -> Any:
        return getattr(self._table, name)


def _items_to_query(table: Table, hash_key: DynamoType | None, index_name: str | None) -> list[Item]:
    """The items of the partition a Query names, of the table or of an index (`moto_indexes`); every item
    when it names none or the index's partitions are not kept. In no order."""
    if index_name:
        kept = moto_indexes.items_in_partition(table, index_name, hash_key)
        return kept if kept is not None else moto_indexes.every_item(table)
    if hash_key is None:
        return moto_indexes.every_item(table)
    partition: Any = table.items.get(hash_key, {})
    if table.range_key_attr is None:
        return [partition] if isinstance(partition, Item) else []
    return list(partition.values())


def _query(
    self: Table,
    hash_key: DynamoType | None,
    range_comparison: str | None,
    range_objs: list[DynamoType],
    limit: int,
    exclusive_start_key: dict[str, Any],
    scan_index_forward: bool,
    projection_expressions: list[list[str]] | None,
    index_name: str | None = None,
    *args: Any,
    **kwargs: Any,
) -> Any:
    view: Any = _QueryView(self, _items_to_query(self, hash_key, index_name))
    return _moto_query(
        view,
        hash_key,
        range_comparison,
        range_objs,
        limit,
        exclusive_start_key,
        scan_index_forward,
        projection_expressions,
        index_name,
        *args,
        **kwargs,
    )


def queries_by_partition() -> None:
    """Install the partition reads of Query (idempotent)."""
    Table.query = _query  # type: ignore[method-assign]
    moto_indexes.keep()


def queries_by_moto() -> None:
    """moto's own Query again (to compare the two)."""
    Table.query = _moto_query  # type: ignore[method-assign]
    moto_indexes.stop_keeping()


_streams_written: set[str] = set()


def take_streams_written() -> frozenset[str]:
    """The tables whose streams had records added since the last call (one caller: `dynamodb_service`)."""
    written = frozenset(_streams_written)
    _streams_written.difference_update(written)
    return written


def _stream_add(self: StreamShard, old: Item | None, new: Item | None) -> None:
    _moto_stream_add(self, old, new)
    _streams_written.add(self.table.name)


def streams_signal_writes() -> None:
    """Note the tables whose streams get records, for `take_streams_written` (idempotent)."""
    StreamShard.add = _stream_add  # type: ignore[method-assign]


class _NotWireJson(TypeError):
    pass


def _wire_json(value: Any) -> Any:
    """`value` as its service writes it: members that are None left out, timestamps in epoch seconds."""
    if isinstance(value, dict):
        return {key: _wire_json(member) for key, member in value.items() if member is not None}
    if isinstance(value, list):
        return [_wire_json(member) for member in value]
    if isinstance(value, str | int | float):  # bool is an int
        return value
    if isinstance(value, datetime):
        return value.timestamp()
    raise _NotWireJson(type(value).__name__)


def _execute_result(self: ActionResult, context: ActionContext) -> TYPE_RESPONSE:
    operation = (context.service_model.service_name, context.operation_model.name)
    if operation in _JSON_ANSWERED_OPERATIONS and not isinstance(self.result, Exception):
        try:
            body = json.dumps(_wire_json(self.result), separators=(",", ":"))
        except _NotWireJson:
            pass
        else:
            return 200, {"Content-Type": "application/x-amz-json-1.0"}, body
    return _moto_execute_result(self, context)


def answers_as_json() -> None:
    """Install the `json.dumps` answers (idempotent)."""
    ActionResult.execute_result = _execute_result  # type: ignore[method-assign]


def answers_by_moto() -> None:
    """moto's own answers again (to compare the two)."""
    ActionResult.execute_result = _moto_execute_result  # type: ignore[method-assign]


def _backend(region: str) -> DynamoDBBackend:
    backend: DynamoDBBackend = dynamodb_backends[DEFAULT_ACCOUNT_ID][region]
    return backend


def table_items(region: str, table_name: str) -> Iterator[dict[str, Any]]:
    """Every item of the table, in DynamoDB JSON (as GetItem answers it)."""
    for item in _backend(region).get_table(table_name).all_items():
        yield item.to_json()["Attributes"]


def load_items(region: str, table_name: str, items: Iterable[dict[str, Any]]) -> int:
    """Put `items` (DynamoDB JSON, as `table_items` gave them) into the table; how many.

    Stored as they are, without the checks of a PutItem (they passed them when first written),
    and without a stream record.
    """
    table = _backend(region).get_table(table_name)
    moto_indexes.forget(table)
    count = 0
    for attributes in items:
        hash_key = DynamoType(attributes[table.hash_key_attr])
        if table.range_key_attr is None:
            table.items[hash_key] = _stored_item(hash_key, None, attributes)  # type: ignore[assignment]
        else:
            range_key = DynamoType(attributes[table.range_key_attr])
            table.items[hash_key][range_key] = _stored_item(hash_key, range_key, attributes)
        count += 1
    return count


def _stored_item(hash_key: DynamoType, range_key: DynamoType | None, attributes: dict[str, Any]) -> Item:
    """`Item(hash_key, range_key, attributes)` without its size check, which costs time in the
    square of the item's attributes (a stored item was checked when it was written)."""
    item: Item = object.__new__(Item)
    item.hash_key, item.range_key = hash_key, range_key
    item.attrs = LimitedSizeDict()
    dict.update(item.attrs, {name: DynamoType(value) for name, value in attributes.items()})
    return item


@contextlib.contextmanager
def stream_detached(region: str, table_names: Iterable[str]) -> Iterator[None]:
    """While inside, writes to these tables add nothing to their streams (a journal being replayed)."""
    with contextlib.ExitStack() as stack:
        for name in table_names:
            stack.enter_context(_stream_detached(_backend(region).get_table(name)))
        yield


@contextlib.contextmanager
def _stream_detached(table: Table) -> Iterator[None]:
    shard, table.stream_shard = table.stream_shard, None
    try:
        yield
    finally:
        table.stream_shard = shard


# More distinct update (and condition) expressions than the runtime writes with (they are built from a few fixed forms).
_EXPRESSIONS_KEPT = 1024
_SHAPES_KEPT = 4 * _EXPRESSIONS_KEPT
_kept_trees: dict[str, Any] = {}
# Each kept tree's pickle, by the tree's id (the tree itself alongside: the id is only ever the kept tree's).
_tree_pickles: dict[int, tuple[Any, bytes]] = {}
_keeping = threading.Lock()


def _parse_update_expression(cls: type, expression: str) -> Any:
    tree = _kept_trees.get(expression)
    if tree is not None:
        return tree
    tree = _moto_parse_update_expression(UpdateExpressionParser, expression)
    with _keeping:
        if expression not in _kept_trees and len(_kept_trees) < _EXPRESSIONS_KEPT:
            _kept_trees[expression] = tree
            _tree_pickles[id(tree)] = (tree, pickle.dumps(tree, pickle.HIGHEST_PROTOCOL))
    return _kept_trees.get(expression, tree)


def _copy_for_validation(value: _T, memo: dict[int, Any] | None = None) -> _T:
    """moto's validator works on a deep copy of the tree; a kept tree's copy is unpickled, 5 times faster."""
    if _is_kept(value):
        copied: _T = pickle.loads(_tree_pickles[id(value)][1])  # noqa: S301  # the runtime's own pickle of a tree it parsed
        return copied
    return copy.deepcopy(value, memo)


def _is_kept(tree: Any) -> bool:
    kept = _tree_pickles.get(id(tree))
    return kept is not None and kept[0] is tree


# moto's checks of an update's shape: its clauses, its paths and the table's key attributes. What they find
# depends on the expression, its names and the table's keys, never on values or the item.
_SHAPE_CHECKS = (
    moto_validators.ActionCountValidator,
    moto_validators.OverlappingPathsValidator,
    moto_validators.UpdateHashRangeKeyValidator,
)
_shapes_passed: set[tuple[int, tuple[tuple[str, str], ...], tuple[str, ...]]] = set()


def _init_update_validator(
    self: moto_validators.UpdateExpressionValidator,
    expression: Any,
    expression_attribute_names: dict[str, str],
    expression_attribute_values: dict[str, dict[str, Any]],
    item: Item,
    table: Table,
) -> None:
    _moto_init_update_validator(self, expression, expression_attribute_names, expression_attribute_values, item, table)
    names = tuple(sorted((expression_attribute_names or {}).items()))
    shape = (id(expression), names, tuple(table.table_key_attrs))
    self.__dict__["_csms_shape"] = shape if _is_kept(expression) else None


def _validate_update(self: moto_validators.UpdateExpressionValidator) -> Any:
    """moto's validation of an update, without the shape checks once they passed for a kept tree with the same
    names and table keys (an UpdateItem validates twice on a new item, and the runtime's forms repeat)."""
    shape = self.__dict__["_csms_shape"]
    passed = shape in _shapes_passed
    node = self.node_to_validate
    for processor in self.processors:
        if not (passed and isinstance(processor, _SHAPE_CHECKS)):
            node = processor.traverse(node)
    if shape is not None and not passed and len(_shapes_passed) < _SHAPES_KEPT:
        _shapes_passed.add(shape)
    return node


@functools.cache
def _is_node(node_type: type) -> bool:
    return issubclass(node_type, Node)


def _processor_for(self: DepthFirstTraverser, node_type: type) -> Any:
    """The traverser's processor of a node type (moto's first match in its map, by `isinstance`), or None."""
    processors: dict[type, Any] | None = self.__dict__.get("_csms_processors")
    if processors is None:
        processors = self.__dict__["_csms_processors"] = {}
    if node_type not in processors:
        processors[node_type] = next(
            (processor for handled, processor in self._processing_map().items() if issubclass(node_type, handled)),
            None,
        )
    return processors[node_type]


def _traverse_node_recursively(self: DepthFirstTraverser, node: Any, child_id: int = -1) -> Any:
    """moto's depth-first traversal, with its node type tests answered once per type (moto's node classes are
    abstract base classes, each `isinstance` a slow check: a fifth of an UpdateItem's time)."""
    node_type: type = type(node)
    if not _is_node(node_type):
        return node
    parent_node = node.parent
    if node.children is not None:
        for index, child_node in enumerate(node.children):
            self.pre_processing_of_child(node, index)
            self.traverse_node_recursively(child_node, index)
    processor = _processor_for(self, node_type)
    if processor is not None:
        node = processor(node)
        node.parent = parent_node
        if parent_node:
            parent_node.children[child_id] = node
    return node


@functools.cache
def _searched_for_clauses(node_type: type) -> bool:
    """Whether moto's `find_clauses` looks into a node of this type's children."""
    return issubclass(node_type, Expression | UpdateExpressionFunction)


def _find_clauses(self: Node, clause_types: Iterable[type]) -> list[Any]:
    """moto's `Node.find_clauses` with its type tests answered once per type."""
    clauses = []
    for child in self.children or []:
        child_type: type = type(child)
        if child_type in clause_types:
            clauses.append(child)
        elif _searched_for_clauses(child_type):
            clauses.extend(child.find_clauses(clause_types))
    return clauses


_lexed_conditions: dict[str, tuple[tuple[str, str, str, str], ...]] = {}


def _lex_condition_expression(self: ConditionExpressionParser) -> deque[Any]:
    """moto's lexer of a condition expression (which depends on its text alone), run once per text; each request
    gets fresh tokens, as moto's parser builds on them."""
    expression = self.condition_expression or ""  # moto lexes only an expression that is there
    tokens = _lexed_conditions.get(expression)
    if tokens is None:
        tokens = tuple((n.nonterminal, n.kind, n.text, n.value) for n in _moto_lex_condition_expression(self))
        if len(_lexed_conditions) < _EXPRESSIONS_KEPT:
            _lexed_conditions[expression] = tokens
    node = ConditionExpressionParser.Node
    return deque(node(nonterminal, kind, text, value, []) for nonterminal, kind, text, value in tokens)


def parsed_once() -> None:
    """Install the kept action lists, update expression trees and traversers' node maps (idempotent)."""
    moto_responses.method_names_from_class = functools.cache(method_names_from_class)
    UpdateExpressionParser.make = classmethod(_parse_update_expression)
    moto_validators.deepcopy = _copy_for_validation  # type: ignore[assignment]  # moto calls it with one argument
    moto_validators.UpdateExpressionValidator.__init__ = _init_update_validator  # type: ignore[method-assign,assignment]
    moto_validators.UpdateExpressionValidator.validate = _validate_update  # type: ignore[method-assign,assignment]
    DepthFirstTraverser.traverse_node_recursively = _traverse_node_recursively
    Node.find_clauses = _find_clauses
    ConditionExpressionParser._lex_condition_expression = _lex_condition_expression  # type: ignore[method-assign]
