"""The DynamoDB stream records of the announcing tables, read as domain changes.

Each table's adapter decodes its own images with the code that reads its items, so the item
layout stays there; this finds a record's table by the stream's ARN.
"""

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

from csms import tables
from csms.adapters.dynamodb.charge_points import charge_point_change
from csms.adapters.dynamodb.codec import Image
from csms.adapters.dynamodb.id_tokens import id_token_change
from csms.adapters.dynamodb.invoices import invoice_change
from csms.adapters.dynamodb.security_events import security_event_change
from csms.adapters.dynamodb.sites import site_change
from csms.adapters.dynamodb.transactions import transaction_change
from csms.domain_events.stored_changes import StoredChange

ChangeDecoder = Callable[[Image, Image], StoredChange | None]

# How each streamed table's (`TableSpec.stream`) records read.
DECODERS: dict[tables.TableSpec, ChangeDecoder] = {
    tables.CHARGE_POINTS: charge_point_change,
    tables.TRANSACTIONS: transaction_change,
    tables.INVOICES: invoice_change,
    tables.SITES: site_change,
    tables.SECURITY_EVENTS: security_event_change,
    tables.ID_TOKENS: id_token_change,
}


class DynamoDbStreamChanges:
    def __init__(self, table_name: Callable[[tables.TableSpec], str]) -> None:
        """`table_name` gives a table's physical name, the one its stream's ARN carries."""
        self._tables = {table_name(spec): (spec, decode) for spec, decode in DECODERS.items()}

    def decode(
        self, event_source_arn: str, old_image: Image, new_image: Image, recorded_at: datetime | None = None
    ) -> StoredChange | None:
        """The change a stream record reports (None: one that no domain event is about), recorded when the
        record says (its `ApproximateCreationDateTime`)."""
        spec, decode = self._tables[_table_name(event_source_arn)]
        old, new = _item(spec, old_image), _item(spec, new_image)
        change = decode(old, new) if old or new else None
        return replace(change, recorded_at=recorded_at) if change is not None else None


def _item(spec: tables.TableSpec, image: Image) -> Image:
    """`image`, or none for an image of the key alone.

    moto (the embedded runtime's DynamoDB) streams an UpdateItem that creates an item as two
    records: the key alone, then the item. The first is no item yet.
    """
    return image if image.keys() - spec.page_key().keys() else {}


def _table_name(event_source_arn: str) -> str:
    """`arn:aws:dynamodb:<region>:<account>:table/<name>/stream/<label>` -> `<name>`."""
    return event_source_arn.split(":table/", 1)[1].split("/", 1)[0]
