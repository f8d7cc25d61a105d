"""Powertools logger and metrics shared by every function.

Tracing is Lambda's active tracing, switched on in the stack: no X-Ray SDK in the functions, whose
import would cost about a third of a cold start (Powertools' Tracer).
"""

import functools
import warnings
from collections.abc import Callable
from typing import Any, TypeVar

from aws_lambda_powertools import Logger, Metrics

from csms import constants

Handler = TypeVar("Handler", bound=Callable[..., Any])


class InvocationLogger(Logger):
    """A Powertools Logger whose appended keys belong to the invocation that appends them.

    Powertools' `append_keys` sets them on the one formatter of the process, so with handlers on
    several threads (`csms local`) one invocation's charge point id would show on another's lines;
    here they live in a context variable, which each thread and each invocation of `csms local` has
    its own of.
    """

    def append_keys(self, **additional_keys: object) -> None:
        self.thread_safe_append_keys(**additional_keys)


logger = InvocationLogger(service=constants.POWERTOOLS_SERVICE_NAME)
metrics = Metrics(namespace=constants.METRICS_NAMESPACE, service=constants.POWERTOOLS_SERVICE_NAME)

# Every entry point publishes its metrics (`metrics.log_metrics`), and most invocations add none.
warnings.filterwarnings("ignore", message="No application metrics to publish", category=UserWarning)


def log_invocation(handler: Handler) -> Handler:
    """`logger.inject_lambda_context(clear_state=True)` for one invocation only: its keys are this
    thread's from its start to its end, and those of other threads are left alone (Powertools'
    `clear_state` clears the process-wide keys)."""
    with_context = logger.inject_lambda_context(handler)

    @functools.wraps(handler)
    def invoke(event: Any, context: Any) -> Any:
        logger.thread_safe_clear_keys()
        try:
            return with_context(event, context)
        finally:  # nor does what this thread logs next carry this invocation's keys
            logger.thread_safe_clear_keys()

    return invoke  # type: ignore[return-value]
