"""EventBridge Scheduler (every `costUpdateIntervalMinutes`): OCPP 2.0.1 CostUpdated to running sessions."""

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from csms.observability import logger
from csms.services import get_services


@logger.inject_lambda_context(clear_state=True)
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    updates = get_services().cost_updates.run()
    logger.info("Cost updates", extra={"sent": len(updates)})
    return {
        "sent": [
            {
                "chargePointId": update.charge_point_id,
                "transactionId": update.transaction_id,
                "totalCost": str(update.total_cost),
                "commandId": update.command_id,
            }
            for update in updates
        ]
    }
