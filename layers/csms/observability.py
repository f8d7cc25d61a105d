"""Powertools logger and metrics shared by every function.

Tracing is Lambda's active tracing, switched on in the stack, with the AWS calls recorded as
subsegments by `csms.tracing` rather than the X-Ray SDK, whose import would cost about a third of
a cold start (Powertools' Tracer).
"""

import functools
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from aws_lambda_powertools import Logger
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.metrics.functions import is_metrics_disabled
from aws_lambda_powertools.metrics.provider.cloudwatch_emf.cloudwatch import AmazonCloudWatchEMFProvider

from csms import constants, tracing

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


class CountMetrics:
    """Counts (`csms.metric_names`) published in CloudWatch's embedded metric format when the
    invocation ends (`log_metrics`), through Powertools' EMF provider.

    Every metric of an EMF document shares its dimensions, so each set of dimension values is a
    document of its own, all with the `service` dimension. What is counted is kept per thread, as
    `csms local` runs invocations on several threads at once. With POWERTOOLS_METRICS_DISABLED
    (`csms local`, the tests that ask for it) nothing is kept, so nothing is printed: Powertools'
    provider prints a document whenever a metric reaches 100 values, disabled or not.
    """

    def __init__(self, namespace: str, service: str) -> None:
        self._namespace = namespace
        self._service = service
        self._local = threading.local()

    def count(self, name: str, value: float = 1, /, **dimensions: str) -> None:
        if is_metrics_disabled():
            return
        documents = self._documents()
        key = tuple(sorted(dimensions.items()))
        document = documents.get(key)
        if document is None:
            document = documents[key] = AmazonCloudWatchEMFProvider(
                namespace=self._namespace, service=self._service, default_dimensions=dict(dimensions)
            )
        document.add_metric(name=name, unit=MetricUnit.Count, value=value)

    def publish(self) -> None:
        """Print what this thread counted, one EMF document per set of dimensions, and forget it."""
        documents = self._documents()
        for document in documents.values():
            if document.metric_set:
                document.flush_metrics()
        documents.clear()

    def clear(self) -> None:
        """Forget what this thread counted, unpublished."""
        self._documents().clear()

    def log_metrics(self, handler: Handler) -> Handler:
        """Publish what the invocation counted when it ends, however it ends."""

        @functools.wraps(handler)
        def invoke(event: Any, context: Any) -> Any:
            try:
                return handler(event, context)
            finally:
                self.publish()

        return invoke  # type: ignore[return-value]

    def _documents(self) -> dict[tuple[tuple[str, str], ...], AmazonCloudWatchEMFProvider]:
        documents: dict[tuple[tuple[str, str], ...], AmazonCloudWatchEMFProvider] | None = getattr(
            self._local, "documents", None
        )
        if documents is None:
            documents = self._local.documents = {}
        return documents


logger = InvocationLogger(service=constants.POWERTOOLS_SERVICE_NAME)
# On Lambda, the AWS calls of every function are X-Ray subsegments from here on (before any client is made).
tracer = tracing.install()
metrics = CountMetrics(namespace=constants.METRICS_NAMESPACE, service=constants.POWERTOOLS_SERVICE_NAME)


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
