"""/api/health: liveness, without authorization."""

from aws_lambda_powertools.event_handler.api_gateway import Router

from csms.api.errors import responses
from csms.api.models import Health

router = Router()


@router.get("/api/health", responses=responses())
def health() -> Health:
    """No authorization needed."""
    return Health(status="ok")
