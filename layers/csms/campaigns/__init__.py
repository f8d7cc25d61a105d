"""Campaigns: one operation (configuration settings, or any command of one OCPP version) rolled out to a chosen
part of the fleet in stages, a canary first, then batches, halting itself when too many chargers fail.

`models` and `rules` are pure (targeting, rollout, the halt rule, counts, statuses); `operations` says what each
charger is sent and how its commands' outcomes read; `administration` is what the operator API calls;
`workflow` and `workflow_definition` are the Step Functions workflow that runs a campaign.
"""
