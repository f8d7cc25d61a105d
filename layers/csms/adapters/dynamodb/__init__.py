"""DynamoDB repositories; table keys come from `csms.tables`."""
