"""The operator CLI: `csms chargers`, `csms charger`, `csms sessions`, `csms invoices`, `csms command`
and its shortcuts, on the operator API of the local runtime or of a deployed stack.

Standard library only, so that it works after `pip install .` without extras (README, "Operator CLI").
"""
