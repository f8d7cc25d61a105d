"""The operator HTTP API (Powertools event handler, OpenAPI generated from the routes)."""
