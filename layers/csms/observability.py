"""Powertools logger and metrics shared by every function.

Tracing is Lambda's active tracing, switched on in the stack: no X-Ray SDK in the functions, whose
import would cost about a third of a cold start (Powertools' Tracer).
"""

import warnings

from aws_lambda_powertools import Logger, Metrics

from csms import constants

logger = Logger(service=constants.POWERTOOLS_SERVICE_NAME)
metrics = Metrics(namespace=constants.METRICS_NAMESPACE, service=constants.POWERTOOLS_SERVICE_NAME)

# Every entry point publishes its metrics (`metrics.log_metrics`), and most invocations add none.
warnings.filterwarnings("ignore", message="No application metrics to publish", category=UserWarning)
