"""Billing use cases: invoicing completed sessions; a running session's cost and tariff text on the charge point.

Pricing itself is domain (`csms.domain.tariffs`, `csms.domain.running_cost`).
"""
