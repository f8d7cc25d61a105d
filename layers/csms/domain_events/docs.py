"""`docs/events.md`: the documented events, with the JSON schema of each `detail` from its model.

Regenerate with `python -m csms.domain_events.docs > docs/events.md`; a test fails when the file is stale.
"""

import inspect
import json
import sys

from pydantic import TypeAdapter

from csms.domain_events.schemas import EVENT_SOURCE, EVENT_TYPES

INTRODUCTION = f"""# Domain events

The CSMS announces what happens on its EventBridge bus (stack output `EventBusName`; `csms-local-events`
in the embedded runtime). Every event has `source` `{EVENT_SOURCE}`, its name as `detail-type`, and a
JSON `detail` described below. Consume them with an EventBridge rule on the bus, e.g. the pattern
`{{"source": ["{EVENT_SOURCE}"], "detail-type": ["TransactionEnded"]}}`, targeting a queue, a function,
a Step Functions workflow or an API destination.

## Delivery

Events are derived from the DynamoDB streams of the tables whose changes they announce
(ChargePoints, Transactions, Invoices, Sites, SecurityEvents), by the `domain_events` function. So they are
published after the reply to the charge point, usually within a second, and cost no extra request on the OCPP hot
path.

* **At least once.** A record whose events could not be put is retried (only that record and the
  ones after it); one that keeps failing for a day or ten attempts goes to the dead-letter queue
  (with an alarm). A retry can publish an event again.
* **Deduplicate by `eventId`.** The id is derived from the change itself (for example
  `TransactionEnded:<chargePointId>:<transactionId>`), so a repeated event has the same id. Treat
  the id as opaque: compare it, do not parse it.
* **Order.** Events of one item (a transaction, a connector) are published in order; across items
  and across types there is no order. Use `occurredAt` (the charge point's time where OCPP gives one).
* **Not announced:** changes that do not change what the event reports (a repeated
  StatusNotification with the same status, meter values during a transaction, heartbeats).

## Versioning

Every `detail` carries `schemaVersion` (now `1`). Within a version, fields may be added, and an
optional field may be `null`; consumers ignore fields they do not know. A field is never removed,
renamed or given another meaning within a version. An incompatible change raises `schemaVersion`;
the previous version keeps being published alongside for a deprecation period, with the same
`detail-type`, so a rule can match `{{"detail": {{"schemaVersion": [1]}}}}`.

Meter readings and energy in Wh (`meterStart`, `meterStop`, `energyWh`) and money (`net`, `tax`,
`total`) are decimal strings, exact. Times are RFC 3339. An optional field without a value is `null`.

## Events
"""


def render() -> str:
    sections = [INTRODUCTION]
    for model in EVENT_TYPES:
        schema = TypeAdapter(model).json_schema(by_alias=True, mode="serialization")
        summary = inspect.cleandoc(model.__doc__ or "")
        sections.append(f"### {model.detail_type}\n\n{summary}\n\n```json\n{json.dumps(schema, indent=2)}\n```\n")
    return "\n".join(sections)


if __name__ == "__main__":
    sys.stdout.write(render())
