"""Whether Lambda initializes this instance before any request waits on it.

On demand, a request waits on the import and its own invocation together, so a function imports
only what every invocation needs and each invocation brings the rest (a resource's routes, an OCPP
version's handlers). A SnapStart snapshot, or an instance of provisioned concurrency, is initialized
before requests arrive: there a function also imports what requests would otherwise bring on their
first, so that the first request after a restore finds it ready. Nothing made ahead may be unique
to an instance (a client, a connection): those are still made at the first invocation.
"""

import os

# `AWS_LAMBDA_INITIALIZATION_TYPE` of an initialization no request waits on (`on-demand` is the other).
AHEAD_OF_REQUESTS = frozenset({"snap-start", "provisioned-concurrency"})


def initialized_ahead_of_requests() -> bool:
    return os.environ.get("AWS_LAMBDA_INITIALIZATION_TYPE") in AHEAD_OF_REQUESTS
