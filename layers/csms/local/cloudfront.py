"""What the CloudFront distribution in front of the WebSocket API does to a charge point's upgrade request.

Its viewer-request function (`stacks/cloudfront/ocpp_path_rewrite.js`, the same rule as
`csms.gateway_path`) moves the id of `/ocpp/{id}` into a header and copies `Authorization`, which
CloudFront would not forward, into another; its origin custom header carries the origin-verify
secret. A client's own copies of those headers never reach the origin.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from csms import constants
from csms.gateway_path import AUTHORIZATION_COPY_HEADER, rewrite_ocpp_path

_EDGE_ONLY = frozenset({constants.CHARGE_POINT_ID_HEADER, constants.ORIGIN_VERIFY_HEADER, AUTHORIZATION_COPY_HEADER})


@dataclass(frozen=True)
class OriginRequest:
    """The request as the origin (the WebSocket API) receives it."""

    raw_charge_point_id: str  # still percent-encoded, as in the path
    headers: list[tuple[str, str]]


@dataclass(frozen=True)
class OcppDistribution:
    origin_verify_secret: str
    # CloudFront drops `Authorization` (it only reaches the origin as x-ocpp-authorization).
    forward_authorization: bool = False

    def origin_request(self, path: str, headers: Iterable[tuple[str, str]]) -> OriginRequest | None:
        """The upgrade request to `path` as the origin sees it; None if the path is not `/ocpp/{id}` (404)."""
        charge_point_id = rewrite_ocpp_path(path)
        if charge_point_id is None:
            return None
        forwarded: list[tuple[str, str]] = []
        authorization: str | None = None
        for name, value in headers:
            lowered = name.lower()
            if lowered == "authorization":
                authorization = value
                if not self.forward_authorization:
                    continue
            if lowered in _EDGE_ONLY:
                continue
            forwarded.append((name, value))
        forwarded.append((constants.CHARGE_POINT_ID_HEADER, charge_point_id))
        if authorization is not None:
            forwarded.append((AUTHORIZATION_COPY_HEADER, authorization))
        forwarded.append((constants.ORIGIN_VERIFY_HEADER, self.origin_verify_secret))
        return OriginRequest(charge_point_id, forwarded)
