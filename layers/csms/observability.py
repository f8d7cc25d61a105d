"""Powertools logger, metrics and tracer shared by every function."""

from aws_lambda_powertools import Logger, Metrics, Tracer

from csms import constants

logger = Logger(service=constants.POWERTOOLS_SERVICE_NAME)
metrics = Metrics(namespace=constants.METRICS_NAMESPACE, service=constants.POWERTOOLS_SERVICE_NAME)
tracer = Tracer(service=constants.POWERTOOLS_SERVICE_NAME)
