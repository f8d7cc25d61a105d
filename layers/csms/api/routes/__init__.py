"""Operator API routes, one Router per resource."""
