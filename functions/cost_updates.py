"""EventBridge Scheduler (every `costUpdateIntervalMinutes`): OCPP 2.0.1 CostUpdated to running sessions."""

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from csms.observability import logger, metrics
from csms.services import get_services


@logger.inject_lambda_context(clear_state=True)
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    run = get_services().cost_updates.run()
    for failed in run.failed:
        logger.warning(
            "CostUpdated not sent",
            extra={
                "charge_point_id": failed.charge_point_id,
                "transaction_id": failed.transaction_id,
                "reason": failed.reason,
            },
        )
    logger.info("Cost updates", extra={"sent": len(run.sent), "failed": len(run.failed)})
    return {
        "sent": [
            {
                "chargePointId": update.charge_point_id,
                "transactionId": update.transaction_id,
                "totalCost": str(update.total_cost),
                "commandId": update.command_id,
            }
            for update in run.sent
        ],
        "failed": [
            {"chargePointId": failed.charge_point_id, "transactionId": failed.transaction_id} for failed in run.failed
        ],
    }
