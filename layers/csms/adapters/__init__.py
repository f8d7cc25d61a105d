"""Adapters: the domain's ports implemented on AWS (DynamoDB, API Gateway Management API)."""
