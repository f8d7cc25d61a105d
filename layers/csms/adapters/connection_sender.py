"""Frames to charge points through the API Gateway Management API (`PostToConnection`)."""

from functools import cached_property
from typing import Any

import boto3
from botocore.config import Config

from csms.domain.ports import ConnectionGoneError

# A charge point that is gone must fail fast; OCPP replies are small and latency-bound.
_CLIENT_CONFIG = Config(connect_timeout=2, read_timeout=5, retries={"max_attempts": 2, "mode": "standard"})


class ApiGatewayConnectionSender:
    def __init__(self, endpoint_url: str) -> None:
        self._endpoint_url = endpoint_url

    @cached_property
    def _client(self) -> Any:
        return boto3.client("apigatewaymanagementapi", endpoint_url=self._endpoint_url, config=_CLIENT_CONFIG)

    def send(self, connection_id: str, frame: str) -> None:
        try:
            self._client.post_to_connection(ConnectionId=connection_id, Data=frame.encode())
        except self._client.exceptions.GoneException as error:
            raise ConnectionGoneError(connection_id) from error

    def close(self, connection_id: str) -> None:
        try:
            self._client.delete_connection(ConnectionId=connection_id)
        except self._client.exceptions.GoneException:
            return
