"""/api/health: liveness, without authorization."""

from aws_lambda_powertools.event_handler.api_gateway import Router

from csms.api.models import Health

router = Router()


@router.get("/api/health")
def health() -> Health:
    return Health(status="ok")
