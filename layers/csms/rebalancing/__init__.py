"""Rebalancing a site: when its picture changes, share its limit again and apply that safely.

`triggers` says which sites a stored change concerns; `requests` runs one rebalance at a time per site,
coalescing and debouncing the requests; `picture` reads a site's sessions; `workflow` performs the steps
of the rebalance state machine (`workflow_definition`), sending SetChargingProfile (`tx_profiles`) through
the command workflow in the stages `csms.domain.load_balancing` plans; `models` is what it stores.
"""
