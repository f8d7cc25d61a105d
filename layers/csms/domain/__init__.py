"""The CSMS domain: charge points, connectors, id tokens and transactions, for both OCPP versions.

Plain Python: no AWS SDK here. Persistence and messaging are reached through `ports`.
"""
