"""The OCPP-J edge: frames in and out, schema validation, and per-version action handlers."""
