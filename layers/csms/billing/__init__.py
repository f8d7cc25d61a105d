"""Billing: tariffs, pricing a charging session, and invoices."""
