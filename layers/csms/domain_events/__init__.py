"""Domain events for integrations, on the project's own EventBridge bus.

They are derived from DynamoDB stream records of the tables whose changes they announce, so
they are published after the reply to the charge point, at least once (the stream retries),
and cost no extra request on the OCPP hot path. Each carries a deterministic `eventId`:
a consumer drops duplicates by it.
"""
