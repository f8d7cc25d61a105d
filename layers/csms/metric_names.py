"""The CSMS's own CloudWatch metrics: what the handlers count, and what the dashboard and the alarms read.

Every one is a count in the namespace `constants.METRICS_NAMESPACE`, published by
`csms.observability.metrics` with the dimension `service` (`constants.POWERTOOLS_SERVICE_NAME`)
and the dimensions named here. CloudWatch bills each combination of dimension values as a metric
of its own: values come from closed sets (OCPP action names, command statuses), never from what a
charge point may choose.
"""

from typing import Final

ACTION: Final = "action"
OUTCOME: Final = "outcome"
# The action dimension of a frame that names no action of its OCPP version (or none at all).
UNKNOWN_ACTION: Final = "Unknown"

# OCPP CALLs from charge points: answered with a CALLRESULT, or with a CALLERROR. {action}
CALLS: Final = "Calls"
CALL_ERRORS: Final = "CallErrors"
# CALLERROR InternalError: a handler failed (a bug, or AWS failing); the function itself does not.
INTERNAL_ERRORS: Final = "InternalErrors"
# A CALLRESULT or CALLERROR to one of the CSMS's calls that could not be recorded.
ANSWERS_FAILED: Final = "AnswersFailed"
# Charge points connected ($connect accepted) and disconnected ($disconnect).
CONNECTS: Final = "Connects"
DISCONNECTS: Final = "Disconnects"
# Remote commands by final status: Accepted, Rejected, Failed, TimedOut, Offline. {action, outcome}
COMMAND_OUTCOMES: Final = "CommandOutcomes"
# Billing: runs, invoices issued, sessions that failed (every run publishes it, 0 too).
BILLING_RUNS: Final = "BillingRuns"
INVOICES_ISSUED: Final = "InvoicesIssued"
BILLING_FAILURES: Final = "BillingFailures"
COST_UPDATE_FAILURES: Final = "CostUpdateFailures"
# Critical security events announced (`SecurityEventRaised`): a charger's (critical per OCPP) or the CSMS's findings.
CRITICAL_SECURITY_EVENTS: Final = "CriticalSecurityEvents"
