"""/api/health: liveness, without authorization."""

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router

from csms.api.errors import responses
from csms.api.models import Health
from csms.api.openapi import OPEN, Tag

router = Router()


@router.get(
    "/api/health",
    operation_id="getHealth",
    summary="Check that the API is up",
    description='`{"status": "ok"}` once the API answers. Needs no token (`HEAD` too, without a body).',
    tags=[Tag.HEALTH],
    openapi_extensions=OPEN,
    responses=responses(),
)
def health() -> Health:
    return Health(status="ok")


@router.head("/api/health", include_in_schema=False)
def health_head() -> Response[None]:
    """For uptime probes and load balancers: 200 and no body."""
    return Response(status_code=200)
